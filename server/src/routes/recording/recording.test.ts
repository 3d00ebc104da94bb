import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UPLOAD_PATH } from '../../../../shared/api';
import { CHAIN_GENESIS } from '../../../../shared/domain/hashChain';
import { completeStartChecks, createTestServer, describeEachDialect, startAttempt, type TestServer } from '../../../test/helper';
import {
  CUES_ID,
  cutChunks,
  ffmpegMissing,
  liveWebm,
  planTake,
  probeDurationMs,
  uploadWithTusClient,
} from '../../../test/recording';
import type { TakeProcessed } from '../../recording/compose';
import { RecordingFiles } from '../../recording/recordingFiles';

const missing = ffmpegMissing();
if (missing) console.warn(`[server tests] recording playback cases skipped: ${missing}`);

/** Resolves when the server reports a take remuxed (or failed), without polling. */
class TakeEvents {
  private readonly seen: TakeProcessed[] = [];
  private readonly waiters: { key: string; resolve: (e: TakeProcessed) => void }[] = [];
  readonly listener = (event: TakeProcessed): void => {
    const key = `${event.sessionId}/${event.take}`;
    const waiter = this.waiters.find((w) => w.key === key);
    if (waiter) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    } else this.seen.push(event);
  };
  next(sessionId: string, take: number): Promise<TakeProcessed> {
    const key = `${sessionId}/${take}`;
    const done = this.seen.find((e) => `${e.sessionId}/${e.take}` === key);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => this.waiters.push({ key, resolve }));
  }
}

