import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helper';
import { type ReviewTestDb, reviewTestDb } from './test/reviewDb';

const MIN = 60_000;

describeEachDialect('review queue', (dialect) => {
  let t: ReviewTestDb;
  beforeEach(async () => {
    t = await reviewTestDb(dialect);
  });
  afterEach(() => t.dispose());

  const status = async (sessionId: string) =>
    (await t.db.selectFrom('sessions').select('status').where('id', '=', sessionId).executeTakeFirstOrThrow()).status;
  const auditOf = async (entryId: string) => (await t.queue.get(entryId)).audit.map((a) => `${a.action}:${a.actorId ?? '-'}:${a.round}`);

  it('enqueues idempotently and only submitted or timed-out attempts', async () => {
    const [a] = await t.addSessions(1);
    const first = await t.queue.enqueue(a!, 0.4);
    const again = await t.queue.enqueue(a!, 0.9);
    expect(again).toEqual(first);
    expect(first).toMatchObject({ sessionId: a, examId: 'exam-a', riskScore: 0.4, state: 'queued', round: 1, sessionStatus: 'submitted' });
    expect(await t.db.selectFrom('review_queue').select('id').execute()).toHaveLength(1);
    const [late] = await t.addSessions(1, { status: 'timed_out' });
    expect((await t.queue.enqueue(late!, 0)).sessionStatus).toBe('timed_out');
    const [running] = await t.addSessions(1, { status: 'started' });
    await expect(t.queue.enqueue(running!, 1)).rejects.toMatchObject({ code: 'illegal_transition' });
    await expect(t.queue.enqueue('nope', 1)).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.queue.enqueue(a!, Number.NaN)).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('hands out the highest risk first, then the oldest', async () => {
    const [low, highOld, highNew, mid] = await t.addSessions(4);
    await t.queue.enqueue(low!, 0.1);
    await t.queue.enqueue(highOld!, 0.9);
    t.clock.advance(1_000);
    await t.queue.enqueue(highNew!, 0.9);
    await t.queue.enqueue(mid!, 0.5);
    const order: string[] = [];
    for (let i = 0; i < 4; i += 1) order.push((await t.queue.claimNext(`p${i}`, MIN))!.sessionId);
    expect(order).toEqual([highOld, highNew, mid, low]);
    expect(await t.queue.claimNext('p9', MIN)).toBeNull();
  });

  it('never gives one entry to two of 8 concurrent claimers (200 entries)', async () => {
    const ids = await t.addSessions(200);
    await t.queue.enqueueMany(ids.map((sessionId, i) => ({ sessionId, riskScore: (i * 37) % 100 })));
    const claimedBy = new Map<string, string[]>();
    await Promise.all(
      Array.from({ length: 8 }, async (_, c) => {
        for (;;) {
          const claim = await t.queue.claimNext(`proctor-${c}`, MIN);
          if (!claim) return;
          claimedBy.set(claim.entryId, [...(claimedBy.get(claim.entryId) ?? []), `proctor-${c}`]);
          expect(claim.holderId).toBe(`proctor-${c}`);
        }
      }),
    );
    expect(claimedBy.size).toBe(200);
    expect([...claimedBy.values()].every((holders) => holders.length === 1)).toBe(true);
    // More than one claimer got work, so the claims really overlapped.
    expect(new Set([...claimedBy.values()].flat()).size).toBeGreaterThan(1);
    const audited = await t.db.selectFrom('review_audit').select('entry_id').where('action', '=', 'claim').execute();
    expect(audited).toHaveLength(200);
    expect((await t.queue.list()).counts).toEqual({ queued: 0, claimed: 200, done: 0, secondReview: 0 });
  });

  it('returns a session to the queue when its lease runs out, and the holder loses it', async () => {
    const [a] = await t.addSessions(1);
    const { entryId } = await t.queue.enqueue(a!, 1);
    await t.queue.claimNext('p1', MIN);
    expect(await t.queue.claimNext('p2', MIN)).toBeNull();
    t.clock.advance(MIN);
    expect((await t.queue.list()).entries[0]).toMatchObject({ state: 'queued', holderId: null });
    await expect(t.queue.heartbeat(entryId, 'p1')).rejects.toMatchObject({ code: 'review_lease_lost' });
    const reclaimed = await t.queue.claimNext('p2', MIN);
    expect(reclaimed).toMatchObject({ entryId, holderId: 'p2', state: 'claimed' });
    await expect(t.queue.decide(entryId, 'p1', { decision: 'clean' })).rejects.toMatchObject({ code: 'review_lease_lost' });
    await expect(t.queue.comment(entryId, 'p1', { startSecond: 1, endSecond: 2, text: 'late' })).rejects.toMatchObject({ code: 'review_lease_lost' });
    expect(await auditOf(entryId)).toEqual(['enqueue:-:1', 'claim:p1:1', 'lease_expired:p1:1', 'claim:p2:1']);
  });

  it('extends the lease on each heartbeat', async () => {
    const [a] = await t.addSessions(1);
    const { entryId } = await t.queue.enqueue(a!, 1);
    await t.queue.claimNext('p1', MIN);
    for (let i = 0; i < 3; i += 1) {
      t.clock.advance(50_000);
      const beat = await t.queue.heartbeat(entryId, 'p1');
      expect(beat.leaseExpiresAt).toBe(new Date(t.clock.now + MIN).toISOString());
    }
    t.clock.advance(50_000);
    expect(await t.queue.claimNext('p2', MIN)).toBeNull();
    await expect(t.queue.heartbeat(entryId, 'p2')).rejects.toMatchObject({ code: 'review_lease_lost' });
    await expect(t.queue.heartbeat('missing', 'p1')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('releases back to the queue in its place; only the holder may release', async () => {
    const [a, b] = await t.addSessions(2);
    const { entryId } = await t.queue.enqueue(a!, 0.9);
    await t.queue.enqueue(b!, 0.1);
    await t.queue.claimNext('p1', MIN);
    await expect(t.queue.release(entryId, 'p2')).rejects.toMatchObject({ code: 'review_lease_lost' });
    expect(await t.queue.release(entryId, 'p1')).toMatchObject({ state: 'queued', holderId: null });
    expect((await t.queue.claimNext('p2', MIN))!.entryId).toBe(entryId);
  });

  it('counts the same decision by the same proctor twice as one decision', async () => {
    const [a] = await t.addSessions(1);
    const { entryId } = await t.queue.enqueue(a!, 1);
    await t.queue.claimNext('p1', MIN);
    const first = await t.queue.decide(entryId, 'p1', { decision: 'clean', notes: 'all fine' });
    t.clock.advance(5_000);
    const replay = await t.queue.decide(entryId, 'p1', { decision: 'clean', notes: 'all fine' });
    expect(replay).toEqual(first);
    expect(first.entry).toMatchObject({ state: 'done', sessionStatus: 'verified' });
    expect(await t.db.selectFrom('review_decisions').selectAll().execute()).toHaveLength(1);
    await expect(t.queue.decide(entryId, 'p1', { decision: 'suspicious', reasonCodes: ['speech'] })).rejects.toMatchObject({
      code: 'review_already_decided',
    });
    expect(await status(a!)).toBe('verified');
    expect((await auditOf(entryId)).filter((x) => x.startsWith('decision'))).toHaveLength(1);
    const events = await t.db.selectFrom('session_events').select(['from_status', 'to_status']).where('session_id', '=', a!).execute();
    expect(events).toEqual([{ from_status: 'submitted', to_status: 'verified' }]);
  });

  it('sends suspicion to a second review by another proctor, who rejects or verifies', async () => {
    const [a, b] = await t.addSessions(2);
    const entryA = (await t.queue.enqueue(a!, 0.9)).entryId;
    const entryB = (await t.queue.enqueue(b!, 0.5)).entryId;
    await t.queue.claimNext('p1', MIN);
    const r1 = await t.queue.decide(entryA, 'p1', { decision: 'suspicious', reasonCodes: ['looking_away'] });
    expect(r1.entry).toMatchObject({ state: 'queued', round: 2, sessionStatus: 'second_review_required' });
    // p1 may not take the second review of their own first one: the next for them is B.
    expect((await t.queue.claimNext('p1', MIN))!.entryId).toBe(entryB);
    expect((await t.queue.list()).counts).toMatchObject({ queued: 1, secondReview: 1 });
    const second = await t.queue.claimNext('p2', MIN);
    expect(second).toMatchObject({ entryId: entryA, round: 2 });
    const r2 = await t.queue.decide(entryA, 'p2', { decision: 'rules_violation', reasonCodes: ['unauthorized_device', 'speech'] });
    expect(r2.decision).toMatchObject({ round: 2, reviewerId: 'p2', reasonCodes: ['speech', 'unauthorized_device'] });
    expect(await status(a!)).toBe('rejected');

    await t.queue.decide(entryB, 'p1', { decision: 'rules_violation', reasonCodes: ['other'], notes: 'phone on the desk' });
    await expect(t.queue.claimNext('p1', MIN)).resolves.toBeNull();
    await t.queue.claimNext('p3', MIN);
    await t.queue.decide(entryB, 'p3', { decision: 'clean' });
    expect(await status(b!)).toBe('verified');
    const detail = await t.queue.get(entryB);
    expect(detail.decisions.map((d) => [d.round, d.reviewerId, d.decision])).toEqual([
      [1, 'p1', 'rules_violation'],
      [2, 'p3', 'clean'],
    ]);
  });

  it('sends not_reviewed to error for staff, where the learner cannot reopen it', async () => {
    const [a] = await t.addSessions(1);
    const { entryId } = await t.queue.enqueue(a!, 1);
    await t.queue.claimNext('p1', MIN);
    const result = await t.queue.decide(entryId, 'p1', { decision: 'not_reviewed', reasonCodes: ['recording_missing'] });
    expect(result.entry).toMatchObject({ state: 'done', sessionStatus: 'error' });
    expect(await status(a!)).toBe('error');
  });

  it('refuses illegal moves and leaves nothing behind', async () => {
    const [a] = await t.addSessions(1);
    const { entryId } = await t.queue.enqueue(a!, 1);
    await expect(t.queue.decide(entryId, 'p1', { decision: 'clean' })).rejects.toMatchObject({ code: 'review_lease_lost' });
    await expect(t.queue.decide('missing', 'p1', { decision: 'clean' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.queue.decide(entryId, 'p1', { decision: 'suspicious' })).rejects.toThrow(/reason code/);
    await t.queue.claimNext('p1', MIN);
    // Staff finished the attempt some other way meanwhile: review may not move it again.
    await t.db.updateTable('sessions').set({ status: 'verified' }).where('id', '=', a!).execute();
    await expect(t.queue.decide(entryId, 'p1', { decision: 'suspicious', reasonCodes: ['speech'] })).rejects.toMatchObject({
      code: 'illegal_transition',
    });
    expect(await t.db.selectFrom('review_decisions').selectAll().execute()).toEqual([]);
    expect(await status(a!)).toBe('verified');
    expect((await t.queue.get(entryId)).entry).toMatchObject({ state: 'claimed', holderId: 'p1' });
  });

  it('keeps timestamped comments and audits every claim, release, expiry, comment and decision', async () => {
    const [a] = await t.addSessions(1);
    const { entryId } = await t.queue.enqueue(a!, 1);
    await t.queue.claimNext('p1', MIN);
    await t.queue.comment(entryId, 'p1', { startSecond: 125.5, endSecond: 131, text: 'looks at a second screen' });
    await t.queue.release(entryId, 'p1');
    await t.queue.claimNext('p2', MIN);
    t.clock.advance(2 * MIN);
    await t.queue.claimNext('p3', MIN);
    await t.queue.comment(entryId, 'p3', { startSecond: 12, endSecond: 12, text: 'no face' });
    await t.queue.decide(entryId, 'p3', { decision: 'suspicious', reasonCodes: ['no_face'] });
    await t.queue.claimNext('p4', MIN);
    await t.queue.decide(entryId, 'p4', { decision: 'clean' });
    const detail = await t.queue.get(entryId);
    expect(detail.audit.map((x) => `${x.action}:${x.actorId ?? '-'}:${x.round}`)).toEqual([
      'enqueue:-:1',
      'claim:p1:1',
      'comment:p1:1',
      'release:p1:1',
      'claim:p2:1',
      'lease_expired:p2:1',
      'claim:p3:1',
      'comment:p3:1',
      'decision:p3:1',
      'claim:p4:2',
      'decision:p4:2',
    ]);
    expect(detail.audit.at(-1)!.detail).toEqual({ decision: 'clean', reasonCodes: [], outcome: 'verified' });
    expect(detail.comments.map((c) => [c.startSecond, c.endSecond, c.authorId, c.text])).toEqual([
      [12, 12, 'p3', 'no face'],
      [125.5, 131, 'p1', 'looks at a second screen'],
    ]);
    // Comment text stays out of the audit log.
    expect(JSON.stringify(detail.audit)).not.toContain('second screen');
    await expect(t.queue.comment(entryId, 'p1', { startSecond: 9, endSecond: 3, text: 'x' })).rejects.toThrow(/end cannot come before/);
  });

  it('lists by exam and state with counts', async () => {
    const a = await t.addSessions(3, { examId: 'exam-a' });
    const b = await t.addSessions(2, { examId: 'exam-b' });
    await t.queue.enqueueMany([...a, ...b].map((sessionId, i) => ({ sessionId, riskScore: i })));
    await t.queue.claimNext('p1', MIN, { examId: 'exam-a' });
    const onlyA = await t.queue.list({ examId: 'exam-a' });
    expect(onlyA.counts).toEqual({ queued: 2, claimed: 1, done: 0, secondReview: 0 });
    expect(onlyA.total).toBe(3);
    expect(onlyA.entries.map((e) => e.sessionId)).toEqual([a[2], a[1], a[0]]);
    const claimed = await t.queue.list({ state: 'claimed' });
    expect(claimed.entries.map((e) => [e.sessionId, e.holderId])).toEqual([[a[2], 'p1']]);
    const page = await t.queue.list({ limit: 2, offset: 1 });
    expect(page.entries.map((e) => e.sessionId)).toEqual([b[0], a[2]]);
    expect(page.total).toBe(5);
    expect((await t.queue.list({ sessionStatus: 'verified' })).total).toBe(0);
  });
});
