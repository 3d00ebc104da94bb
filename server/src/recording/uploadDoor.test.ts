/**
 * The recording upload's door against a learner with curl, the open source and a valid upload token
 * for their own attempt: the upload window, the bytes of a take's first segment, the per-attempt
 * quotas, and a full disk.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, constants, existsSync, mkdtempSync, openSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { buildPath } from '../../../shared/api/routes';
import { reviewApi } from '../../../shared/api/review';
import { CHAIN_GENESIS } from '../../../shared/domain/hashChain';
import { type AppOptions, buildApp } from '../app';
import {
  createTestServer,
  describeEachDialect,
  FIXTURE_EXAMS_DIR,
  startAttempt,
  TEST_JWT_SECRET,
  type TestServer,
} from '../../test/helper';
import { createUpload, cutChunks, ffmpegMissing, liveWebm, patchUpload, planTake, type PlannedSegment, uploadByHand } from '../../test/recording';
import type { MediaTool } from '../media/mediaTool';
import type { TakeProcessed } from './compose';
import { RecordingFiles } from './recordingFiles';
import { RecordingRepo } from './recordingRepo';
import { SegmentIntake } from './segmentIntake';
import { parseSegmentMetadata } from './uploadRequests';

/** Matroska's (and so WebM's) EBML magic: every recording take begins with it. */
const EBML = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);
/** These cases are about the door, not video: the remux is a stand-in unless a case says otherwise. */
const fakeMedia: MediaTool = { remux: async () => undefined, durationMs: async () => 1 };
const silent = pino({ level: 'silent' });

const missing = ffmpegMissing();
if (missing) console.warn(`[server tests] ffmpeg cases of the upload door skipped: ${missing}`);

const baseOf = (app: FastifyInstance): string => {
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
};

const metaStrings = (meta: PlannedSegment['meta']): Record<string, string> => Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, String(v)]));

/** Bytes that begin like a recording: the EBML magic, then noise. */
const webmLike = (size: number): Buffer => Buffer.concat([EBML, randomBytes(size - EBML.length)]);

