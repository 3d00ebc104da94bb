import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildPath } from '../../../shared/api/routes';
import { reviewApi } from '../../../shared/api/review';
import type { UserView } from '../../../shared/api';
import { describeEachDialect } from '../../test/helper';
import { ApiError, registerErrorHandling } from '../errors';
import { createRouteDefiner } from '../http/route';
import reviewRoutes from './routes';
import { type ReviewTestDb, reviewTestDb } from './test/reviewDb';

/** A bearer token is the user's id here; the real token service is the app's business, not review's. */
const USERS: Record<string, UserView> = {
  learner: { id: 'learner-1', email: 'l@invigil.test', fullName: 'L', role: 'learner' },
  proctor: { id: 'proctor-1', email: 'p@invigil.test', fullName: 'P', role: 'proctor' },
  proctor2: { id: 'proctor-2', email: 'p2@invigil.test', fullName: 'P2', role: 'proctor' },
  admin: { id: 'admin-1', email: 'a@invigil.test', fullName: 'A', role: 'admin' },
};

describeEachDialect('review routes', (dialect) => {
  let t: ReviewTestDb;
  let app: FastifyInstance;
  let entryId: string;

  beforeEach(async () => {
    t = await reviewTestDb(dialect);
    app = Fastify({ logger: false });
    registerErrorHandling(app);
    const route = createRouteDefiner(async (header) => {
      const user = USERS[header?.replace(/^Bearer /, '') ?? ''];
      if (!user) throw new ApiError('unauthenticated', 'Sign in first.');
      return user;
    });
    await app.register(reviewRoutes, { route, review: t.queue });
    const [a] = await t.addSessions(1);
    entryId = (await t.queue.enqueue(a!, 0.7)).entryId;
  });
  afterEach(async () => {
    await app.close();
    await t.dispose();
  });

  const call = async (name: keyof typeof reviewApi, who: string | null, body?: unknown, params?: Record<string, string>) => {
    const spec = reviewApi[name];
    const res = await app.inject({
      method: spec.method,
      url: buildPath(spec.path, params),
      headers: who ? { authorization: `Bearer ${who}` } : {},
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
  };

  /** The playback routes are the recording plugin's (they need recordings and identity images). */
  type QueueRoute = Exclude<keyof typeof reviewApi, 'playbackGrant' | 'playbackImage'>;
  const bodies: Record<QueueRoute, unknown> = {
    claimNext: {},
    heartbeat: {},
    release: {},
    decide: { decision: 'clean' },
    comment: { startSecond: 1, endSecond: 2, text: 'x' },
    listQueue: {},
    getReview: undefined,
  };

  it('answers learners 403 and strangers 401 on every review route, and changes nothing', async () => {
    for (const name of Object.keys(bodies) as QueueRoute[]) {
      const learner = await call(name, 'learner', bodies[name], { entryId });
      expect([name, learner.status, learner.body.error.code]).toEqual([name, 403, 'forbidden']);
      const stranger = await call(name, null, bodies[name], { entryId });
      expect([name, stranger.status]).toEqual([name, 401]);
    }
    expect((await t.queue.get(entryId)).audit.map((a) => a.action)).toEqual(['enqueue']);
  });

  it('lets proctors and admins claim, comment, decide and read the review', async () => {
    const claim = await call('claimNext', 'proctor', { leaseSeconds: 60 });
    expect(claim.status).toBe(200);
    expect(claim.body.claim).toMatchObject({ entryId, holderId: 'proctor-1', round: 1 });
    expect((await call('claimNext', 'admin', {})).body).toEqual({ claim: null });
    expect((await call('heartbeat', 'proctor2', {}, { entryId })).status).toBe(409);
    expect((await call('heartbeat', 'proctor', {}, { entryId })).status).toBe(200);
    const comment = await call('comment', 'proctor', { startSecond: 30, endSecond: 45, text: 'reads from a sheet' }, { entryId });
    expect(comment.body).toMatchObject({ authorId: 'proctor-1', startSecond: 30, endSecond: 45 });
    const invalid = await call('decide', 'proctor', { decision: 'suspicious' }, { entryId });
    expect([invalid.status, invalid.body.error.details[0].path]).toEqual([400, 'body.reasonCodes']);
    const decided = await call('decide', 'proctor', { decision: 'suspicious', reasonCodes: ['unauthorized_material'] }, { entryId });
    expect(decided.body.entry).toMatchObject({ round: 2, sessionStatus: 'second_review_required' });
    expect((await call('claimNext', 'proctor', {})).body.claim).toBeNull();
    expect((await call('claimNext', 'admin', {})).body.claim).toMatchObject({ entryId, round: 2, holderId: 'admin-1' });
    expect((await call('decide', 'admin', { decision: 'rules_violation', reasonCodes: ['unauthorized_material'] }, { entryId })).status).toBe(200);
    const list = await call('listQueue', 'proctor', { state: 'done' });
    expect(list.body).toMatchObject({ total: 1, counts: { done: 1, queued: 0 } });
    expect(list.body.entries[0]).toMatchObject({ entryId, sessionStatus: 'rejected' });
    const detail = await call('getReview', 'proctor2', undefined, { entryId });
    expect(detail.body.decisions.map((d: { reviewerId: string }) => d.reviewerId)).toEqual(['proctor-1', 'admin-1']);
    expect((await call('getReview', 'proctor', undefined, { entryId: 'missing' })).status).toBe(404);
  });
});
