import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MAX_SEGMENT_BYTES, UPLOAD_PATH } from '../../../shared/api';
import { CHAIN_GENESIS } from '../../../shared/domain/hashChain';
import { createTestServer, describeEachDialect, startAttempt, type TestServer } from '../../test/helper';
import { createUpload, cutChunks, patchUpload, planTake, uploadByHand } from '../../test/recording';
import { FfmpegMediaTool, type MediaTool } from '../media/mediaTool';
import type { TakeProcessed } from './compose';
import { RecordingFiles } from './recordingFiles';
import { EBML_MAGIC } from './webmMagic';

/** Sends the first `sent` bytes of a PATCH declaring all of them, then drops the connection. */
function cutOffPatch(location: string, token: string, bytes: Buffer, sent: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request(location, {
      method: 'PATCH',
      headers: {
        'Tus-Resumable': '1.0.0',
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/offset+octet-stream',
        'Upload-Offset': '0',
        'Content-Length': String(bytes.length),
      },
    });
    req.on('error', () => resolve());
    req.write(bytes.subarray(0, sent), () => {
      req.destroy();
      resolve();
    });
  });
}

/** Noise that begins like a WebM file (a take's first segment must): the cases here are not about video. */
const webmLike = (size: number): Buffer => Buffer.concat([EBML_MAGIC, randomBytes(size - EBML_MAGIC.length)]);

/** These cases are about refusals, not video: the remux is a stand-in. */
const fakeMedia: MediaTool = { remux: async () => undefined, durationMs: async () => 1 };