describeEachDialect('recording upload and playback', (dialect) => {
  let t: TestServer;
  let base: string;
  let events: TakeEvents;
  let learner: string;
  let proctor: string;
  let sessionId: string;
  let uploadToken: string;
  let webm: Buffer;
  const scratch = mkdtempSync(join(tmpdir(), 'invigil-rec-test-'));

  beforeAll(() => {
    if (!missing) webm = liveWebm(6);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  beforeEach(async () => {
    events = new TakeEvents();
    t = await createTestServer(dialect, { onTakeProcessed: events.listener });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    learner = (await t.signIn('learner')).accessToken;
    proctor = (await t.signIn('proctor')).accessToken;
    sessionId = await startAttempt(t, learner, 'practice-mini');
    const issued = await fetch(`${base}/api/sessions/${sessionId}/recording/upload-token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${learner}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(issued.status).toBe(200);
    const body = (await issued.json()) as { endpoint: string; token: string; expiresAt: string };
    expect(body.endpoint).toBe(`${base}${UPLOAD_PATH}`);
    expect(Date.parse(body.expiresAt) - t.clock.now).toBe(6 * 3600_000);
    uploadToken = body.token;
  });
  afterEach(async () => {
    await t.close();
  });

  const manifest = async (token = proctor) => t.call('recordingManifest', { token, params: { sessionId } });
  const fetchTake = (take: number, token: string, range?: string) =>
    fetch(`${base}/api/sessions/${sessionId}/recording/takes/${take}`, {
      headers: { authorization: `Bearer ${token}`, ...(range ? { range } : {}) },
    });

  it.skipIf(missing !== null)('a take sent in segments arrives whole, verifies, and plays with seeking for a proctor', async () => {
    const chunks = cutChunks(webm);
    const plan = planTake(chunks, { sessionId, take: 0, perSegment: 6, startedAtMs: t.clock.now, durationMs: 6_000, takeEnd: 'submitted' });
    expect(plan.segments.length).toBeGreaterThanOrEqual(3);
    const processed = events.next(sessionId, 0);
    for (const segment of plan.segments) await uploadWithTusClient(base, uploadToken, segment, 16 * 1024);
    expect(await processed).toMatchObject({ playable: true });

    const m = await manifest();
    expect(m.status).toBe(200);
    expect(m.body).toMatchObject({ sessionId, bytes: webm.length, chunks: chunks.length, chainHead: plan.chainEnd, verified: true, gaps: [] });
    expect(m.body.takes).toHaveLength(1);
    expect(m.body.takes[0]).toMatchObject({ index: 0, endReason: 'submitted', segments: plan.segments.length, bytes: webm.length, playable: true });
    expect(Math.abs(m.body.takes[0].durationMs - 6_000)).toBeLessThan(120);
    // The learner sees their own manifest too; another learner does not learn it exists.
    expect((await manifest(learner)).status).toBe(200);
    expect((await manifest((await t.signIn('learner2')).accessToken)).status).toBe(404);

    // The verified take is exactly the bytes recorded; no upload files are left behind.
    const files = new RecordingFiles(t.dataDir);
    const kept = files.takeInputs(sessionId, 0, plan.segments.length).map((file) => readFileSync(file));
    expect(Buffer.concat(kept).equals(webm)).toBe(true);
    expect(readdirSync(join(t.dataDir, 'uploads'))).toEqual([]);

    const full = await fetchTake(0, proctor);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('video/webm');
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    const served = Buffer.from(await full.arrayBuffer());
    expect(webm.includes(CUES_ID)).toBe(false);
    expect(served.includes(CUES_ID)).toBe(true);
    const servedFile = join(scratch, `${dialect}-served.webm`);
    writeFileSync(servedFile, served);
    expect(Math.abs(probeDurationMs(servedFile) - 6_000) / 6_000).toBeLessThan(0.02);

    const part = await fetchTake(0, proctor, 'bytes=1000-4999');
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-4999/${served.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(served.subarray(1000, 5000))).toBe(true);
    const tail = await fetchTake(0, proctor, `bytes=${served.length - 100}-`);
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(served.subarray(served.length - 100))).toBe(true);
    expect((await fetchTake(0, proctor, `bytes=${served.length + 10}-`)).status).toBe(416);

    const asLearner = await fetchTake(0, learner);
    expect(asLearner.status).toBe(403);
    const unknown = await fetchTake(5, proctor);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('recording_not_found');
  });

  it.skipIf(missing !== null)('a camera lost between two takes leaves a gap with its reason', async () => {
    const first = planTake(cutChunks(webm, 3), { sessionId, take: 0, perSegment: 100, startedAtMs: t.clock.now, durationMs: 6_000, takeEnd: 'camera_lost' });
    const second = planTake(cutChunks(webm, 5), {
      sessionId,
      take: 1,
      perSegment: 5,
      chainStart: first.chainEnd,
      firstChunk: first.nextChunk,
      startedAtMs: t.clock.now + 20_000,
      durationMs: 6_000,
      takeEnd: 'submitted',
    });
    const both = Promise.all([events.next(sessionId, 0), events.next(sessionId, 1)]);
    for (const segment of [...first.segments, ...second.segments]) await uploadWithTusClient(base, uploadToken, segment);
    expect((await both).map((e) => e.playable)).toEqual([true, true]);

    const m = (await manifest()).body;
    expect(m.takes.map((take: { index: number; endReason: string }) => [take.index, take.endReason])).toEqual([
      [0, 'camera_lost'],
      [1, 'submitted'],
    ]);
    expect(m.gaps).toEqual([
      { afterTake: 0, from: new Date(t.clock.now + 6_000).toISOString(), to: new Date(t.clock.now + 20_000).toISOString(), reason: 'camera_lost' },
    ]);
    expect(m).toMatchObject({ verified: true, chainHead: second.chainEnd, bytes: 2 * webm.length });
    const secondTake = await fetchTake(1, proctor);
    expect(secondTake.status).toBe(200);
    expect((await secondTake.arrayBuffer()).byteLength).toBeGreaterThan(webm.length * 0.9);
  });

  it('refuses a playback or manifest for sessions that are not there', async () => {
    const none = await t.call('recordingManifest', { token: proctor, params: { sessionId: 'nope' } });
    expect(none.status).toBe(404);
    const empty = await manifest();
    expect(empty.body).toEqual({ sessionId, takes: [], gaps: [], bytes: 0, chunks: 0, chainHead: CHAIN_GENESIS, verified: true });
    expect((await fetchTake(0, proctor)).status).toBe(404);
    expect(existsSync(join(t.dataDir, 'recordings', sessionId))).toBe(false);
  });
});

describe('upload token route', () => {
  it.each(['sqlite'] as const)('is for the learner’s own attempt once it has started [%s]', async (dialect) => {
    const t = await createTestServer(dialect);
    try {
      const learner = (await t.signIn('learner')).accessToken;
      const created = await t.call('createSession', { token: learner, body: { examId: 'practice-mini' }, client: 'desktop' });
      const sessionId = created.body.id as string;
      const early = await t.call('recordingUploadToken', { token: learner, params: { sessionId }, body: {} });
      expect(early.status).toBe(409);
      expect(early.body.error.code).toBe('illegal_transition');
      await completeStartChecks(t, learner, sessionId);
      await t.call('startSession', { token: learner, params: { sessionId }, body: {} });
      expect((await t.call('recordingUploadToken', { token: learner, params: { sessionId }, body: {} })).status).toBe(200);
      const proctor = (await t.signIn('proctor')).accessToken;
      expect((await t.call('recordingUploadToken', { token: proctor, params: { sessionId }, body: {} })).status).toBe(403);
      const other = (await t.signIn('learner2')).accessToken;
      expect((await t.call('recordingUploadToken', { token: other, params: { sessionId }, body: {} })).status).toBe(404);
      // Uploads continue after submit.
      await t.call('submitSession', { token: learner, params: { sessionId }, body: {} });
      expect((await t.call('recordingUploadToken', { token: learner, params: { sessionId }, body: {} })).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
