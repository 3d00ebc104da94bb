import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { EventListResponse, type SessionEventInput, type UserView } from '../../../shared/api';
import { SessionRiskResponse } from '../../../shared/api/risk';
import { createTestServer, describeEachDialect, fakeJpeg, ISO, startAttempt, T0, type TestServer } from '../../test/helper';
import { ExamStore } from '../exams/examStore';
import { feedReviewQueue, refreshLateRisk } from '../review/reviewFeeder';
import { ReviewQueue } from '../review/reviewQueue';
import type { ReviewDatabase } from '../review/schema';
import { MonitorEvents } from './monitorEvents';

const ID = (n: number): string => `7a2d3b50-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

const capture = (n: number, kind: SessionEventInput['kind'], at: number, seconds: number, extra: Partial<SessionEventInput> = {}): SessionEventInput => ({
  id: ID(n),
  kind,
  severity: 'medium',
  startedAt: ISO(at),
  endedAt: ISO(at + seconds * 1000),
  reason: `${kind} for ${seconds} s.`,
  detail: {},
  ...extra,
});

describeEachDialect('flags: evidence, recording gaps and risk', (dialect) => {
  let t: TestServer;
  let learner: string;
  let proctor: string;
  let sessionId: string;
  let events: MonitorEvents;
  let staff: UserView;
  beforeEach(async () => {
    t = await createTestServer(dialect);
    learner = (await t.signIn('learner')).accessToken;
    proctor = (await t.signIn('proctor')).accessToken;
    sessionId = await startAttempt(t, learner, 'practice-mini');
    events = new MonitorEvents({ db: t.db, dialect, exams: new ExamStore(t.db, t.clock.read), clock: t.clock.read });
    staff = (await t.call('me', { token: proctor })).body as UserView;
  });
  afterEach(() => t.close());

  const post = (batch: SessionEventInput[], token = learner, sid = sessionId) => t.call('postEvents', { token, params: { sessionId: sid }, body: { events: batch } });
  const list = async (sid = sessionId) => {
    const res = await t.call('listEvents', { token: proctor, params: { sessionId: sid } });
    expect(res.status).toBe(200);
    return EventListResponse.parse(res.body).events;
  };
  const submit = async (token: string, sid: string) => {
    const res = await t.call('submitSession', { token, params: { sessionId: sid }, body: {} });
    expect(res.status).toBe(200);
  };
  const take = (sid: string, index: number, from: number, to: number, endReason: string | null) =>
    t.db
      .insertInto('recording_takes')
      .values({ session_id: sid, take_index: index, started_at: from, ended_at: to, end_reason: endReason, segments: 1, chunks: 1, bytes: 1, remux_status: 'done', duration_ms: to - from })
      .execute();

  it('stores confidence and the evidence JPEG and gives them back to staff as sent', async () => {
    const jpeg = fakeJpeg(0x42, 24 * 1024);
    const batch = [
      capture(1, 'absent', T0 + 1_000, 12, { confidence: 0.7, thumbnail: jpeg.toString('base64') }),
      capture(2, 'speech', T0 + 2_000, 6, { confidence: 0.123456789 }),
      { ...capture(3, 'focus_lost', T0 + 3_000, 4) },
    ];
    expect((await post(batch)).body).toEqual({ stored: 3, duplicate: 0, rejected: [] });
    const stored = await list();
    expect(stored).toEqual([
      expect.objectContaining({ id: ID(1), confidence: 0.7, thumbnail: jpeg.toString('base64') }),
      expect.objectContaining({ id: ID(2), confidence: 0.123456789, thumbnail: null }),
      expect.objectContaining({ id: ID(3), confidence: null, thumbnail: null }),
    ]);
    expect(Buffer.from(stored[0]!.thumbnail!, 'base64').equals(jpeg)).toBe(true);
    // Staff only: the learner who sent them cannot read them back.
    expect((await t.call('listEvents', { token: learner, params: { sessionId } })).status).toBe(403);
  });

  it('refuses a thumbnail that is not a whole JPEG of at most 24 KB, that entry only', async () => {
    const truncated = fakeJpeg(0x42, 400).subarray(0, 300);
    const cases: [Buffer, string][] = [
      [PNG, 'not a whole JPEG'],
      [truncated, 'not a whole JPEG'],
      [fakeJpeg(0x42, 24 * 1024 + 1), ''],
    ];
    for (const [bytes, message] of cases) {
      const res = await post([capture(1, 'absent', T0, 12), capture(2, 'absent', T0 + 20_000, 12, { thumbnail: bytes.toString('base64') })]);
      expect(res.status).toBe(200);
      expect(res.body.rejected).toEqual([{ index: 1, id: ID(2), code: 'invalid_entry', message: expect.stringMatching(new RegExp(`thumbnail: .*${message}`)) }]);
    }
    expect((await list()).map((e) => e.id)).toEqual([ID(1)]);
  });

  it('turns the recording’s gaps into recording_gap flags from the server, stable across reads, and refuses them from the app', async () => {
    await take(sessionId, 0, T0 + 10_000, T0 + 70_000, 'camera_lost');
    await take(sessionId, 1, T0 + 100_000, T0 + 200_000, 'interrupted');
    await post([capture(1, 'focus_lost', T0 + 80_000, 5)]);
    const during = await list();
    expect(during.map((e) => e.kind)).toEqual(['recording_gap', 'focus_lost']);
    expect(during[0]).toMatchObject({
      kind: 'recording_gap',
      severity: 'medium',
      startedAt: ISO(T0 + 70_000),
      endedAt: ISO(T0 + 100_000),
      confidence: null,
      thumbnail: null,
      detail: { afterTake: 0, seconds: 30, cause: 'camera_lost' },
    });
    expect(during[0]!.reason).toBe('The recording stopped for 30 s after take 1 (the camera was lost) and then went on.');
    expect((await list())[0]!.id).toBe(during[0]!.id);

    // Once the attempt ends, a take that ended early leaves the rest of the exam unrecorded: that is a gap too.
    t.clock.advance(600_000);
    await submit(learner, sessionId);
    const after = await list();
    expect(after.filter((e) => e.kind === 'recording_gap')).toEqual([
      expect.objectContaining({ startedAt: ISO(T0 + 70_000) }),
      expect.objectContaining({ startedAt: ISO(T0 + 200_000), endedAt: ISO(T0 + 600_000), severity: 'high', detail: { afterTake: 1, seconds: 400, cause: 'interrupted' } }),
    ]);

    const fromApp = await post([{ ...capture(2, 'recording_gap', T0, 10) }]);
    expect(fromApp.status).toBe(200);
    expect(fromApp.body.rejected).toEqual([{ index: 0, id: ID(2), code: 'server_only_kind', message: expect.any(String) }]);
  });

  it('explains the risk score to staff: one sentence per kind, adding up to the score', async () => {
    expect(await events.risk(staff, sessionId)).toEqual({ sessionId, score: 0, contributions: [], summary: 'No flags: nothing was seen that needs a look.' });
    await post([
      capture(1, 'multiple_faces', T0 + 1_000, 45, { severity: 'high', confidence: 0.9 }),
      capture(2, 'focus_lost', T0 + 60_000, 6),
      capture(3, 'display_removed', T0 + 70_000, 0, { severity: 'info', endedAt: null }),
    ]);
    await take(sessionId, 0, T0, T0 + 50_000, 'camera_lost');
    await take(sessionId, 1, T0 + 80_000, T0 + 90_000, null);
    const risk = SessionRiskResponse.parse(await events.risk(staff, sessionId));
    expect(risk.contributions.map((c) => c.kind)).toEqual(['multiple_faces', 'recording_gap', 'focus_lost', 'display_removed']);
    expect(risk.score).toBeCloseTo(risk.contributions.reduce((n, c) => n + c.points, 0), 5);
    expect(risk.score).toBeGreaterThan(15);
    expect(risk.contributions[0]!.reason).toMatch(/^1 several faces in view lasting 45 s in all \(high, detector confidence 90 % on average\): [\d.]+ points of at most 35\.$/);
    expect(risk.summary).toContain('not a verdict');
    expect(await events.riskOf(sessionId)).toBe(risk.score);
    expect(await events.riskOf('no-such-session')).toBe(0);
  });

  it('orders the review queue by risk when the feeder uses riskOf: the riskiest attempt is claimed first', async () => {
    const learner2 = (await t.signIn('learner2')).accessToken;
    const quiet = sessionId;
    const noisy = await startAttempt(t, learner2, 'practice-mini');
    const serious = await startAttempt(t, learner2, 'final-mini');
    await post([capture(1, 'focus_lost', T0 + 1_000, 6), capture(2, 'looking_away', T0 + 9_000, 20, { severity: 'low', confidence: 0.6 })], learner2, noisy);
    await post([capture(3, 'blocked_process', T0 + 1_000, 0, { severity: 'high', endedAt: null }), capture(4, 'multiple_faces', T0 + 5_000, 60, { severity: 'high', confidence: 0.95 })], learner2, serious);
    t.clock.advance(60_000);
    for (const [token, sid] of [[learner, quiet], [learner2, serious], [learner2, noisy]] as const) await submit(token, sid);

    // Until app.ts passes riskOf the app feeds every attempt at 0 (after the submit's response): let it
    // finish, empty the queue and feed it as app.ts will.
    const reviewDb = t.db as unknown as Kysely<ReviewDatabase>;
    const queued = async () => (await reviewDb.selectFrom('review_queue').select('session_id').execute()).length;
    await vi.waitFor(async () => expect(await queued()).toBe(3));
    await reviewDb.deleteFrom('review_queue').execute();
    const review = new ReviewQueue({ db: reviewDb, dialect, clock: t.clock.read, random: (n) => randomBytes(n) });
    expect(await feedReviewQueue(reviewDb, review, events.riskOf)).toBe(3);
    const scores = async () =>
      Object.fromEntries((await reviewDb.selectFrom('review_queue').select(['session_id', 'risk_score']).execute()).map((r) => [r.session_id, Number(r.risk_score)]));
    const fed = await scores();
    expect(fed[serious]).toBeGreaterThan(40);
    expect(fed[noisy]).toBeGreaterThan(0);
    expect(fed[noisy]).toBeLessThan(10);
    expect(fed[quiet]).toBe(0);

    const claimed: { sessionId: string; riskScore: number }[] = [];
    const claimAll = async () => {
      for (let i = 0; i < 3; i += 1) {
        const res = await t.call('claimNext', { token: proctor, body: { leaseSeconds: 120 } });
        expect(res.status).toBe(200);
        claimed.push(res.body.claim);
      }
    };
    await claimAll();
    expect(claimed.map((c) => [c.sessionId, c.riskScore])).toEqual([
      [serious, fed[serious]],
      [noisy, fed[noisy]],
      [quiet, 0],
    ]);
  });

  it('rescores a queued attempt when flags arrive after the submit (a flush after an outage)', async () => {
    const learner2 = (await t.signIn('learner2')).accessToken;
    const quiet = sessionId;
    const serious = await startAttempt(t, learner2, 'final-mini');
    await post([capture(3, 'blocked_process', T0 + 1_000, 0, { severity: 'high', endedAt: null })], learner2, serious);
    t.clock.advance(60_000);
    await submit(learner, quiet);
    await submit(learner2, serious);
    const reviewDb = t.db as unknown as Kysely<ReviewDatabase>;
    const review = new ReviewQueue({ db: reviewDb, dialect, clock: t.clock.read, random: (n) => randomBytes(n) });
    await vi.waitFor(async () => expect((await reviewDb.selectFrom('review_queue').select('id').execute()).length).toBe(2));
    await feedReviewQueue(reviewDb, review, events.riskOf);
    const score = async (sid: string) => Number((await reviewDb.selectFrom('review_queue').select('risk_score').where('session_id', '=', sid).executeTakeFirstOrThrow()).risk_score);
    expect(await score(quiet)).toBe(0);

    t.clock.advance(5_000);
    await post([
      capture(10, 'blocked_process', T0 + 2_000, 0, { severity: 'high', endedAt: null }),
      capture(11, 'display_added', T0 + 3_000, 0, { severity: 'high', endedAt: null }),
      capture(12, 'multiple_faces', T0 + 4_000, 60, { severity: 'high', confidence: 1 }),
    ]);
    await feedReviewQueue(reviewDb, review, events.riskOf);
    expect(await score(quiet)).toBe(await events.riskOf(quiet));
    expect(await score(quiet)).toBeGreaterThan(await score(serious));
    const first = await t.call('claimNext', { token: proctor, body: { leaseSeconds: 120 } });
    expect(first.body.claim.sessionId).toBe(quiet);

    // Claimed entries are not rescored under the reviewer; nothing new, nothing rescored.
    t.clock.advance(5_000);
    await post([capture(13, 'focus_lost', T0 + 9_000, 5)]);
    expect(await refreshLateRisk(reviewDb, events.riskOf)).toBe(0);
  });
});
