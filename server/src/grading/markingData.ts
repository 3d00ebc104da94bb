import type { AnswerValue, ExamDefinition, QuestionDefinition, SessionStatus } from '../../../shared/api';
import { isBlankShortAnswer, type Mark, type MarkingOutcome, resolveMarks } from '../../../shared/domain/results';
import { responseId } from './responseIds';
import type { GradingDb } from './schema';

export type ShortAnswerQuestion = Extract<QuestionDefinition, { kind: 'short_answer' }> & { readonly sectionTitle: string };

export function shortAnswerQuestions(exam: ExamDefinition): ShortAnswerQuestion[] {
  return exam.sections.flatMap((s) =>
    s.questions.flatMap((q) => (q.kind === 'short_answer' ? [{ ...q, sectionTitle: s.title }] : [])),
  );
}

export const marginOf = (exam: ExamDefinition): number | null => exam.secondMarkingMargin ?? null;

/** A handed-in attempt (submitted or timed out: `submitted_at` is set) of the exam. */
export interface HandedIn {
  readonly id: string;
  readonly userId: string;
  readonly attemptNo: number;
  readonly status: SessionStatus;
  readonly submittedAt: number;
  readonly scorePoints: number | null;
  readonly scoreMaxPoints: number | null;
}

/** Attempts staff grade: handed in and not rejected (a rejected attempt has no result to grade for). */
export const isGradable = (attempt: Pick<HandedIn, 'status'>): boolean => attempt.status !== 'rejected';

export interface ResponseMarking extends MarkingOutcome {
  readonly sessionId: string;
  readonly questionId: string;
  readonly responseId: string;
  readonly text: string;
  readonly marks: readonly (Mark & { readonly comment: string })[];
}

const key = (sessionId: string, questionId: string) => `${sessionId}\u0000${questionId}`;

/**
 * Everything marking and results read about one exam: its handed-in attempts, the latest answer to
 * each short-answer question, and every mark. Three queries, none with a list of ids.
 */
export class ExamMarking {
  private constructor(
    readonly exam: ExamDefinition,
    readonly attempts: readonly HandedIn[],
    private readonly answers: ReadonlyMap<string, AnswerValue>,
    private readonly marks: ReadonlyMap<string, (Mark & { comment: string })[]>,
    private readonly responseKey: string,
  ) {}

  /** `onlySession` narrows everything to one attempt (a learner's own result). */
  static async load(db: GradingDb, exam: ExamDefinition, responseKey: string, onlySession?: string): Promise<ExamMarking> {
    const questionIds = shortAnswerQuestions(exam).map((q) => q.id);
    const sessions = await db
      .selectFrom('sessions')
      .select(['id', 'user_id', 'attempt_no', 'status', 'submitted_at', 'score_points', 'score_max_points'])
      .where('exam_id', '=', exam.id)
      .where('submitted_at', 'is not', null)
      .$if(onlySession !== undefined, (qb) => qb.where('id', '=', onlySession!))
      .orderBy('submitted_at', 'desc')
      .orderBy('id')
      .execute();
    const attempts = sessions.map((s) => ({
      id: s.id,
      userId: s.user_id,
      attemptNo: s.attempt_no,
      status: s.status as SessionStatus,
      submittedAt: s.submitted_at!,
      scorePoints: s.score_points,
      scoreMaxPoints: s.score_max_points,
    }));
    const answers = new Map<string, AnswerValue>();
    const marks = new Map<string, (Mark & { comment: string })[]>();
    if (questionIds.length > 0 && attempts.length > 0) {
      const answerRows = await db
        .selectFrom('answers')
        .innerJoin('sessions', 'sessions.id', 'answers.session_id')
        .select(['answers.session_id', 'answers.question_id', 'answers.sequence', 'answers.value'])
        .where('sessions.exam_id', '=', exam.id)
        .where('sessions.submitted_at', 'is not', null)
        .where('answers.question_id', 'in', questionIds)
        .$if(onlySession !== undefined, (qb) => qb.where('sessions.id', '=', onlySession!))
        .orderBy('answers.sequence')
        .execute();
      // The highest sequence wins (rows come in sequence order, so the last one written stays).
      for (const row of answerRows) answers.set(key(row.session_id, row.question_id), JSON.parse(row.value) as AnswerValue);
      const gradeRows = await db
        .selectFrom('grades')
        .innerJoin('sessions', 'sessions.id', 'grades.session_id')
        .select(['grades.session_id', 'grades.question_id', 'grades.marker_id', 'grades.points', 'grades.comment', 'grades.agreed', 'grades.marked_at'])
        .where('sessions.exam_id', '=', exam.id)
        .$if(onlySession !== undefined, (qb) => qb.where('sessions.id', '=', onlySession!))
        .execute();
      for (const row of gradeRows) {
        const list = marks.get(key(row.session_id, row.question_id)) ?? [];
        list.push({ markerId: row.marker_id, points: row.points, agreed: row.agreed === 1, markedAt: row.marked_at, comment: row.comment });
        marks.set(key(row.session_id, row.question_id), list);
      }
    }
    return new ExamMarking(exam, attempts, answers, marks, responseKey);
  }

  answer(sessionId: string, questionId: string): AnswerValue | undefined {
    return this.answers.get(key(sessionId, questionId));
  }

  /** The marking of one response, or null when the answer is blank (it scores 0 without a marker). */
  response(attempt: HandedIn, question: ShortAnswerQuestion): ResponseMarking | null {
    const answer = this.answer(attempt.id, question.id);
    if (isBlankShortAnswer(answer) || answer?.kind !== 'text') return null;
    const marks = this.marks.get(key(attempt.id, question.id)) ?? [];
    return {
      ...resolveMarks(marks, marginOf(this.exam)),
      sessionId: attempt.id,
      questionId: question.id,
      responseId: responseId(this.responseKey, attempt.id, question.id),
      text: answer.text,
      marks,
    };
  }

  /** The non-blank responses to one question from gradable attempts, ordered by response id (which says nothing of the learner). */
  responses(question: ShortAnswerQuestion): ResponseMarking[] {
    return this.attempts
      .filter(isGradable)
      .flatMap((a) => this.response(a, question) ?? [])
      .sort((a, b) => (a.responseId < b.responseId ? -1 : a.responseId > b.responseId ? 1 : 0));
  }
}
