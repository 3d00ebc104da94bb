import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestServer, describeEachDialect, startAttempt, type TestServer } from '../../test/helper';
import { runRetention, type RetentionLog } from './retention';
import type { ReviewDatabase } from './schema';

const DAY = 86_400_000;
const quiet: RetentionLog = { info: () => undefined, error: () => undefined };

describeEachDialect('retention', (dialect) => {
  let t: TestServer;
  let proctor: string;
  let learner: string;

  beforeEach(async () => {
    // The app's own job is off here; the test runs it by hand at chosen times.
    t = await createTestServer(dialect, { retentionDays: 0 });
    learner = (await t.signIn('learner')).accessToken;
    proctor = (await t.signIn('proctor')).accessToken;
  });
  afterEach(async () => {
    await t.close();
  });

  /** A submitted attempt with a recording file and an identity image on disk; returns its ids. */
  async function submitted(token = learner): Promise<{ sessionId: string; entryId: string }> {
    const sessionId = await startAttempt(t, token, 'practice-mini');
    const submit = await t.call('submitSession', { token, params: { sessionId }, body: {} });
    expect(submit.status).toBe(200);
    mkdirSync(join(t.dataDir, 'recordings', sessionId), { recursive: true });
    writeFileSync(join(t.dataDir, 'recordings', sessionId, 'take-0.webm'), 'video');
    mkdirSync(join(t.dataDir, 'identity', sessionId), { recursive: true });
    writeFileSync(join(t.dataDir, 'identity', sessionId, 'face.jpg'), 'jpeg');
    // The queue is fed from the submit's onResponse hook, which may finish just after the reply.
    let entry: { entryId: string; sessionId: string } | undefined;
    for (let i = 0; i < 50 && !entry; i++) {
      const list = await t.call('listQueue', { token: proctor, body: {} });
      entry = (list.body.entries as { entryId: string; sessionId: string }[]).find((e) => e.sessionId === sessionId);
      if (!entry) await new Promise((r) => setTimeout(r, 20));
    }
    expect(entry).toBeDefined();
    return { sessionId, entryId: entry!.entryId };
  }

  async function decide(who: 'proctor' | 'admin', decision: string, reasonCodes: string[] = []): Promise<void> {
    // Signed in afresh: the test clock moves days at a time and access tokens last minutes.
    const token = (await t.signIn(who)).accessToken;
    const claim = await t.call('claimNext', { token, body: {} });
    expect(claim.status).toBe(200);
    const entryId = claim.body.claim.entryId as string;
    const decided = await t.call('decide', { token, params: { entryId }, body: { decision, reasonCodes } });
    expect(decided.status).toBe(200);
  }

  const run = (days: number) =>
    runRetention({
      db: t.db as unknown as Kysely<ReviewDatabase>,
      clock: t.clock.read,
      days,
      recordingsDir: join(t.dataDir, 'recordings'),
      identityDir: join(t.dataDir, 'identity'),
      log: quiet,
    });
  const status = async (sessionId: string) =>
    (await t.call('getSession', { token: (await t.signIn('proctor')).accessToken, params: { sessionId } })).body.status as string;
  const kept = (sessionId: string) => [join(t.dataDir, 'recordings', sessionId), join(t.dataDir, 'identity', sessionId)].map(existsSync);

  it('deletes recordings and ID images N days after the final decision, keeps the audit, and says so', async () => {
    const a = await submitted();
    await decide('proctor', 'clean'); // verified
    expect(await status(a.sessionId)).toBe('verified');

    t.clock.advance(30 * DAY - 1_000);
    expect((await run(30)).sessions).toEqual([]);
    expect(kept(a.sessionId)).toEqual([true, true]);

    t.clock.advance(2_000);
    expect((await run(30)).sessions).toEqual([a.sessionId]);
    expect(kept(a.sessionId)).toEqual([false, false]);
    proctor = (await t.signIn('proctor')).accessToken;
    const review = await t.call('getReview', { token: proctor, params: { entryId: a.entryId } });
    expect(review.body.mediaDeletedAt).toBe(new Date(t.clock.now).toISOString());
    expect(review.body.decisions).toHaveLength(1);
    expect(review.body.audit.map((x: { action: string }) => x.action)).toEqual(['enqueue', 'claim', 'decision', 'media_deleted']);
    // The take URL says why it is gone; a second run finds nothing more to do.
    const take = await t.call('recordingTake', { token: proctor, params: { sessionId: a.sessionId, take: '0' } });
    expect(take.status).toBe(404);
    expect(take.body.error.message).toMatch(/retention policy/);
    expect((await run(30)).sessions).toEqual([]);
  });

  it('waits for the second review: a suspicious first decision is not final', async () => {
    const a = await submitted();
    await decide('proctor', 'suspicious', ['focus_lost']);
    t.clock.advance(40 * DAY);
    expect((await run(30)).sessions).toEqual([]);
    expect(kept(a.sessionId)).toEqual([true, true]);

    await decide('admin', 'suspicious', ['focus_lost']); // rejected, counted from this decision
    expect(await status(a.sessionId)).toBe('rejected');
    t.clock.advance(29 * DAY);
    expect((await run(30)).sessions).toEqual([]);
    t.clock.advance(2 * DAY);
    expect((await run(30)).sessions).toEqual([a.sessionId]);
  });

  it('does nothing when the retention is 0 days (off)', async () => {
    const a = await submitted();
    await decide('proctor', 'clean');
    t.clock.advance(5000 * DAY);
    expect((await run(0)).sessions).toEqual([]);
    expect(kept(a.sessionId)).toEqual([true, true]);
  });
});
