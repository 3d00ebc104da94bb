import type { SessionStatus } from '../api/exams';

/**
 * Session statuses follow edx-proctoring. A finished status never goes back; `error` is resumable
 * (the learner continues with the remaining time kept) unless the attempt was already submitted:
 * review sends a submitted attempt to `error` when it could not be reviewed (`not_reviewed`), and
 * then it is staff's to resolve (back to review through `submitted`), never the learner's to reopen.
 */
const transitions: Readonly<Record<SessionStatus, readonly SessionStatus[]>> = {
  created: ['ready_to_start', 'error', 'timed_out'],
  ready_to_start: ['started', 'error', 'timed_out'],
  started: ['ready_to_submit', 'submitted', 'error', 'timed_out'],
  ready_to_submit: ['submitted', 'started', 'error', 'timed_out'],
  submitted: ['second_review_required', 'verified', 'rejected', 'error'],
  second_review_required: ['verified', 'rejected', 'error'],
  verified: [],
  rejected: [],
  error: ['started', 'submitted', 'timed_out'],
  timed_out: ['second_review_required', 'verified', 'rejected', 'error'],
};

/** What the status alone does not tell: whether the attempt was handed in (it has `submitted_at`). */
export interface AttemptFacts {
  readonly submitted: boolean;
}

/** From a submitted attempt in `error`, only staff's way back to review remains. */
const afterSubmission: readonly SessionStatus[] = ['submitted'];

export function canTransition(from: SessionStatus, to: SessionStatus, attempt: AttemptFacts = { submitted: false }): boolean {
  if (from === 'error' && attempt.submitted) return afterSubmission.includes(to);
  return transitions[from].includes(to);
}

/** Statuses in which the learner may still open sections and write answers. */
export function isInProgress(status: SessionStatus): boolean {
  return status === 'started' || status === 'ready_to_submit';
}

/** Statuses after which the attempt is closed to the learner (`error` too, once the attempt was submitted). */
export function isFinished(status: SessionStatus, attempt: AttemptFacts = { submitted: false }): boolean {
  if (status === 'error') return attempt.submitted;
  return ['submitted', 'second_review_required', 'verified', 'rejected', 'timed_out'].includes(status);
}

/** An attempt in one of these is continued ("Resume") rather than a new one created. */
export function isResumable(status: SessionStatus, attempt: AttemptFacts = { submitted: false }): boolean {
  if (status === 'error') return !attempt.submitted;
  return ['created', 'ready_to_start', 'started', 'ready_to_submit'].includes(status);
}

/** An attempt in one of these has begun: resuming goes straight to the exam player, not the start page. */
export function hasBegun(status: SessionStatus): boolean {
  return status === 'started' || status === 'ready_to_submit' || status === 'error';
}

/** The statuses review ends in (edx-proctoring): `verified`, `rejected`, or `error` for staff. */
export function isReviewOutcome(status: SessionStatus): boolean {
  return status === 'verified' || status === 'rejected' || status === 'error';
}
