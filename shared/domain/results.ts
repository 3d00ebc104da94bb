import type { AnswerValue } from '../api/sessions';

/**
 * Staff marking of short answers and the result of an attempt at the exam's pass mark.
 *
 * Marks: one per marker per response (a marker who marks again replaces their own mark). With single
 * marking the newest mark counts. With second marking (the exam's `secondMarkingMargin`) a response
 * needs two markers; when their points differ by more than the margin it is `disputed` until a third
 * marker marks it (the median of all marks counts) or a marker records an agreed mark (which counts).
 */

export interface Mark {
  readonly markerId: string;
  readonly points: number;
  /** Recorded as the mark the markers agreed on after a dispute: it settles the response. */
  readonly agreed: boolean;
  /** Epoch ms of the marker's latest change. */
  readonly markedAt: number;
}

export type MarkingState = 'ungraded' | 'second_mark_needed' | 'disputed' | 'graded';

export interface MarkingOutcome {
  readonly state: MarkingState;
  /** The points that count, once `graded`; null otherwise. */
  readonly points: number | null;
}

/** Half points are the finest step a marker can give; averages are rounded to it, half-way up. */
export const roundToHalf = (value: number): number => Math.round(value * 2) / 2;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : roundToHalf((sorted[middle - 1]! + sorted[middle]!) / 2);
};

/** Where a response stands given its marks; `secondMarkingMargin` null means single marking. */
export function resolveMarks(marks: readonly Mark[], secondMarkingMargin: number | null): MarkingOutcome {
  if (marks.length === 0) return { state: 'ungraded', points: null };
  const byTime = [...marks].sort((a, b) => a.markedAt - b.markedAt);
  const agreed = byTime.filter((m) => m.agreed);
  if (agreed.length > 0) return { state: 'graded', points: agreed[agreed.length - 1]!.points };
  if (secondMarkingMargin === null) return { state: 'graded', points: byTime[byTime.length - 1]!.points };
  if (marks.length === 1) return { state: 'second_mark_needed', points: null };
  if (marks.length === 2) {
    const [a, b] = [marks[0]!.points, marks[1]!.points];
    if (Math.abs(a - b) > secondMarkingMargin + 1e-9) return { state: 'disputed', points: null };
    return { state: 'graded', points: roundToHalf((a + b) / 2) };
  }
  return { state: 'graded', points: median(marks.map((m) => m.points)) };
}

/** Whether `points` is a mark a marker may give for a question worth `maxPoints`: 0 to max, whole or half. */
export function isValidMarkPoints(points: number, maxPoints: number): boolean {
  return Number.isFinite(points) && points >= 0 && points <= maxPoints && Number.isInteger(points * 2);
}

/** A short answer left empty (or only white space) scores 0 without a marker. */
export function isBlankShortAnswer(answer: AnswerValue | undefined): boolean {
  return answer === undefined || answer.kind !== 'text' || answer.text.trim() === '';
}

export interface ShortAnswerOutcome {
  readonly maxPoints: number;
  readonly blank: boolean;
  /** The points that count (`resolveMarks`), or null while marking is unfinished. */
  readonly points: number | null;
}

export interface ResultInput {
  /** Points of the automatically graded questions (`scoreExam`). */
  readonly autoPoints: number;
  /** Points of the whole exam, short answers included. */
  readonly maxPoints: number;
  readonly shortAnswers: readonly ShortAnswerOutcome[];
  /** The exam's pass mark (ExamDefinition.passPercent). */
  readonly passPercent: number;
}

export interface AttemptResult {
  /** `pending` while a non-blank short answer has no final mark. */
  readonly state: 'pending' | 'complete';
  /** Auto points plus the short answers marked so far. */
  readonly points: number;
  readonly maxPoints: number;
  /** Rounded down to one decimal, so a shown percent never reaches the pass mark when the result does not. Null while pending. */
  readonly percent: number | null;
  readonly passed: boolean | null;
  /** Short answers still waiting for a final mark. */
  readonly ungraded: number;
}

/** The result of one attempt: pass when its percent is at least the exam's pass mark. */
export function attemptResult(input: ResultInput): AttemptResult {
  let points = input.autoPoints;
  let ungraded = 0;
  for (const answer of input.shortAnswers) {
    if (answer.blank) continue;
    if (answer.points === null) ungraded += 1;
    // A question whose points were lowered after marking never gives more than it is worth now.
    else points += Math.min(Math.max(answer.points, 0), answer.maxPoints);
  }
  if (ungraded > 0) return { state: 'pending', points, maxPoints: input.maxPoints, percent: null, passed: null, ungraded };
  const exact = input.maxPoints > 0 ? (points * 100) / input.maxPoints : 0;
  const passed = points * 100 >= input.passPercent * input.maxPoints - 1e-9;
  return { state: 'complete', points, maxPoints: input.maxPoints, percent: Math.floor(exact * 10 + 1e-6) / 10, passed, ungraded: 0 };
}
