import type { FastifyInstance } from 'fastify';
import { reviewApi } from '../../../shared/api/review';
import type { DefineRoute } from '../http/route';
import type { ReviewQueue } from './reviewQueue';

export interface ReviewRouteDeps {
  readonly route: DefineRoute;
  readonly review: ReviewQueue;
}

/** The review routes; all are `staff` in the contract, so learners are answered 403 before anything runs. */
export default async function reviewRoutes(app: FastifyInstance, { route, review }: ReviewRouteDeps): Promise<void> {
  route(app, reviewApi.claimNext, async ({ user, body }) => ({
    claim: await review.claimNext(user.id, body.leaseSeconds * 1000, { examId: body.examId }),
  }));
  route(app, reviewApi.heartbeat, async ({ user, params }) => review.heartbeat(params.entryId, user.id));
  route(app, reviewApi.release, async ({ user, params }) => review.release(params.entryId, user.id));
  route(app, reviewApi.decide, async ({ user, params, body, request }) => {
    const result = await review.decide(params.entryId, user.id, body);
    // Ids and the outcome only: notes stay out of the log.
    request.log.info({ entryId: params.entryId, round: result.decision.round, decision: result.decision.decision }, 'review decided');
    return result;
  });
  route(app, reviewApi.comment, async ({ user, params, body }) => review.comment(params.entryId, user.id, body));
  route(app, reviewApi.listQueue, async ({ body }) => review.list(body));
  route(app, reviewApi.getReview, async ({ params }) => review.get(params.entryId));
}