describeEachDialect('tus upload endpoint', (dialect) => {
  let t: TestServer;
  let base: string;
  let learner: string;
  let sessionId: string;
  let token: string;
  const bytes = webmLike(50_000);

  const uploadTokenFor = async (access: string, session: string): Promise<string> =>
    (await t.call('recordingUploadToken', { token: access, params: { sessionId: session }, body: {} })).body.token as string;

  beforeEach(async () => {
    t = await createTestServer(dialect, { media: fakeMedia });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    learner = (await t.signIn('learner')).accessToken;
    sessionId = await startAttempt(t, learner, 'practice-mini');
    token = await uploadTokenFor(learner, sessionId);
  });
  afterEach(async () => {
    await t.close();
  });

  const plan = () => planTake(cutChunks(bytes), { sessionId, take: 0, perSegment: 4, startedAtMs: t.clock.now, durationMs: 10_000 });
  const manifest = async () => (await t.call('recordingManifest', { token: learner, params: { sessionId } })).body;
  const nothingStored = async () => {
    expect(await manifest()).toMatchObject({ takes: [], bytes: 0, chainHead: CHAIN_GENESIS, verified: true });
    expect(readdirSync(join(t.dataDir, 'uploads'))).toEqual([]);
    expect(existsSync(new RecordingFiles(t.dataDir).segmentFile(sessionId, 0, 0))).toBe(false);
  };

  it('stores segments in order, accepts a replay once, and resumes a half-sent segment', async () => {
    const [first, second] = plan().segments;
    expect((await uploadByHand(base, token, first!)).status).toBe(204);
    const replay = await uploadByHand(base, token, first!);
    expect(replay.status).toBe(204);

    const created = await createUpload(base, { token, meta: second!.meta, length: second!.bytes.length });
    const location = created.headers.get('location')!;
    expect((await patchUpload(location, token, second!.bytes.subarray(0, 1000))).headers.get('upload-offset')).toBe('1000');
    const stale = await patchUpload(location, token, second!.bytes, 0);
    expect(stale.status).toBe(409);
    const head = await fetch(location, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${token}` } });
    expect(head.headers.get('upload-offset')).toBe('1000');
    expect((await patchUpload(location, token, second!.bytes.subarray(1000), 1000)).status).toBe(204);

    const stored = Buffer.concat([first!.bytes, second!.bytes]);
    expect(await manifest()).toMatchObject({ bytes: stored.length, chainHead: second!.meta.chainEnd, verified: true });
    const files = new RecordingFiles(t.dataDir);
    const kept = Buffer.concat(files.takeInputs(sessionId, 0, 2).map((file) => readFileSync(file)));
    expect(kept.equals(stored)).toBe(true);
    expect(readdirSync(files.takeDir(sessionId, 0))).toEqual(['segment-0.webm', 'segment-1.webm']);
    expect(readdirSync(join(t.dataDir, 'uploads'))).toEqual([]);
  });

  it('keeps hashing across a PATCH cut off mid-body: the resumed segment is stored whole, altered bytes are refused', async () => {
    const [first, second] = plan().segments;
    expect((await uploadByHand(base, token, first!)).status).toBe(204);
    for (const alter of [true, false]) {
      const created = await createUpload(base, { token, meta: second!.meta, length: second!.bytes.length });
      const location = created.headers.get('location')!;
      await cutOffPatch(location, token, second!.bytes, Math.floor(second!.bytes.length / 2));
      const head = await fetch(location, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${token}` } });
      const offset = Number(head.headers.get('upload-offset'));
      const rest = Buffer.from(second!.bytes.subarray(offset));
      if (alter) rest[rest.length - 1]! ^= 1;
      const finished = await patchUpload(location, token, rest, offset);
      expect(finished.status).toBe(alter ? 422 : 204);
    }
    expect(await manifest()).toMatchObject({ bytes: first!.bytes.length + second!.bytes.length, chainHead: second!.meta.chainEnd, verified: true });
    expect(readdirSync(join(t.dataDir, 'uploads'))).toEqual([]);
  });

  it('refuses bytes that do not match the declared chain, and keeps nothing', async () => {
    const [first] = plan().segments;
    const altered = Buffer.from(first!.bytes);
    altered[10] = altered[10]! ^ 0xff;
    const refused = await uploadByHand(base, token, { ...first!, bytes: altered });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('segment_chain_mismatch');
    await nothingStored();
  });

  it('refuses a segment out of order, and keeps nothing', async () => {
    const [, second] = plan().segments;
    const refused = await uploadByHand(base, token, second!);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('segment_out_of_order');
    await nothingStored();
  });

  it('refuses uploads without a token, with an access token, or with another session’s token', async () => {
    const [first] = plan().segments;
    const length = first!.bytes.length;
    for (const bad of [undefined, learner]) {
      const refused = await createUpload(base, { ...(bad ? { token: bad } : {}), meta: first!.meta, length });
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('upload_token_invalid');
    }
    const otherLearner = (await t.signIn('learner2')).accessToken;
    const otherToken = await uploadTokenFor(otherLearner, await startAttempt(t, otherLearner, 'practice-mini'));
    const foreign = await createUpload(base, { token: otherToken, meta: first!.meta, length });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('forbidden');

    // Nor may it touch an upload the owner created.
    const created = await createUpload(base, { token, meta: first!.meta, length });
    const location = created.headers.get('location')!;
    expect((await patchUpload(location, otherToken, first!.bytes)).status).toBe(403);
    const head = await fetch(location, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${otherToken}` } });
    expect(head.status).toBe(403);
    expect((await patchUpload(location, token, first!.bytes)).status).toBe(204);
  });

  it('refuses oversized and mis-declared segments and a wrong protocol version before storing anything', async () => {
    const [first] = plan().segments;
    const tooLarge = await createUpload(base, { token, meta: first!.meta, length: MAX_SEGMENT_BYTES + 1 });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('segment_too_large');

    const mismatched = await createUpload(base, { token, meta: first!.meta, length: first!.bytes.length + 1 });
    expect(mismatched.status).toBe(400);
    expect(mismatched.body.error.code).toBe('upload_metadata_invalid');

    const noChain = await createUpload(base, { token, meta: { ...first!.meta, chainEnd: 'xyz' }, length: first!.bytes.length });
    expect(noChain.status).toBe(400);
    expect(noChain.body.error.code).toBe('upload_metadata_invalid');
    expect(noChain.body.error.details[0].path).toBe('metadata.chainEnd');

    for (const version of ['0.2.2', null]) {
      const refused = await createUpload(base, { token, meta: first!.meta, length: first!.bytes.length, tusResumable: version });
      expect(refused.status).toBe(412);
      expect(refused.headers.get('tus-version')).toBe('1.0.0');
    }
    await nothingStored();
  });

  it('answers an unknown upload with 404 and lets a browser preflight a PATCH', async () => {
    const missing = await patchUpload(`${base}${UPLOAD_PATH}/${'0'.repeat(32)}`, token, Buffer.from('x'));
    expect(missing.status).toBe(404);
    const preflight = await fetch(`${base}${UPLOAD_PATH}/${'0'.repeat(32)}`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'upload-offset,tus-resumable' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH');
  });
});

describeEachDialect('a take whose remux fails', (dialect) => {
  it('stays unplayable and the server carries on', async () => {
    let processed!: (event: TakeProcessed) => void;
    const outcome = new Promise<TakeProcessed>((resolve) => (processed = resolve));
    const media = new FfmpegMediaTool({ ffmpegPath: '/nonexistent/ffmpeg', ffprobePath: '/nonexistent/ffprobe' });
    const t = await createTestServer(dialect, { media, onTakeProcessed: (event) => processed(event) });
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const learner = (await t.signIn('learner')).accessToken;
      const sessionId = await startAttempt(t, learner, 'practice-mini');
      const token = (await t.call('recordingUploadToken', { token: learner, params: { sessionId }, body: {} })).body.token as string;
      const [only] = planTake(cutChunks(webmLike(20_000)), { sessionId, take: 0, perSegment: 100, startedAtMs: t.clock.now, durationMs: 5_000, takeEnd: 'submitted' }).segments;
      expect((await uploadByHand(base, token, only!)).status).toBe(204);
      expect(await outcome).toMatchObject({ sessionId, take: 0, playable: false });
      const manifest = await t.call('recordingManifest', { token: learner, params: { sessionId } });
      expect(manifest.body.takes[0]).toMatchObject({ endReason: 'submitted', playable: false, durationMs: null });
      expect(manifest.body.verified).toBe(true);
      expect((await t.call('time')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
