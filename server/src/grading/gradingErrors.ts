import { ApiError } from '../errors';

/** Grading's and results' expected failures, each with a code the client can tell apart. */
export const gradingErrors = {
  examNotFound: () => new ApiError('not_found', 'There is no such exam.'),
  questionNotFound: () => new ApiError('not_found', 'This exam has no such question.'),
  responseNotFound: () =>
    new ApiError('not_found', 'There is no such response to this question: it may belong to an attempt that was rejected, or the list is out of date. Reload it.'),
  notGradable: (kind: string) =>
    new ApiError('question_not_gradable', `This is a ${kind.replace(/_/g, ' ')} question, graded automatically. Only short answers are graded by staff.`),
  pointsOutOfRange: (max: number) =>
    new ApiError('validation_failed', `Points must be from 0 to ${max}, in whole or half points.`, [
      { path: 'body.points', message: `Must be from 0 to ${max}, in whole or half points.` },
    ]),
  agreedNotDisputed: () =>
    new ApiError('bad_request', 'An agreed mark is only for a disputed response (second marking). Record an ordinary mark instead.'),
  notReady: (attempts: number, responses: number) =>
    new ApiError(
      'results_not_ready',
      `${attempts} verified ${attempts === 1 ? 'attempt has' : 'attempts have'} short answers still to grade (${responses} ${responses === 1 ? 'response' : 'responses'}). Grade them, then release.`,
    ),
  attemptNotFound: () => new ApiError('not_found', 'There is no such exam attempt on your account.'),
};
