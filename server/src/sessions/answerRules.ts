import type { AnswerValue, QuestionDefinition } from '../../../shared/api';

// Longest text accepted for a fill-in blank: shared with the client's input limit.
import { FILL_IN_MAX_LENGTH } from '../../../shared/api/exams';

/** Why a value does not fit its question, or null when it does. An empty value (a cleared answer) always fits. */
export function answerProblem(question: QuestionDefinition, value: AnswerValue): string | null {
  switch (question.kind) {
    case 'single_choice':
    case 'multiple_choice': {
      if (value.kind !== 'choice') return 'This question takes a choice of options, not text.';
      if (question.kind === 'single_choice' && value.optionIds.length > 1) return 'Choose only one option for this question.';
      if (new Set(value.optionIds).size !== value.optionIds.length) return 'An option is chosen twice.';
      const known = new Set(question.options.map((o) => o.id));
      if (value.optionIds.some((id) => !known.has(id))) return 'An option chosen is not part of this question.';
      return null;
    }
    case 'fill_in':
      if (value.kind !== 'text') return 'This question takes a typed answer, not a choice.';
      if (value.text.length > FILL_IN_MAX_LENGTH) return `The answer is longer than ${FILL_IN_MAX_LENGTH} characters.`;
      return null;
    case 'short_answer':
      if (value.kind !== 'text') return 'This question takes a typed answer, not a choice.';
      if (value.text.length > question.maxLength) return `The answer is longer than ${question.maxLength} characters.`;
      return null;
  }
}
