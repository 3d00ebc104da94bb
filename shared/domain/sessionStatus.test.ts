import { describe, expect, it } from 'vitest';
import { SessionStatus } from '../api/exams';
import { canTransition, hasBegun, isFinished, isInProgress, isResumable, isReviewOutcome } from './sessionStatus';

describe('session status transitions (edx-proctoring)', () => {
  it('allows the normal path of an attempt', () => {
    const path = ['created', 'ready_to_start', 'started', 'ready_to_submit', 'submitted', 'second_review_required', 'verified'] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
  });

  it('never goes back from a finished status', () => {
    for (const final of ['verified', 'rejected'] as const) {
      for (const to of SessionStatus.options) expect(canTransition(final, to)).toBe(false);
    }
    expect(canTransition('submitted', 'started')).toBe(false);
    expect(canTransition('timed_out', 'submitted')).toBe(false);
    expect(canTransition('timed_out', 'started')).toBe(false);
  });

  it('lets an attempt in error resume with its time kept', () => {
    expect(canTransition('started', 'error')).toBe(true);
    expect(canTransition('error', 'started')).toBe(true);
  });

  it('refuses skipping the start', () => {
    expect(canTransition('created', 'started')).toBe(false);
    expect(canTransition('created', 'submitted')).toBe(false);
  });

  it('classifies statuses', () => {
    expect(isInProgress('started')).toBe(true);
    expect(isInProgress('submitted')).toBe(false);
    expect(isFinished('submitted')).toBe(true);
    expect(isFinished('error')).toBe(false);
  });

  it('tells resumable attempts from finished ones, and begun from not yet begun', () => {
    for (const status of SessionStatus.options) expect(isResumable(status) && isFinished(status)).toBe(false);
    expect(isResumable('error')).toBe(true);
    expect(hasBegun('created')).toBe(false);
    expect(hasBegun('started')).toBe(true);
  });

  it('follows review: first decision, second review, and not_reviewed to error for staff', () => {
    const submitted = { submitted: true };
    for (const from of ['submitted', 'timed_out'] as const) {
      for (const to of ['second_review_required', 'verified', 'rejected', 'error'] as const) expect(canTransition(from, to, submitted)).toBe(true);
    }
    for (const to of ['verified', 'rejected', 'error'] as const) expect(canTransition('second_review_required', to, submitted)).toBe(true);
    expect(canTransition('second_review_required', 'submitted', submitted)).toBe(false);
    expect(['verified', 'rejected', 'error'].every((s) => isReviewOutcome(s as SessionStatus))).toBe(true);
    expect(isReviewOutcome('second_review_required')).toBe(false);
  });

  it('never lets a submitted attempt in error be reopened by the learner; staff can send it back to review', () => {
    const submitted = { submitted: true };
    expect(canTransition('error', 'started', submitted)).toBe(false);
    expect(canTransition('error', 'timed_out', submitted)).toBe(false);
    expect(canTransition('error', 'submitted', submitted)).toBe(true);
    expect(isResumable('error', submitted)).toBe(false);
    expect(isFinished('error', submitted)).toBe(true);
    // An attempt interrupted before it was handed in keeps resuming with its time.
    expect(canTransition('error', 'started', { submitted: false })).toBe(true);
    expect(isResumable('error', { submitted: false })).toBe(true);
    for (const status of SessionStatus.options) expect(isResumable(status, submitted) && isFinished(status, submitted)).toBe(false);
  });
});
