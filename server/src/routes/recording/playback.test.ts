import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestServer, describeEachDialect, startAttempt, type TestServer } from '../../../test/helper';
import { cutChunks, ffmpegMissing, liveWebm, planTake, uploadWithTusClient } from '../../../test/recording';
import type { TakeProcessed } from '../../recording/compose';

const missing = ffmpegMissing();
if (missing) console.warn(`[server tests] playback token cases skipped: ${missing}`);

/** `<video>` and `<img>` cannot send a Bearer token: staff get short-lived `?playback=` URLs instead. */
describeEachDialect('playback tokens', (dialect) => {
  let t: TestServer;
  let base: string;
  let learner: string;
  let proctor: string;
  let sessionId: string;
  let otherSession: string;
  let processed: Promise<TakeProcessed>;
  let webm: Buffer;

  beforeAll(() => {
    if (!missing) webm = liveWebm(3);
  });

  beforeEach(async () => {
    let resolveTake: (e: TakeProcessed) => void = () => undefined;
    processed = new Promise((resolve) => (resolveTake = resolve));
    t = await createTestServer(dialect, { onTakeProcessed: (e) => resolveTake(e) });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    learner = (await t.signIn('learner')).accessToken;
    proctor = (await t.signIn('proctor')).accessToken;
    // The final asks for an ID photo, so the session has identity images too.
    sessionId = await startAttempt(t, learner, 'final-mini');
    otherSession = await startAttempt(t, (await t.signIn('learner2')).accessToken, 'practice-mini');
  });
  afterEach(async () => {
    await t.close();
  });

  const grant = (token: string, sid = sessionId) => t.call('playbackGrant', { token, params: { sessionId: sid }, body: {} });

  async function uploadTake(): Promise<void> {
    const issued = await t.call('recordingUploadToken', { token: learner, params: { sessionId }, body: {} });
    const plan = planTake(cutChunks(webm), { sessionId, take: 0, perSegment: 100, startedAtMs: t.clock.now, durationMs: 3_000, takeEnd: 'submitted' });
    for (const segment of plan.segments) await uploadWithTusClient(base, issued.body.token as string, segment);
    expect(await processed).toMatchObject({ playable: true });
  }

  it.skipIf(missing !== null)('lets a proctor play a take and see an ID image by URL, with ranges, for a few minutes only', async () => {
    await uploadTake();
    const granted = await grant(proctor);
    expect(granted.status).toBe(200);
    expect(Date.parse(granted.body.expiresAt) - t.clock.now).toBe(5 * 60_000);
    expect(granted.body.takes).toHaveLength(1);
    expect(granted.body.images.length).toBeGreaterThanOrEqual(1);
    const takeUrl = `${base}${granted.body.takes[0].url as string}`;
    expect(takeUrl).toMatch(/\/recording\/takes\/0\?playback=/);

    const whole = await fetch(takeUrl);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/webm');
    expect(whole.headers.get('cache-control')).toBe('no-store');
    const bytes = Buffer.from(await whole.arrayBuffer());
    const part = await fetch(takeUrl, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);

    const image = await fetch(`${base}${granted.body.images[0].url as string}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await image.arrayBuffer()).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));

    // The same token opens no other attempt's media.
    const token = new URL(takeUrl).searchParams.get('playback') ?? '';
    const elsewhere = await fetch(`${base}/api/sessions/${otherSession}/recording/takes/0?playback=${encodeURIComponent(token)}`);
    expect(elsewhere.status).toBe(401);

    // Five minutes later the link is dead.
    t.clock.advance(5 * 60_000 + 1_000);
    const late = await fetch(takeUrl);
    expect(late.status).toBe(401);
    expect(((await late.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
    expect((await fetch(`${base}${granted.body.images[0].url as string}`)).status).toBe(401);
  });

  it('is never issued to learners, and their own tokens do not open media', async () => {
    const asLearner = await grant(learner);
    expect(asLearner.status).toBe(403);
    expect(asLearner.body.error.code).toBe('forbidden');
    // An access token or a made-up value in the query is not a playback token.
    for (const value of [learner, proctor, 'nonsense']) {
      const res = await fetch(`${base}/api/sessions/${sessionId}/recording/takes/0?playback=${encodeURIComponent(value)}`);
      expect(res.status).toBe(401);
    }
    // Without any token: 401; with a learner's Bearer: 403, as before.
    expect((await fetch(`${base}/api/sessions/${sessionId}/recording/takes/0`)).status).toBe(401);
    expect((await fetch(`${base}/api/sessions/${sessionId}/recording/takes/0`, { headers: { authorization: `Bearer ${learner}` } })).status).toBe(403);
    expect((await fetch(`${base}/api/review/sessions/${sessionId}/playback/images/x`)).status).toBe(401);
  });

  it('grants nothing for a session that does not exist, and an empty list before any take is playable', async () => {
    expect((await grant(proctor, 'nope')).status).toBe(404);
    const empty = await grant(proctor);
    expect(empty.status).toBe(200);
    expect(empty.body.takes).toEqual([]);
  });
});
