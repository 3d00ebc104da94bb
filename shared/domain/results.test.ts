import { describe, expect, it } from 'vitest';
import { attemptResult, isBlankShortAnswer, isValidMarkPoints, type Mark, resolveMarks, roundToHalf } from './results';

const short = (maxPoints: number, points: number | null, blank = false) => ({ maxPoints, points, blank });

describe('attemptResult', () => {
  it('passes at exactly the pass mark', () => {
    // 1 auto point + 2 of 4 short-answer points = 3 of 5 = 60 %.
    const result = attemptResult({ autoPoints: 1, maxPoints: 5, shortAnswers: [short(4, 2)], passPercent: 60 });
    expect(result).toEqual({ state: 'complete', points: 3, maxPoints: 5, percent: 60, passed: true, ungraded: 0 });
  });

  it('fails just under the pass mark (59.99 %), and never shows a percent that reads as the pass mark', () => {
    const result = attemptResult({ autoPoints: 59.99, maxPoints: 100, shortAnswers: [], passPercent: 60 });
    expect(result).toMatchObject({ state: 'complete', passed: false, percent: 59.9 });
    const hair = attemptResult({ autoPoints: 5999.9, maxPoints: 10000, shortAnswers: [], passPercent: 60 });
    expect(hair).toMatchObject({ passed: false, percent: 59.9 });
  });

  it('passes above the pass mark and keeps percents readable (7 of 15 is 46.6 %)', () => {
    expect(attemptResult({ autoPoints: 10, maxPoints: 15, shortAnswers: [short(5, 4.5)], passPercent: 60 })).toMatchObject({
      points: 14.5,
      percent: 96.6,
      passed: true,
    });
    expect(attemptResult({ autoPoints: 2, maxPoints: 15, shortAnswers: [short(5, 5)], passPercent: 60 })).toMatchObject({
      points: 7,
      percent: 46.6,
      passed: false,
    });
  });

  it('stays pending while a short answer has no final mark, counting what is marked so far', () => {
    const result = attemptResult({ autoPoints: 1, maxPoints: 12, shortAnswers: [short(4, 4), short(4, null), short(3, null)], passPercent: 60 });
    expect(result).toEqual({ state: 'pending', points: 5, maxPoints: 12, percent: null, passed: null, ungraded: 2 });
  });

  it('scores a blank short answer 0 without waiting for a marker', () => {
    const result = attemptResult({ autoPoints: 1, maxPoints: 4, shortAnswers: [short(3, null, true)], passPercent: 60 });
    expect(result).toEqual({ state: 'complete', points: 1, maxPoints: 4, percent: 25, passed: false, ungraded: 0 });
  });

  it('never counts more than a question is worth (its points lowered after marking)', () => {
    expect(attemptResult({ autoPoints: 0, maxPoints: 2, shortAnswers: [short(2, 3)], passPercent: 60 })).toMatchObject({ points: 2, percent: 100 });
  });

  it('uses the exam’s own pass mark', () => {
    const input = { autoPoints: 7, maxPoints: 10, shortAnswers: [], passPercent: 75 };
    expect(attemptResult(input)).toMatchObject({ percent: 70, passed: false });
    expect(attemptResult({ ...input, passPercent: 70 })).toMatchObject({ passed: true });
  });
});

describe('resolveMarks', () => {
  const mark = (markerId: string, points: number, markedAt: number, agreed = false): Mark => ({ markerId, points, markedAt, agreed });

  it('single marking: no mark is ungraded, the newest mark counts', () => {
    expect(resolveMarks([], null)).toEqual({ state: 'ungraded', points: null });
    expect(resolveMarks([mark('a', 3, 1)], null)).toEqual({ state: 'graded', points: 3 });
    expect(resolveMarks([mark('a', 3, 2), mark('b', 1, 1)], null)).toEqual({ state: 'graded', points: 3 });
  });

  it('second marking: one mark waits for a second; two within the margin average to the half point', () => {
    expect(resolveMarks([mark('a', 3, 1)], 1)).toEqual({ state: 'second_mark_needed', points: null });
    expect(resolveMarks([mark('a', 3, 1), mark('b', 4, 2)], 1)).toEqual({ state: 'graded', points: 3.5 });
    expect(resolveMarks([mark('a', 3, 1), mark('b', 3.5, 2)], 1)).toEqual({ state: 'graded', points: 3.5 });
    expect(resolveMarks([mark('a', 2, 1), mark('b', 2, 2)], 0)).toEqual({ state: 'graded', points: 2 });
  });

  it('second marking: two marks further apart than the margin are disputed until a third mark or an agreed mark', () => {
    const disputed = [mark('a', 1, 1), mark('b', 4, 2)];
    expect(resolveMarks(disputed, 1)).toEqual({ state: 'disputed', points: null });
    expect(resolveMarks([mark('a', 1, 1), mark('b', 2, 2)], 0.5)).toEqual({ state: 'disputed', points: null });
    // A third marker: the median counts.
    expect(resolveMarks([...disputed, mark('c', 3, 3)], 1)).toEqual({ state: 'graded', points: 3 });
    expect(resolveMarks([...disputed, mark('c', 5, 3)], 1)).toEqual({ state: 'graded', points: 4 });
    // An agreed mark by one of the two markers settles it, whatever the margin.
    expect(resolveMarks([mark('a', 2.5, 3, true), mark('b', 4, 2)], 1)).toEqual({ state: 'graded', points: 2.5 });
  });

  it('the margin is inclusive', () => {
    expect(resolveMarks([mark('a', 1, 1), mark('b', 2, 2)], 1)).toEqual({ state: 'graded', points: 1.5 });
  });
});

describe('marks and answers', () => {
  it('accepts whole and half points from 0 to the maximum', () => {
    for (const p of [0, 0.5, 1, 4.5, 5]) expect(isValidMarkPoints(p, 5), String(p)).toBe(true);
    for (const p of [-0.5, 5.5, 0.25, 1.1, Number.NaN, Number.POSITIVE_INFINITY]) expect(isValidMarkPoints(p, 5), String(p)).toBe(false);
  });

  it('rounds averages to the half point, half-way up', () => {
    expect([2.25, 2.75, 3, 3.1].map(roundToHalf)).toEqual([2.5, 3, 3, 3]);
  });

  it('calls a missing or white-space answer blank', () => {
    expect(isBlankShortAnswer(undefined)).toBe(true);
    expect(isBlankShortAnswer({ kind: 'text', text: '  \n ' })).toBe(true);
    expect(isBlankShortAnswer({ kind: 'text', text: 'Because' })).toBe(false);
  });
});