async function reviewCall(t: TestServer, name: 'claimNext' | 'decide', token: string, body: unknown, params?: Record<string, string>) {
  const spec = reviewApi[name];
  const res = await t.app.inject({ method: spec.method, url: buildPath(spec.path, params), headers: { authorization: `Bearer ${token}` }, payload: body as object });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

/** Submits the attempt, then a proctor claims it and records `decision`: the review's first decision. */
async function submitAndDecide(t: TestServer, learner: string, sessionId: string, decision: 'clean' | 'suspicious' | 'not_reviewed'): Promise<void> {
  const submitted = await t.call('submitSession', { token: learner, params: { sessionId }, body: {} });
  expect(submitted.status).toBe(200);
  const proctor = (await t.signIn('proctor')).accessToken;
  const claim = await reviewCall(t, 'claimNext', proctor, { leaseSeconds: 60 });
  expect(claim.body.claim?.sessionId).toBe(sessionId);
  const reasonCodes = decision === 'clean' ? [] : ['unauthorized_material'];
  const decided = await reviewCall(t, 'decide', proctor, { decision, reasonCodes }, { entryId: claim.body.claim.entryId });
  expect(decided.status).toBe(200);
}

/** Another server instance on the same database (its own process state), as a scaled-out deployment runs. */
async function secondInstance(t: TestServer, options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const app = await buildApp({
    jwtSecret: TEST_JWT_SECRET,
    seed: ['demo'],
    examsDir: FIXTURE_EXAMS_DIR,
    logger: false,
    media: fakeMedia,
    clock: t.clock.read,
    db: t.db,
    dataDir: mkdtempSync(join(tmpdir(), 'invigil-second-')),
    ...options,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

describeEachDialect('the upload window', (dialect) => {
  let t: TestServer;
  let base: string;
  let learner: string;
  let sessionId: string;
  let token: string;

  beforeEach(async () => {
    t = await createTestServer(dialect, { media: fakeMedia });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = baseOf(t.app);
    learner = (await t.signIn('learner')).accessToken;
    sessionId = await startAttempt(t, learner, 'practice-mini');
    token = (await t.call('recordingUploadToken', { token: learner, params: { sessionId }, body: {} })).body.token as string;
  });
  afterEach(async () => {
    await t.close();
  });

  const plan = () => planTake(cutChunks(webmLike(40_000)), { sessionId, take: 0, perSegment: 3, startedAtMs: t.clock.now, durationMs: 9_000 });

  it('refuses creation, PATCH and a new token once review recorded its first decision, with the token issued before', async () => {
    const [first, second, third] = plan().segments;
    expect((await uploadByHand(base, token, first!)).status).toBe(204);
    const open = await createUpload(base, { token, meta: second!.meta, length: second!.bytes.length });
    expect(open.status).toBe(201);
    const location = open.headers.get('location')!;
    expect((await patchUpload(location, token, second!.bytes.subarray(0, 1000))).status).toBe(204);

    await submitAndDecide(t, learner, sessionId, 'suspicious');

    const created = await createUpload(base, { token, meta: third!.meta, length: third!.bytes.length });
    expect([created.status, created.body?.error?.code]).toEqual([409, 'session_closed']);
    const patched = await patchUpload(location, token, second!.bytes.subarray(1000), 1000);
    expect([patched.status, patched.body?.error?.code]).toEqual([409, 'session_closed']);
    expect(patched.body.error.message).toMatch(/review/);
    // The refused upload is discarded: it can never finish.
    const head = await fetch(location, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${token}` } });
    expect(head.status).toBe(404);
    const renewed = await t.call('recordingUploadToken', { token: learner, params: { sessionId }, body: {} });
    expect([renewed.status, renewed.body?.error?.code]).toEqual([409, 'session_closed']);
    const m = await t.call('recordingManifest', { token: learner, params: { sessionId } });
    expect(m.body.bytes).toBe(first!.bytes.length);
  });

  it.each(['clean', 'not_reviewed'] as const)('stays closed after a %s decision', async (decision) => {
    const [first] = plan().segments;
    await submitAndDecide(t, learner, sessionId, decision);
    const created = await createUpload(base, { token, meta: first!.meta, length: first!.bytes.length });
    expect([created.status, created.body?.error?.code]).toEqual([409, 'session_closed']);
    const renewed = await t.call('recordingUploadToken', { token: learner, params: { sessionId }, body: {} });
    expect([renewed.status, renewed.body?.error?.code]).toEqual([409, 'session_closed']);
  });

  it('is open after submit until the decision', async () => {
    const [first] = plan().segments;
    expect((await t.call('submitSession', { token: learner, params: { sessionId }, body: {} })).status).toBe(200);
    expect((await uploadByHand(base, token, first!)).status).toBe(204);
    expect((await t.call('recordingUploadToken', { token: learner, params: { sessionId }, body: {} })).status).toBe(200);
  });

  it('refuses to finish a segment after the first decision (intake)', async () => {
    const [first] = plan().segments;
    await submitAndDecide(t, learner, sessionId, 'clean');
    const files = new RecordingFiles(t.dataDir);
    const path = join(files.uploadsDir, 'finished-by-hand');
    writeFileSync(path, first!.bytes);
    const intake = new SegmentIntake({ repo: new RecordingRepo(t.db), files, clock: t.clock.read, log: silent, takeEnded: () => undefined });
    const meta = parseSegmentMetadata(metaStrings(first!.meta));
    await expect(intake.accept({ path, size: first!.bytes.length, meta })).rejects.toMatchObject({ code: 'session_closed' });
    expect(existsSync(files.segmentFile(sessionId, 0, 0))).toBe(false);
    const m = await t.call('recordingManifest', { token: learner, params: { sessionId } });
    expect(m.body).toMatchObject({ bytes: 0, takes: [], chainHead: CHAIN_GENESIS });
  });
});

/** A FIFO named in a playlist: opening it for writing without blocking succeeds only while a reader has it open. */
class Tripwire {
  readonly path: string;
  opened = false;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(dir: string) {
    this.path = join(dir, 'marker.ts');
    execFileSync('mkfifo', [this.path]);
    this.timer = setInterval(() => this.check(), 10);
  }

  private check(): void {
    try {
      const fd = openSync(this.path, constants.O_WRONLY | constants.O_NONBLOCK);
      this.opened = true;
      // Closing gives the reader end-of-file, so a tricked ffmpeg finishes rather than hangs.
      closeSync(fd);
    } catch {
      // ENXIO: nobody is reading it.
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.check();
  }
}

const hlsPlaylist = (target: string): Buffer =>
  Buffer.from(`#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n${target}\n#EXT-X-ENDLIST\n`);

describeEachDialect('a take’s first bytes and ffmpeg', (dialect) => {
  let t: TestServer;
  let base: string;
  let learner: string;
  let sessionId: string;
  let token: string;
  let scratch: string;
  let tripwire: Tripwire;
  let processed: TakeProcessed[];
  let webm: Buffer;

  beforeAll(() => {
    if (!missing) webm = liveWebm(2);
  });
  beforeEach(async () => {
    processed = [];
    // The real ffmpeg: the point is what it opens.
    t = await createTestServer(dialect, { onTakeProcessed: (event) => processed.push(event) });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = baseOf(t.app);
    learner = (await t.signIn('learner')).accessToken;
    sessionId = await startAttempt(t, learner, 'practice-mini');
    token = (await t.call('recordingUploadToken', { token: learner, params: { sessionId }, body: {} })).body.token as string;
    scratch = mkdtempSync(join(tmpdir(), 'invigil-tripwire-'));
    tripwire = new Tripwire(scratch);
  });
  afterEach(async () => {
    tripwire.stop();
    await t.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Waits until the take was processed or `ms` passed, watching the tripwire all along. */
  const settle = async (ms: number): Promise<void> => {
    const until = Date.now() + ms;
    while (processed.length === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
    tripwire.stop();
  };

  it.skipIf(missing !== null)('refuses a first segment that is an HLS playlist, so ffmpeg never opens the file it names', async () => {
    const [only] = planTake([hlsPlaylist(tripwire.path)], { sessionId, take: 0, perSegment: 1, startedAtMs: t.clock.now, durationMs: 3_000, takeEnd: 'submitted' }).segments;
    const refused = await uploadByHand(base, token, only!);
    await settle(3_000);
    expect(tripwire.opened).toBe(false);
    expect([refused.status, refused.body?.error?.code]).toEqual([415, 'segment_not_webm']);
    const m = await t.call('recordingManifest', { token: learner, params: { sessionId } });
    expect(m.body).toMatchObject({ bytes: 0, takes: [] });
    expect(readdirSync(join(t.dataDir, 'uploads'))).toEqual([]);
  });

  it.skipIf(missing !== null)('refuses a first segment as soon as its first bytes are not WebM, and discards the upload', async () => {
    const [only] = planTake([hlsPlaylist(tripwire.path)], { sessionId, take: 0, perSegment: 1, startedAtMs: t.clock.now, durationMs: 3_000 }).segments;
    const created = await createUpload(base, { token, meta: only!.meta, length: only!.bytes.length });
    const location = created.headers.get('location')!;
    const early = await patchUpload(location, token, only!.bytes.subarray(0, 2));
    expect([early.status, early.body?.error?.code]).toEqual([415, 'segment_not_webm']);
    const head = await fetch(location, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${token}` } });
    expect(head.status).toBe(404);
    expect(readdirSync(join(t.dataDir, 'uploads'))).toEqual([]);
  });

  it.skipIf(missing !== null)('a WebM first segment followed by an HLS playlist: ffmpeg still never opens the file it names', async () => {
    const segments = planTake([webm, hlsPlaylist(tripwire.path)], { sessionId, take: 0, perSegment: 1, startedAtMs: t.clock.now, durationMs: 3_000, takeEnd: 'submitted' }).segments;
    for (const segment of segments) expect((await uploadByHand(base, token, segment)).status).toBe(204);
    await settle(15_000);
    expect(processed).toHaveLength(1);
    expect(tripwire.opened).toBe(false);
  });
});

describeEachDialect('per-attempt recording quotas', (dialect) => {
  let t: TestServer;
  let base: string;
  let learner: string;
  let sessionId: string;
  let token: string;
  const others: FastifyInstance[] = [];

  const start = async (overrides: Pick<AppOptions, 'recordingQuotaKbps' | 'maxOpenUploads'>) => {
    t = await createTestServer(dialect, { media: fakeMedia, ...overrides });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = baseOf(t.app);
    learner = (await t.signIn('learner')).accessToken;
    sessionId = await startAttempt(t, learner, 'practice-mini');
    token = (await t.call('recordingUploadToken', { token: learner, params: { sessionId }, body: {} })).body.token as string;
  };
  afterEach(async () => {
    for (const app of others.splice(0)) await app.close();
    await t.close();
  });

  /** A creation declaring `length` bytes for the segment after `after` (its bytes need not exist yet). */
  const declare = (length: number, after: PlannedSegment) =>
    createUpload(base, {
      token,
      meta: { ...after.meta, segment: Number(after.meta.segment) + 1, firstChunk: 1000, chainStart: after.meta.chainEnd, chainEnd: 'ab'.repeat(32), chunkSizes: String(length) },
      length,
    });

  it('refuses a fifth unfinished upload on one attempt, and counts again once one finishes', async () => {
    await start({});
    const [first] = planTake(cutChunks(webmLike(20_000)), { sessionId, take: 0, perSegment: 100, startedAtMs: t.clock.now, durationMs: 3_000 }).segments;
    const locations: string[] = [];
    for (let n = 0; n < 4; n += 1) {
      const created = await createUpload(base, { token, meta: first!.meta, length: first!.bytes.length });
      expect(created.status).toBe(201);
      locations.push(created.headers.get('location')!);
    }
    const fifth = await createUpload(base, { token, meta: first!.meta, length: first!.bytes.length });
    expect([fifth.status, fifth.body?.error?.code]).toEqual([429, 'too_many_uploads']);
    expect(fifth.body.error.message).toMatch(/4 unfinished uploads/);
    expect((await patchUpload(locations[0]!, token, first!.bytes)).status).toBe(204);
    expect((await createUpload(base, { token, meta: first!.meta, length: first!.bytes.length })).status).toBe(201);
  });

  it('lets only one of two simultaneous creations on two server instances take the last open slot', async () => {
    await start({ maxOpenUploads: 1 });
    const other = await secondInstance(t, { maxOpenUploads: 1 });
    others.push(other);
    const [first] = planTake(cutChunks(webmLike(20_000)), { sessionId, take: 0, perSegment: 100, startedAtMs: t.clock.now, durationMs: 3_000 }).segments;
    for (let round = 0; round < 3; round += 1) {
      const [a, b] = await Promise.all(
        [base, baseOf(other)].map((at) => createUpload(at, { token, meta: first!.meta, length: first!.bytes.length })),
      );
      const statuses = [a!.status, b!.status].sort();
      expect(statuses).toEqual([201, 429]);
      const winner = a!.status === 201 ? a! : b!;
      // Finish (or fail to) the one that got in, from its own instance, so the next round starts empty.
      const finished = await patchUpload(winner.headers.get('location')!, token, first!.bytes);
      expect([204, 409]).toContain(finished.status);
    }
  });

  it('counts stored bytes, open uploads and the new one against the exam’s quota, and the accommodation raises it', async () => {
    // 1 kbit/s over practice-mini's 30 minutes plus an hour: 125 B/s × 5,400 s = 675,000 bytes.
    await start({ recordingQuotaKbps: 1 });
    const [stored] = planTake(cutChunks(webmLike(300_000)), { sessionId, take: 0, perSegment: 1_000, startedAtMs: t.clock.now, durationMs: 3_000 }).segments;
    expect((await uploadByHand(base, token, stored!)).status).toBe(204);
    expect((await declare(300_000, stored!)).status).toBe(201);
    const over = await declare(100_000, stored!);
    expect([over.status, over.body?.error?.code]).toEqual([413, 'recording_quota_exceeded']);
    expect(over.body.error.message).toMatch(/675,000 bytes|659 KiB|0\.6 MiB/);
    // A time multiplier of 1.5 makes it 125 B/s × (2,700 s + 3,600 s) = 787,500 bytes.
    await t.db
      .insertInto('accommodations')
      .values({ user_id: (await t.call('me', { token: learner })).body.id, exam_id: 'practice-mini', time_multiplier: 1.5, note: null, updated_at: t.clock.now })
      .execute();
    expect((await declare(100_000, stored!)).status).toBe(201);
    expect((await declare(87_501, stored!)).status).toBe(413);
    expect((await declare(87_500, stored!)).status).toBe(201);
  });

  it('forgets expired unfinished uploads in the sweep, across a restart', async () => {
    await start({ maxOpenUploads: 2 });
    const [first] = planTake(cutChunks(webmLike(20_000)), { sessionId, take: 0, perSegment: 100, startedAtMs: t.clock.now, durationMs: 3_000 }).segments;
    for (let n = 0; n < 2; n += 1) expect((await createUpload(base, { token, meta: first!.meta, length: first!.bytes.length })).status).toBe(201);
    expect((await createUpload(base, { token, meta: first!.meta, length: first!.bytes.length })).status).toBe(429);
    // A restart a day and more later: its start-up sweep expires both.
    const later = await secondInstance(t, { maxOpenUploads: 2, dataDir: t.dataDir, wallClock: () => Date.now() + 25 * 3600_000 });
    others.push(later);
    expect((await createUpload(baseOf(later), { token, meta: first!.meta, length: first!.bytes.length })).status).toBe(201);
  });
});

describeEachDialect('a full disk', (dialect) => {
  it('answers storage_full (507) in JSON and logs the real error with its code', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const t = await createTestServer(dialect, { media: fakeMedia, logger: pino({ level: 'info' }, sink) });
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const base = baseOf(t.app);
      const learner = (await t.signIn('learner')).accessToken;
      const sessionId = await startAttempt(t, learner, 'practice-mini');
      const token = (await t.call('recordingUploadToken', { token: learner, params: { sessionId }, body: {} })).body.token as string;
      const [first] = planTake(cutChunks(webmLike(20_000)), { sessionId, take: 0, perSegment: 100, startedAtMs: t.clock.now, durationMs: 3_000 }).segments;
      const created = await createUpload(base, { token, meta: first!.meta, length: first!.bytes.length });
      const location = created.headers.get('location')!;
      // The upload's file becomes /dev/full: every write to it fails with ENOSPC, as on a full disk.
      const file = join(t.dataDir, 'uploads', location.split('/').at(-1)!);
      unlinkSync(file);
      symlinkSync('/dev/full', file);
      const full = await patchUpload(location, token, first!.bytes);
      expect(full.headers.get('content-type')).toMatch(/application\/json/);
      expect([full.status, full.body?.error?.code]).toEqual([507, 'storage_full']);
      expect(lines.some((line) => line.includes('ENOSPC'))).toBe(true);
      expect((await t.call('time')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
