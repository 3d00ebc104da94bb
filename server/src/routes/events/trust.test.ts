import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { EventListResponse, type SessionEventInput } from '../../../../shared/api';
import { SessionRiskResponse } from '../../../../shared/api/risk';
import { completeStartChecks, createTestServer, describeEachDialect, ISO, startAttempt, T0, type TestServer } from '../../../test/helper';
import { uuidFromKey } from '../../events/eventIds';
import { EVENT_CLOCK_GRACE_MS, raiseServerEvent } from '../../events/monitorEvents';
import type { ReviewDatabase } from '../../review/schema';

const ID = (n: number): string => `5b3e8c10-0000-4000-8000-${String(n).padStart(12, '0')}`;

const focusLost = (id: string, at: number, endedAt: number | null = null, extra: Partial<SessionEventInput> = {}): SessionEventInput => ({
  id,
  kind: 'focus_lost',
  severity: 'low',
  startedAt: ISO(at),
  endedAt: endedAt === null ? null : ISO(endedAt),
  reason: 'The exam window lost focus.',
  detail: {},
  ...extra,
});

describeEachDialect('session events: what the learner’s app cannot change', (dialect) => {
  let t: TestServer;
  let learner: string;
  let learner2: string;
  let proctor: string;
  beforeEach(async () => {
    t = await createTestServer(dialect);
    learner = (await t.signIn('learner')).accessToken;
    learner2 = (await t.signIn('learner2')).accessToken;
    proctor = (await t.signIn('proctor')).accessToken;
  });
  afterEach(() => t.close());

  const post = (sessionId: string, events: unknown[], token = learner) => t.call('postEvents', { token, params: { sessionId }, body: { events } });
  const list = async (sessionId: string) => {
    const res = await t.call('listEvents', { token: proctor, params: { sessionId } });
    expect(res.status).toBe(200);
    return EventListResponse.parse(res.body).events;
  };
  const risk = async (sessionId: string) => {
    const res = await t.call('sessionRisk', { token: proctor, params: { sessionId } });
    expect(res.status).toBe(200);
    return SessionRiskResponse.parse(res.body);
  };
  const create = async (token: string, examId = 'practice-mini'): Promise<string> => {
    const res = await t.call('createSession', { token, body: { examId, client: 'desktop' } });
    expect(res.status).toBe(200);
    return res.body.id as string;
  };
  const ok = (res: { status: number; text: string }) => expect(res.status, res.text).toBe(200);

  // What the identity check raises (identityService.ts), under the same keys.
  const raiseUnverified = (sessionId: string) =>
    raiseServerEvent(
      t.db,
      sessionId,
      'identity_unverified',
      { kind: 'identity_unverified', severity: 'medium', reason: 'The learner went on without a matching ID after 1 photo.', detail: { reason: 'learner_choice', attempts: 1 } },
      t.clock.read(),
    );
  const raiseDuplicate = (sessionId: string, otherSessionId: string) =>
    raiseServerEvent(
      t.db,
      sessionId,
      `duplicate_account:${otherSessionId}`,
      { kind: 'duplicate_account', severity: 'high', reason: 'The same identity document was presented by another account.', detail: { otherSessionId } },
      t.clock.read(),
    );

  it('stores and scores the server’s identity flags whatever the learner posted under their ids, and keeps their ends', async () => {
    // learner2 is the attacker's other account: the learner knows both attempts' ids.
    const theirs = await create(learner2);
    const mine = await create(learner);
    const unverifiedId = uuidFromKey(`${mine}:identity_unverified`);
    const duplicateId = uuidFromKey(`${mine}:duplicate_account:${theirs}`);

    // Before the server raises them, the learner claims both ids with harmless events.
    const claimed = await post(mine, [focusLost(unverifiedId, T0), focusLost(duplicateId, T0), focusLost(ID(1), T0)]);
    ok(claimed);
    expect(claimed.body).toEqual({
      stored: 1,
      duplicate: 0,
      rejected: [
        { index: 0, id: unverifiedId, code: 'server_event_id', message: expect.any(String) },
        { index: 1, id: duplicateId, code: 'server_event_id', message: expect.any(String) },
      ],
    });

    expect(await raiseDuplicate(mine, theirs)).toBe(true);
    expect(await raiseUnverified(mine)).toBe(true);
    await completeStartChecks(t, learner, mine);
    ok(await t.call('startSession', { token: learner, params: { sessionId: mine }, body: {} }));

    // Then it tries to close the server's flags before they began.
    const closing = await post(mine, [focusLost(unverifiedId, T0 - 60_000, T0 - 30_000), focusLost(duplicateId, T0 - 60_000, T0 - 30_000)]);
    ok(closing);
    expect(closing.body.stored).toBe(0);
    expect(closing.body.rejected.map((r: { code: string }) => r.code)).toEqual(['server_event_id', 'server_event_id']);

    t.clock.advance(60_000);
    ok(await t.call('submitSession', { token: learner, params: { sessionId: mine }, body: {} }));
    const events = await list(mine);
    expect(events.filter((e) => e.id === unverifiedId)).toEqual([expect.objectContaining({ kind: 'identity_unverified', endedAt: null })]);
    expect(events.filter((e) => e.id === duplicateId)).toEqual([expect.objectContaining({ kind: 'duplicate_account', severity: 'high', endedAt: null })]);
    const rows = await t.db.selectFrom('monitor_events').select(['id', 'source']).where('id', 'in', [unverifiedId, duplicateId]).execute();
    expect(rows.map((r) => r.source)).toEqual(['server', 'server']);

    const score = await risk(mine);
    expect(score.contributions.map((c) => c.kind).sort()).toEqual(['duplicate_account', 'focus_lost', 'identity_unverified']);
    expect(score.score).toBeGreaterThan(80);
  });

  it('takes over a learner’s row left under a server id before such ids were refused', async () => {
    const mine = await create(learner);
    const unverifiedId = uuidFromKey(`${mine}:identity_unverified`);
    await t.db
      .insertInto('monitor_events')
      .values({
        id: unverifiedId,
        session_id: mine,
        kind: 'focus_lost',
        severity: 'low',
        started_at: T0,
        ended_at: T0 - 60_000,
        reason: 'planted',
        detail: '{}',
        source: 'client',
        received_at: T0,
        confidence: null,
        thumbnail: null,
      })
      .execute();
    expect(await raiseUnverified(mine)).toBe(true);
    // A repeat of the server's own event is still ignored.
    expect(await raiseUnverified(mine)).toBe(false);
    const row = await t.db.selectFrom('monitor_events').selectAll().where('id', '=', unverifiedId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ session_id: mine, kind: 'identity_unverified', source: 'server', ended_at: null, severity: 'medium' });
    expect((await risk(mine)).contributions.map((c) => c.kind)).toEqual(['identity_unverified']);
  });

  it('refuses recording-gap ids and the server’s kinds per entry, storing the rest of the batch', async () => {
    const mine = await startAttempt(t, learner, 'practice-mini');
    const gapId = uuidFromKey(`${mine}:recording_gap:take:0`);
    const endGapId = uuidFromKey(`${mine}:recording_gap:end:0`);
    const res = await post(mine, [
      focusLost(gapId, T0 + 1_000, T0 + 2_000),
      focusLost(ID(1), T0 + 1_000, T0 + 2_000),
      focusLost(endGapId.toUpperCase(), T0 + 1_000),
      ...(['identity_unverified', 'duplicate_account', 'recording_gap', 'identity_disagreement', 'attestation_failed'] as const).map((kind, i) =>
        focusLost(ID(10 + i), T0 + 1_000, null, { kind }),
      ),
    ]);
    ok(res);
    expect(res.body.stored).toBe(1);
    expect(res.body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [0, 'server_event_id'],
      [2, 'server_event_id'],
      [3, 'server_only_kind'],
      [4, 'server_only_kind'],
      [5, 'server_only_kind'],
      [6, 'server_only_kind'],
      [7, 'server_only_kind'],
    ]);
    expect((await list(mine)).map((e) => e.id)).toEqual([ID(1)]);
  });

  it('lets an end touch only the learner’s own open event of the same attempt', async () => {
    const mine = await startAttempt(t, learner, 'practice-mini');
    const theirs = await startAttempt(t, learner2, 'practice-mini');
    ok(await post(theirs, [focusLost(ID(1), T0 + 1_000)], learner2));
    const res = await post(mine, [focusLost(ID(1), T0 + 1_000, T0 + 2_000)]);
    ok(res);
    expect(res.body).toEqual({ stored: 0, duplicate: 0, rejected: [{ index: 0, id: ID(1), code: 'id_taken', message: expect.any(String) }] });
    expect((await list(theirs))[0]).toMatchObject({ id: ID(1), endedAt: null });
    expect(await list(mine)).toEqual([]);
  });

  it('refuses events once the review has decided, whole request, with 409 session_closed', async () => {
    const mine = await startAttempt(t, learner, 'practice-mini');
    const theirs = await startAttempt(t, learner2, 'practice-mini');
    t.clock.advance(60_000);
    for (const [token, sid] of [[learner, mine], [learner2, theirs]] as const) ok(await t.call('submitSession', { token, params: { sessionId: sid }, body: {} }));
    // After the submit the outbox may still drain.
    expect((await post(mine, [focusLost(ID(1), T0 + 1_000, T0 + 2_000)])).body).toEqual({ stored: 1, duplicate: 0, rejected: [] });

    const reviewDb = t.db as unknown as Kysely<ReviewDatabase>;
    await vi.waitFor(async () => expect(await reviewDb.selectFrom('review_queue').select('id').execute()).toHaveLength(2));
    const decide = async (sessionId: string, decision: string) => {
      const entry = await reviewDb.selectFrom('review_queue').select('id').where('session_id', '=', sessionId).executeTakeFirstOrThrow();
      const claim = await t.call('claimNext', { token: proctor, body: { leaseSeconds: 60 } });
      expect(claim.body.claim.entryId).toBe(entry.id);
      const body = decision === 'clean' ? { decision } : { decision, reasonCodes: ['other'], notes: 'seen on the recording' };
      const decided = await t.call('decide', { token: proctor, params: { entryId: entry.id }, body });
      expect(decided.status, decided.text).toBe(200);
    };
    const refused = async (sessionId: string, token: string) => {
      const res = await post(sessionId, [focusLost(randomUUID(), T0 + 3_000, T0 + 4_000)], token);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('session_closed');
    };

    // One claimable attempt at a time, so the claim is the one meant.
    await reviewDb.updateTable('review_queue').set({ state: 'done' }).where('session_id', '=', theirs).execute();
    await decide(mine, 'suspicious');
    expect((await t.db.selectFrom('sessions').select('status').where('id', '=', mine).executeTakeFirstOrThrow()).status).toBe('second_review_required');
    await refused(mine, learner);

    // The second review of mine is not this proctor's to take, so the claim is theirs.
    await reviewDb.updateTable('review_queue').set({ state: 'queued' }).where('session_id', '=', theirs).execute();
    await decide(theirs, 'not_reviewed');
    // `error` is not a final status, but the attempt has a decision.
    expect((await t.db.selectFrom('sessions').select('status').where('id', '=', theirs).executeTakeFirstOrThrow()).status).toBe('error');
    await refused(theirs, learner2);

    for (const status of ['verified', 'rejected']) {
      await t.db.updateTable('sessions').set({ status }).where('id', '=', mine).execute();
      await refused(mine, learner);
    }
    expect((await list(mine)).map((e) => e.id)).toEqual([ID(1)]);
  });

  it('after the submit, takes only intervals that began before the attempt ended (plus a grace), per entry', async () => {
    const mine = await startAttempt(t, learner, 'practice-mini');
    t.clock.advance(300_000);
    ok(await t.call('submitSession', { token: learner, params: { sessionId: mine }, body: {} }));
    const end = T0 + 300_000;
    t.clock.advance(EVENT_CLOCK_GRACE_MS + 60_000);
    const res = await post(mine, [
      focusLost(ID(1), end - 10_000, end + 5_000),
      focusLost(ID(2), end + EVENT_CLOCK_GRACE_MS, end + EVENT_CLOCK_GRACE_MS + 1_000),
      focusLost(ID(3), end + EVENT_CLOCK_GRACE_MS + 1, end + EVENT_CLOCK_GRACE_MS + 1_000),
      focusLost(ID(4), end + 3_000_000),
    ]);
    ok(res);
    expect(res.body.stored).toBe(2);
    expect(res.body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [2, 'outside_attempt'],
      [3, 'outside_attempt'],
    ]);
    expect((await list(mine)).map((e) => e.id)).toEqual([ID(1), ID(2)]);
  });

  it('refuses per entry an interval that ends before it starts, also as the end of an event already stored', async () => {
    const mine = await startAttempt(t, learner, 'practice-mini');
    ok(await post(mine, [focusLost(ID(1), T0 + 10_000)]));
    const res = await post(mine, [
      focusLost(ID(2), T0 + 5_000, T0 + 4_999),
      focusLost(ID(1), T0 + 10_000, T0 + 9_000),
      focusLost(ID(1), T0 + 1_000, T0 + 9_000),
      focusLost(ID(3), T0 + 5_000, T0 + 5_000),
    ]);
    ok(res);
    expect(res.body.stored).toBe(1);
    expect(res.body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [0, 'ends_before_start'],
      [1, 'ends_before_start'],
      [2, 'ends_before_start'],
    ]);
    const events = await list(mine);
    expect(events.map((e) => [e.id, e.endedAt])).toEqual([
      [ID(3), ISO(T0 + 5_000)],
      [ID(1), null],
    ]);
  });

  it('takes events from the secured window before the start, within the attempt’s time', async () => {
    // The lockdown engages before startSession (and a refused start releases it, closing intervals).
    const mine = await create(learner);
    ok(await post(mine, [focusLost(ID(1), T0 + 1_000, T0 + 2_000)]));
    await completeStartChecks(t, learner, mine);
    const res = await post(mine, [
      focusLost(ID(2), T0 + 3_000),
      focusLost(ID(3), T0 - EVENT_CLOCK_GRACE_MS - 1, T0),
      focusLost(ID(4), T0 + EVENT_CLOCK_GRACE_MS + 1),
    ]);
    ok(res);
    expect(res.body.stored).toBe(1);
    expect(res.body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [1, 'outside_attempt'],
      [2, 'outside_attempt'],
    ]);
    expect((await t.db.selectFrom('sessions').select('status').where('id', '=', mine).executeTakeFirstOrThrow()).status).toBe('created');
    expect((await list(mine)).map((e) => e.id)).toEqual([ID(1), ID(2)]);
  });

  it('fails only the entry with a NUL or a lone surrogate (invalid_text) or a bad shape (invalid_entry)', async () => {
    const mine = await startAttempt(t, learner, 'practice-mini');
    const res = await post(mine, [
      focusLost(ID(1), T0 + 1_000, null, { reason: 'lost focus\u0000' }),
      focusLost(ID(2), T0 + 1_000, null, { detail: { app: 'Finder\ud800' } }),
      focusLost(ID(3), T0 + 1_000, null, { detail: { ['\udc00key']: 1 } }),
      focusLost(ID(4), T0 + 1_000, null, { detail: { processes: ['a', 'b\u0000'] } }),
      { ...focusLost(ID(5), T0 + 1_000), kind: 'teleported' },
      'not an event',
      focusLost(ID(6), T0 + 1_000),
      { ...focusLost(ID(7), T0 + 1_000), thumbnail: Buffer.from('not a jpeg at all').toString('base64') },
    ]);
    ok(res);
    expect(res.body.stored).toBe(1);
    expect(res.body.rejected).toEqual([
      { index: 0, id: ID(1), code: 'invalid_text', message: expect.stringContaining('reason') },
      { index: 1, id: ID(2), code: 'invalid_text', message: expect.stringContaining('detail.app') },
      { index: 2, id: ID(3), code: 'invalid_text', message: expect.stringContaining('detail') },
      { index: 3, id: ID(4), code: 'invalid_text', message: expect.stringContaining('detail.processes.1') },
      { index: 4, id: ID(5), code: 'invalid_entry', message: expect.stringContaining('kind') },
      { index: 5, id: null, code: 'invalid_entry', message: expect.any(String) },
      { index: 7, id: ID(7), code: 'invalid_entry', message: expect.stringContaining('thumbnail') },
    ]);
    expect((await list(mine)).map((e) => e.id)).toEqual([ID(6)]);
  });
});
