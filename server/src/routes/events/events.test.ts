import { afterEach, beforeEach, expect, it } from 'vitest';
import { EventListResponse, type SessionEventInput } from '../../../../shared/api';
import { createTestServer, describeEachDialect, ISO, startAttempt, T0, type TestServer } from '../../../test/helper';

const ID = (n: number): string => `6f1c2a40-0000-4000-8000-${String(n).padStart(12, '0')}`;

const focusLost = (n: number, at: number, endedAt: number | null = null): SessionEventInput => ({
  id: ID(n),
  kind: 'focus_lost',
  severity: 'medium',
  startedAt: ISO(at),
  endedAt: endedAt === null ? null : ISO(endedAt),
  reason: 'The exam window lost focus.',
  detail: { app: 'Finder', seconds: 7, processes: ['Finder', 'Dock'] },
});

describeEachDialect('session events', (dialect) => {
  let t: TestServer;
  let learner: string;
  let proctor: string;
  let sessionId: string;
  beforeEach(async () => {
    t = await createTestServer(dialect);
    learner = (await t.signIn('learner')).accessToken;
    proctor = (await t.signIn('proctor')).accessToken;
    sessionId = await startAttempt(t, learner, 'practice-mini');
  });
  afterEach(() => t.close());

  const post = (events: SessionEventInput[], token = learner, sid = sessionId) =>
    t.call('postEvents', { token, params: { sessionId: sid }, body: { events } });
  const list = async (sid = sessionId) => {
    const res = await t.call('listEvents', { token: proctor, params: { sessionId: sid } });
    expect(res.status).toBe(200);
    return EventListResponse.parse(res.body).events;
  };

  it('stores events once by id: a replayed batch counts as duplicate, and staff read them in time order', async () => {
    const batch = [focusLost(2, T0 + 9_000, T0 + 16_000), focusLost(1, T0 + 1_000, T0 + 3_000), { ...focusLost(3, T0 + 5_000), kind: 'offline' as const, severity: 'low' as const, detail: {} }];
    expect((await post(batch)).body).toEqual({ stored: 3, duplicate: 0, rejected: [] });
    expect((await post([...batch, focusLost(4, T0 + 20_000)])).body).toEqual({ stored: 1, duplicate: 3, rejected: [] });
    expect((await post([focusLost(5, T0), focusLost(5, T0)])).body).toEqual({ stored: 1, duplicate: 1, rejected: [] });
    const events = await list();
    expect(events.map((e) => e.id)).toEqual([ID(5), ID(1), ID(3), ID(2), ID(4)]);
    expect(events[1]).toEqual({ ...focusLost(1, T0 + 1_000, T0 + 3_000), confidence: null, thumbnail: null });
  });

  it('takes the end of an event that was sent while it lasted, and nothing else from a replay', async () => {
    await post([focusLost(1, T0 + 1_000)]);
    const ended = await post([{ ...focusLost(1, T0 + 1_000, T0 + 8_000), reason: 'rewritten', severity: 'high' }]);
    expect(ended.body).toEqual({ stored: 1, duplicate: 0, rejected: [] });
    expect((await post([focusLost(1, T0 + 1_000, T0 + 30_000)])).body).toEqual({ stored: 0, duplicate: 1, rejected: [] });
    expect(await list()).toEqual([expect.objectContaining({ endedAt: ISO(T0 + 8_000), severity: 'medium', reason: 'The exam window lost focus.' })]);
  });

  it('refuses an id another attempt already uses, that entry only, and never overwrites it', async () => {
    await post([focusLost(1, T0 + 1_000)]);
    const other = (await t.signIn('learner2')).accessToken;
    const theirs = await startAttempt(t, other, 'practice-mini');
    const clash = await post([focusLost(2, T0), { ...focusLost(1, T0 + 2_000, T0 + 4_000), reason: 'theirs' }], other, theirs);
    expect(clash.status).toBe(200);
    expect(clash.body).toEqual({ stored: 1, duplicate: 0, rejected: [{ index: 1, id: ID(1), code: 'id_taken', message: expect.any(String) }] });
    expect((await list(theirs)).map((e) => e.id)).toEqual([ID(2)]);
    expect(await list()).toEqual([expect.objectContaining({ id: ID(1), endedAt: null, reason: 'The exam window lost focus.' })]);
  });

  it('refuses the kinds only the server raises', async () => {
    const res = await post([{ ...focusLost(1, T0), kind: 'duplicate_account', severity: 'high' }]);
    expect(res.status).toBe(200);
    expect(res.body.rejected).toEqual([{ index: 0, id: ID(1), code: 'server_only_kind', message: expect.any(String) }]);
    expect(await list()).toEqual([]);
  });

  it('is the owning learner’s to post and staff’s to read', async () => {
    const other = (await t.signIn('learner2')).accessToken;
    expect((await post([focusLost(1, T0)], other)).status).toBe(404);
    expect((await post([focusLost(1, T0)], proctor)).status).toBe(403);
    expect((await t.call('postEvents', { params: { sessionId }, body: { events: [focusLost(1, T0)] } })).status).toBe(401);
    const asLearner = await t.call('listEvents', { token: learner, params: { sessionId } });
    expect(asLearner.status).toBe(403);
    expect(asLearner.body.error.code).toBe('forbidden');
    const admin = (await t.signIn('admin')).accessToken;
    expect((await t.call('listEvents', { token: admin, params: { sessionId } })).status).toBe(200);
    expect((await t.call('listEvents', { token: proctor, params: { sessionId: 'no-such-session' } })).status).toBe(404);
    // Events sent after the submit (a flush after an outage) still count.
    await t.call('submitSession', { token: learner, params: { sessionId }, body: {} });
    expect((await post([focusLost(9, T0)])).body).toEqual({ stored: 1, duplicate: 0, rejected: [] });
  });
});
