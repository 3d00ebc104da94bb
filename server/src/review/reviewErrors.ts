import { ApiError } from '../errors';

/**
 * Review's expected failures, each with a code the client can tell apart.
 */
export const reviewErrors = {
  /** → `review_not_found` would do as well; `not_found` is what the rest of the server uses. */
  entryNotFound: () => new ApiError('not_found', 'There is no such review in the queue.'),
  sessionNotFound: () => new ApiError('not_found', 'There is no such exam attempt.'),
  leaseLost: () =>
    new ApiError('review_lease_lost', 'You no longer hold this review: its lease ran out, it was released, or another proctor has it. Claim the next one.'),
  alreadyDecided: () =>
    new ApiError('review_already_decided', 'You already decided this review differently; a decision cannot be changed. Ask an administrator if it was a mistake.'),
  secondReviewerRequired: () =>
    new ApiError('review_second_reviewer_required', 'The second review must be done by a different proctor than the first.'),
  /** The session is not (or no longer) in a status review can move on; `illegal_transition` fits as it is. */
  notReviewable: (status: string) =>
    new ApiError('illegal_transition', `This attempt is ${status.replace(/_/g, ' ')}, so review cannot change it.`),
  badRiskScore: () => new ApiError('bad_request', 'The risk score must be a finite number.'),
};
