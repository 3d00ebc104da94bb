import { describe, expect, it } from 'vitest';
import type { QuestionDefinition } from '../api/exams';
import { QuestionDefinition as QuestionSchema } from '../api/exams';
import { gradeAnswer, isAnswered, parseLearnerNumber, scoreExam } from './grading';

const q = (raw: unknown): QuestionDefinition => QuestionSchema.parse(raw);
const opts = [
  { id: 'a', text: 'A' },
  { id: 'b', text: 'B' },
  { id: 'c', text: 'C' },
];
const single = q({ id: 's', kind: 'single_choice', prompt: 'p', points: 2, options: opts, correctOptionId: 'b' });
const multi = q({ id: 'm', kind: 'multiple_choice', prompt: 'p', points: 2, options: opts, correctOptionIds: ['a', 'c'] });
const num = q({ id: 'n', kind: 'fill_in', inputType: 'number', prompt: 'p', points: 3, answer: 1.33, tolerance: 0.01 });
const text = q({ id: 't', kind: 'fill_in', inputType: 'text', prompt: 'p', points: 3, acceptedAnswers: ["Little's law", 'littles law'] });
const short = q({ id: 'x', kind: 'short_answer', prompt: 'p', points: 5 });

describe('gradeAnswer', () => {
  it('single choice: only the right option scores', () => {
    expect(gradeAnswer(single, { kind: 'choice', optionIds: ['b'] })).toEqual({ kind: 'auto', points: 2, maxPoints: 2 });
    expect(gradeAnswer(single, { kind: 'choice', optionIds: ['a'] })).toMatchObject({ points: 0 });
    expect(gradeAnswer(single, { kind: 'choice', optionIds: ['a', 'b'] })).toMatchObject({ points: 0 });
    expect(gradeAnswer(single, undefined)).toMatchObject({ points: 0 });
  });

  it('multiple choice is all or nothing', () => {
    expect(gradeAnswer(multi, { kind: 'choice', optionIds: ['c', 'a'] })).toMatchObject({ points: 2 });
    expect(gradeAnswer(multi, { kind: 'choice', optionIds: ['a'] })).toMatchObject({ points: 0 });
    expect(gradeAnswer(multi, { kind: 'choice', optionIds: ['a', 'b', 'c'] })).toMatchObject({ points: 0 });
  });

  it('numbers score within the tolerance, however the learner writes them', () => {
    for (const t of ['1.33', '1,33', ' 1.34 ', '1.32', '1.325']) {
      expect(gradeAnswer(num, { kind: 'text', text: t })).toMatchObject({ points: 3 });
    }
    for (const t of ['1.35', '133', 'one', '', '1.3.3']) {
      expect(gradeAnswer(num, { kind: 'text', text: t })).toMatchObject({ points: 0 });
    }
  });

  it('text fill-ins fold case and spaces, not spelling', () => {
    expect(gradeAnswer(text, { kind: 'text', text: "  LITTLE'S   law " })).toMatchObject({ points: 3 });
    expect(gradeAnswer(text, { kind: 'text', text: 'littles law' })).toMatchObject({ points: 3 });
    expect(gradeAnswer(text, { kind: 'text', text: 'little law' })).toMatchObject({ points: 0 });
    expect(gradeAnswer(text, { kind: 'text', text: '' })).toMatchObject({ points: 0 });
  });

  it('short answers wait for staff', () => {
    expect(gradeAnswer(short, { kind: 'text', text: 'An essay' })).toEqual({ kind: 'manual', maxPoints: 5 });
  });
});

describe('parseLearnerNumber', () => {
  it.each([
    ['1,250.5', 1250.5],
    ['1 250,5', 1250.5],
    ['1,250', 1250],
    ['.85', 0.85],
    ['-3', -3],
    ['85%', 85],
    ['0,5', 0.5],
  ])('%s → %d', (raw, expected) => expect(parseLearnerNumber(raw)).toBe(expected));

  it.each(['', 'abc', '1e5', '--1', '1.2.3'])('%s is not a number', (raw) => expect(parseLearnerNumber(raw)).toBeNull());
});

describe('scoreExam', () => {
  it('sums auto-graded points over all points and reports what staff still grade', () => {
    const answers = new Map([
      ['s', { kind: 'choice' as const, optionIds: ['b'] }],
      ['m', { kind: 'choice' as const, optionIds: ['a'] }],
      ['n', { kind: 'text' as const, text: '1.33' }],
      ['x', { kind: 'text' as const, text: 'essay' }],
    ]);
    expect(scoreExam([single, multi, num, text, short], answers)).toEqual({
      points: 5,
      maxPoints: 15,
      percent: 33.3,
      pendingManualPoints: 5,
    });
  });

  it('isAnswered ignores cleared answers', () => {
    expect(isAnswered({ kind: 'text', text: '  ' })).toBe(false);
    expect(isAnswered({ kind: 'choice', optionIds: [] })).toBe(false);
    expect(isAnswered({ kind: 'choice', optionIds: ['a'] })).toBe(true);
  });
});
