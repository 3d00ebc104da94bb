import type { SessionStatus } from '../api/exams';

/**
 * Session statuses follow edx-proctoring. A finished status never goes back; `error` is resumable
 * (the learner continues with the remaining time kept).
 */
const transitions: Readonly<Record<SessionStatus, readonly SessionStatus[]>> = {
  created: ['ready_to_start', 'error', 'timed_out'],
  ready_to_start: ['started', 'error', 'timed_out'],
  started: ['ready_to_submit', 'submitted', 'error', 'timed_out'],
  ready_to_submit: ['submitted', 'started', 'error', 'timed_out'],
  submitted: ['second_review_required', 'verified', 'rejected'],
  second_review_required: ['verified', 'rejected'],
  verified: [],
  rejected: [],
  error: ['started', 'submitted', 'timed_out'],
  timed_out: ['second_review_required', 'verified', 'rejected'],
};

export function canTransition(from: SessionStatus, to: SessionStatus): boolean {
  return transitions[from].includes(to);
}

/** Statuses in which the learner may still open sections and write answers. */
export function isInProgress(status: SessionStatus): boolean {
  return status === 'started' || status === 'ready_to_submit';
}

/** Statuses after which the attempt is closed to the learner. */
export function isFinished(status: SessionStatus): boolean {
  return ['submitted', 'second_review_required', 'verified', 'rejected', 'timed_out'].includes(status);
}

/** An attempt in one of these is continued ("Resume") rather than a new one created. */
export function isResumable(status: SessionStatus): boolean {
  return ['created', 'ready_to_start', 'started', 'ready_to_submit', 'error'].includes(status);
}

/** An attempt in one of these has begun: resuming goes straight to the exam player, not the start page. */
export function hasBegun(status: SessionStatus): boolean {
  return status === 'started' || status === 'ready_to_submit' || status === 'error';
}
