import type { QuestionDefinition } from '../api/exams';
import type { AnswerValue } from '../api/sessions';

export type GradeOutcome =
  | { readonly kind: 'auto'; readonly points: number; readonly maxPoints: number }
  | { readonly kind: 'manual'; readonly maxPoints: number };

const fold = (s: string, caseSensitive: boolean): string => {
  const spaced = s.normalize('NFC').trim().replace(/\s+/g, ' ');
  return caseSensitive ? spaced : spaced.toLocaleLowerCase('en');
};

/**
 * Reads a number as learners type it: "1,250.5", "1 250,5", "0.85", ".85", "-3", "85%" (as 85).
 * A lone comma followed by 1–2 or 4+ digits is a decimal comma; with exactly 3 it is ambiguous and
 * taken as a thousands separator only when a dot also appears.
 */
export function parseLearnerNumber(raw: string): number | null {
  let s = raw.trim().replace(/[\s\u00a0\u202f]/g, '').replace(/%$/, '');
  if (s === '' || !/^[-+]?[0-9.,]+$/.test(s)) return null;
  const hasDot = s.includes('.');
  const commas = (s.match(/,/g) ?? []).length;
  if (hasDot) s = s.replace(/,/g, '');
  else if (commas === 1 && !/,\d{3}$/.test(s)) s = s.replace(',', '.');
  else s = s.replace(/,/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Grades one answer against its definition. A missing answer scores 0 (or waits for staff, for short answers). */
export function gradeAnswer(question: QuestionDefinition, answer: AnswerValue | undefined): GradeOutcome {
  const maxPoints = question.points;
  switch (question.kind) {
    case 'short_answer':
      return { kind: 'manual', maxPoints };
    case 'single_choice': {
      const chosen = answer?.kind === 'choice' ? answer.optionIds : [];
      const right = chosen.length === 1 && chosen[0] === question.correctOptionId;
      return { kind: 'auto', points: right ? maxPoints : 0, maxPoints };
    }
    case 'multiple_choice': {
      const chosen = new Set(answer?.kind === 'choice' ? answer.optionIds : []);
      const wanted = new Set(question.correctOptionIds);
      const right = chosen.size === wanted.size && [...wanted].every((id) => chosen.has(id));
      return { kind: 'auto', points: right ? maxPoints : 0, maxPoints };
    }
    case 'fill_in': {
      const text = answer?.kind === 'text' ? answer.text : '';
      if (question.inputType === 'number') {
        const given = parseLearnerNumber(text);
        // A tiny epsilon so that 0.1 + 0.2 style representation error never costs a learner a point.
        const right = given !== null && Math.abs(given - question.answer) <= question.tolerance + 1e-9;
        return { kind: 'auto', points: right ? maxPoints : 0, maxPoints };
      }
      const given = fold(text, question.caseSensitive);
      const right = given !== '' && question.acceptedAnswers.some((a) => fold(a, question.caseSensitive) === given);
      return { kind: 'auto', points: right ? maxPoints : 0, maxPoints };
    }
  }
}

export interface ScoreSummary {
  readonly points: number;
  readonly maxPoints: number;
  readonly percent: number;
  readonly pendingManualPoints: number;
}

/** Sums auto-graded points; `percent` is over all points, so short answers count as 0 until graded. */
export function scoreExam(
  questions: readonly QuestionDefinition[],
  answers: ReadonlyMap<string, AnswerValue>,
): ScoreSummary {
  let points = 0;
  let maxPoints = 0;
  let pendingManualPoints = 0;
  for (const q of questions) {
    const outcome = gradeAnswer(q, answers.get(q.id));
    maxPoints += outcome.maxPoints;
    if (outcome.kind === 'auto') points += outcome.points;
    else pendingManualPoints += outcome.maxPoints;
  }
  const percent = maxPoints === 0 ? 0 : Math.round((points / maxPoints) * 1000) / 10;
  return { points, maxPoints, percent, pendingManualPoints };
}

/** Whether an answer counts as given (for "answered 7 of 8"). */
export function isAnswered(value: AnswerValue | undefined): boolean {
  if (!value) return false;
  return value.kind === 'choice' ? value.optionIds.length > 0 : value.text.trim() !== '';
}
