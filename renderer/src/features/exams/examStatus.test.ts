import { describe, expect, it } from 'vitest';
import type { ExamSummary } from '../../../../shared/api/exams';
import { attemptLabel, cardAction } from './examStatus';

const exam = (kind: 'final' | 'practice', attempt: ExamSummary['attempt']) => ({ id: 'x', kind, attempt }) as ExamSummary;

describe('the exam card', () => {
  it('offers Start, Resume, Take again or nothing, from the newest attempt', () => {
    expect(cardAction(exam('final', null))).toMatchObject({ kind: 'start', label: 'Start' });
    expect(cardAction(exam('final', { sessionId: 's', status: 'started', submitted: false }))).toMatchObject({ kind: 'resume', to: '/sessions/s' });
    expect(cardAction(exam('final', { sessionId: 's', status: 'ready_to_start', submitted: false }))).toMatchObject({ kind: 'resume', to: '/exams/x' });
    expect(cardAction(exam('final', { sessionId: 's', status: 'submitted', submitted: true }))).toEqual({ kind: 'done', label: 'Submitted' });
    expect(cardAction(exam('practice', { sessionId: 's', status: 'verified', submitted: true }))).toMatchObject({ kind: 'start', label: 'Take again' });
  });

  it('keeps an attempt review sent to staff closed: submitted, never Resume', () => {
    const withStaff = { sessionId: 's', status: 'error' as const, submitted: true };
    expect(cardAction(exam('final', withStaff))).toEqual({ kind: 'done', label: 'Submitted' });
    expect(attemptLabel(withStaff)).toBe('Submitted — with programme staff');
    // An attempt interrupted before it was handed in is resumed as before.
    const interrupted = { sessionId: 's', status: 'error' as const, submitted: false };
    expect(cardAction(exam('final', interrupted))).toMatchObject({ kind: 'resume', label: 'Resume' });
    expect(attemptLabel(interrupted)).toBe('Interrupted — you can resume');
  });
});
