/**
 * The red team: every attack a learner with curl and the open source has been seen to try, replayed
 * against the real server over HTTP, each asserting it is refused. Runs on SQLite, and the text
 * attacks again on PostgreSQL, where invalid text fails differently.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISO, systemCheckReport } from '../../server/test/helper';
import { createUpload, patchUpload, planTake } from '../../server/test/recording';
import { findPostgresBin, startThrowawayPostgres, type ThrowawayPostgres } from '../../server/test/throwawayPostgres';
import { digest, newInstall, RealServer, RELEASE_KEY, type Reply } from './realServer';

const FIXTURES = join(import.meta.dirname, '../../../shared/fixtures');
const LEARNER = { email: 'learner@invigil.test', password: 'learner-demo-1' };
const LEARNER2 = { email: 'learner2@invigil.test', password: 'learner-demo-2' };
const PROCTOR = { email: 'proctor@invigil.test', password: 'proctor-demo-1' };

/** The id the old server derived for its own flags: sha256 of `${sessionId}:${key}` as a version-8 UUID. */
function serverFlagId(sessionId: string, key: string): string {
  const b = createHash('sha256').update(`${sessionId}:${key}`).digest();
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const event = (over: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(),
  kind: 'focus_lost',
  severity: 'low',
  startedAt: new Date(Date.now() - 5_000).toISOString(),
  endedAt: new Date(Date.now() - 4_000).toISOString(),
  reason: 'The exam window lost focus.',
  confidence: null,
  thumbnail: null,
  detail: {},
  ...over,
});

/**
 * Create bodies still name a `client`, as the earlier contract required, so each attack reaches the
 * step it is about on a server of either age; the server now ignores the field.
 */
const expectRefused = (reply: Pick<Reply, 'status' | 'body'>, status: number, code?: string): void => {
  const text = JSON.stringify(reply.body);
  expect(reply.status, text).toBe(status);
  if (code) expect(reply.body?.error?.code, text).toBe(code);
};

let server: RealServer;
/** Every e2e-short attempt the attacks made, for the unlisted-exam attack at the end. */
const practiceAttempts: { token: string; sessionId: string }[] = [];
let learner: string;
let learner2: string;
let proctor: string;

/** A new practice attempt without an identity check, started in a browser (allowed for practice). */
async function startedPractice(token: string): Promise<string> {
  let created = await server.call('createSession', { token, body: { examId: 'e2e-short', client: 'web' } });
  if (created.body?.status === 'started') {
    // The learner's attempt in progress from an earlier attack: hand it in, so this one starts fresh.
    await server.call('submitSession', { token, params: { sessionId: created.body.id } });
    created = await server.call('createSession', { token, body: { examId: 'e2e-short', client: 'web' } });
  }
  expect(created.status, created.text).toBe(200);
  const sessionId = created.body.id as string;
  practiceAttempts.push({ token, sessionId });
  await server.preStart(token, sessionId, { attest: false });
  const started = await server.call('startSession', { token, params: { sessionId }, body: {} });
  expect(started.status, started.text).toBe(200);
  return sessionId;
}

/** Claims review entries in queue order and decides each `clean` (earlier attacks' attempts too) until this session's is decided. */
async function decideClean(sessionId: string): Promise<void> {
  for (let i = 0; i < 50; i += 1) {
    const claimed = await server.call('claimNext', { token: proctor, body: {} });
    expect(claimed.status, claimed.text).toBe(200);
    const entry = claimed.body.claim as { entryId: string; sessionId: string } | null;
    if (!entry) break;
    const decided = await server.call('decide', { token: proctor, params: { entryId: entry.entryId }, body: { decision: 'clean' } });
    expect(decided.status, decided.text).toBe(200);
    if (entry.sessionId === sessionId) return;
  }
  throw new Error(`session ${sessionId} never reached the review queue`);
}

beforeAll(async () => {
  server = await RealServer.start({ env: { INVIGIL_RECORDING_QUOTA_KBPS: '100' } });
  learner = (await server.signIn(LEARNER.email, LEARNER.password)).accessToken;
  learner2 = (await server.signIn(LEARNER2.email, LEARNER2.password)).accessToken;
  proctor = (await server.signIn(PROCTOR.email, PROCTOR.password)).accessToken;
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe('a learner cannot write over what the server itself observed', () => {
  it('an event posted under the id of a future server flag neither suppresses nor ends that flag', async () => {
    const created = await server.call('createSession', { token: learner2, body: { examId: 'trial-test', client: 'web' } });
    const sessionId = created.body.id as string;
    const params = { sessionId };
    const flagId = serverFlagId(sessionId, 'identity_unverified');
    // Claimed before the server raises it: a harmless event under the server's own id …
    await server.call('postEvents', { token: learner2, params, body: { events: [event({ id: flagId })] } });
    await server.preStart(learner2, sessionId, { attest: false, idImage: readFileSync(join(FIXTURES, 'ids/dev/images/dev_000.jpg')) });
    // … and an end before its start, sent after the server raised it.
    await server.call('postEvents', {
      token: learner2,
      params,
      body: { events: [event({ id: flagId, startedAt: ISO(Date.now()), endedAt: ISO(Date.now() - 3_600_000) })] },
    });
    const listed = await server.call('listEvents', { token: proctor, params });
    expect(listed.status, listed.text).toBe(200);
    const flags = (listed.body.events as { kind: string; endedAt: string | null }[]).filter((e) => e.kind === 'identity_unverified');
    expect(flags).toHaveLength(1);
    expect(flags[0]!.endedAt).toBeNull();
    const risk = await server.call('sessionRisk', { token: proctor, params });
    expect(risk.body.score).toBeGreaterThanOrEqual(30);
  });

  it('an event whose end is before its start is refused on its own, the rest of the batch stored', async () => {
    const sessionId = await startedPractice(learner);
    const now = Date.now();
    const reply = await server.call('postEvents', {
      token: learner,
      params: { sessionId },
      body: { events: [event({ startedAt: ISO(now - 1_000), endedAt: ISO(now - 60_000) }), event()] },
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.stored).toBe(1);
    expect(reply.body.rejected).toEqual([expect.objectContaining({ index: 0, code: 'ends_before_start' })]);
  });
});

describe('each token has one purpose', () => {
  it('a playback token from a media URL is not a Bearer token anywhere in the API', async () => {
    // An attempt with an ID photo, so the proctor's grant holds a media URL to copy the token from.
    const created = await server.call('createSession', { token: learner2, body: { examId: 'trial-test', client: 'web' } });
    const sessionId = created.body.id as string;
    await server.preStart(learner2, sessionId, { attest: false, idImage: readFileSync(join(FIXTURES, 'ids/dev/images/dev_002.jpg')) });
    const grant = await server.call('playbackGrant', { token: proctor, params: { sessionId }, body: {} });
    expect(grant.status, grant.text).toBe(200);
    const url = (grant.body.images as { url: string }[])[0]?.url;
    expect(url, 'the grant holds an identity image URL').toBeTruthy();
    const token = new URL(url!, server.url).searchParams.get('playback');
    expect(token, 'the URL carries a playback token').toMatch(/^ey/);
    expect((await server.raw('GET', url!)).status, 'the URL itself works').toBe(200);
    expectRefused(await server.call('me', { token: token! }), 401);
    expectRefused(await server.call('claimNext', { token: token!, body: {} }), 401);
    expectRefused(await server.call('getSession', { token: token!, params: { sessionId } }), 401);
  });

  it('an access token stops working at sign-out, and a reused refresh token ends the whole sign-in', async () => {
    const pair = await server.signIn(LEARNER.email, LEARNER.password);
    expect((await server.call('me', { token: pair.accessToken })).status).toBe(200);
    expect((await server.call('signOut', { token: pair.accessToken, body: { refreshToken: pair.refreshToken } })).status).toBe(200);
    expectRefused(await server.call('me', { token: pair.accessToken }), 401);

    const second = await server.signIn(LEARNER.email, LEARNER.password);
    const rotated = await server.call('refresh', { body: { refreshToken: second.refreshToken } });
    expect(rotated.status, rotated.text).toBe(200);
    // A thief replays the spent refresh token: refused, and the rotated pair dies with it.
    expectRefused(await server.call('refresh', { body: { refreshToken: second.refreshToken } }), 401);
    expectRefused(await server.call('me', { token: rotated.body.accessToken }), 401);
    expectRefused(await server.call('refresh', { body: { refreshToken: rotated.body.refreshToken } }), 401);
  });
});

describe('windows close', () => {
  it('after the review decision, neither recording uploads (with the earlier token) nor events are accepted', async () => {
    const sessionId = await startedPractice(learner);
    const upload = await server.call('recordingUploadToken', { token: learner, params: { sessionId }, body: {} });
    expect(upload.status, upload.text).toBe(200);
    expect((await server.call('submitSession', { token: learner, params: { sessionId } })).status).toBe(200);
    await decideClean(sessionId);
    const bytes = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(1020, 7)]);
    const [segment] = planTake([bytes], { sessionId, take: 0, perSegment: 1, startedAtMs: Date.now() - 10_000, durationMs: 3_000 }).segments;
    expectRefused(await createUpload(server.url, { token: upload.body.token, meta: segment!.meta, length: bytes.length }), 409, 'session_closed');
    expectRefused(await server.call('postEvents', { token: learner, params: { sessionId }, body: { events: [event()] } }), 409, 'session_closed');
  });
});

describe('bytes are checked at the door', () => {
  it('a segment whose bytes are an HLS playlist is refused before it is stored', async () => {
    const sessionId = await startedPractice(learner);
    const upload = await server.call('recordingUploadToken', { token: learner, params: { sessionId }, body: {} });
    const playlist = Buffer.from('#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n');
    const [segment] = planTake([playlist], { sessionId, take: 0, perSegment: 1, startedAtMs: Date.now() - 5_000, durationMs: 3_000 }).segments;
    const created = await createUpload(server.url, { token: upload.body.token, meta: segment!.meta, length: playlist.length });
    const refused = created.status === 201 ? await patchUpload(created.headers.get('location')!, upload.body.token, playlist) : created;
    expectRefused(refused, 415, 'segment_not_webm');
    const manifest = await server.call('recordingManifest', { token: learner, params: { sessionId } });
    expect(manifest.body.takes ?? []).toEqual([]);
  });

  it('an attempt cannot hold more open uploads, or more recording, than its exam allows', async () => {
    const sessionId = await startedPractice(learner);
    const upload = await server.call('recordingUploadToken', { token: learner, params: { sessionId }, body: {} });
    const token = upload.body.token as string;
    const open: Pick<Reply, 'status' | 'body'>[] = [];
    for (let segment = 0; segment < 5; segment += 1) {
      const bytes = Buffer.alloc(2048, segment);
      const [planned] = planTake([bytes], { sessionId, take: 0, perSegment: 1, startedAtMs: Date.now() - 5_000, durationMs: 3_000 }).segments;
      open.push(await createUpload(server.url, { token, meta: { ...planned!.meta, segment }, length: bytes.length }));
    }
    expect(open.slice(0, 4).map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expectRefused(open[4]!, 429, 'too_many_uploads');

    const other = await startedPractice(learner2);
    const otherToken = (await server.call('recordingUploadToken', { token: learner2, params: { sessionId: other }, body: {} })).body.token as string;
    // 100 kbit/s over half a minute of exam plus an hour is about 45 MB: a 60 MB segment does not fit.
    const length = 60 * 1024 * 1024;
    const meta = { ...planTake([Buffer.alloc(1)], { sessionId: other, take: 0, perSegment: 1, startedAtMs: Date.now() - 5_000, durationMs: 3_000 }).segments[0]!.meta, chunkSizes: String(length) };
    expectRefused(await createUpload(server.url, { token: otherToken, meta, length }), 413, 'recording_quota_exceeded');
  });
});

describe('a final is sat only in the attested desktop app', () => {
  it('refuses plain fetch, a made-up header, a header without a signed challenge, another install, and a replayed nonce', async () => {
    expectRefused(await server.call('createSession', { token: learner, body: { examId: 'mpc2', client: 'desktop' } }), 403, 'attestation_required');
    expectRefused(await server.call('createSession', { token: learner, body: { examId: 'mpc2', client: 'desktop' }, attest: { key: 'e5'.repeat(32) } }), 403, 'attestation_invalid');
    expectRefused(await server.call('createSession', { token: learner, body: { examId: 'mpc2', client: 'desktop' }, headers: { 'x-invigil-attestation': 'f'.repeat(64) } }), 403, 'attestation_invalid');
    // A header computed for another URL (captured from another request) does not fit this one.
    const captured = digest(`${server.url}/api/exams`, RELEASE_KEY);
    expectRefused(await server.call('createSession', { token: learner, body: { examId: 'mpc2', client: 'desktop' }, headers: { 'x-invigil-attestation': captured } }), 403, 'attestation_invalid');

    const created = await server.call('createSession', { token: learner, body: { examId: 'mpc2', client: 'desktop' }, attest: true });
    expect(created.status, created.text).toBe(200);
    expect(created.body.client).toBe('desktop');
    const sessionId = created.body.id as string;
    const params = { sessionId };
    await server.preStart(learner, sessionId, { attest: true, idImage: readFileSync(join(FIXTURES, 'ids/dev/images/dev_001.jpg')) });

    expectRefused(await server.call('startSession', { token: learner, params, body: {} }), 403, 'attestation_required');
    expectRefused(await server.call('startSession', { token: learner, params, body: {}, attest: true }), 403, 'attestation_required');
    // Another learner's install signs a nonce for this attempt: not this learner's key.
    const mine = newInstall();
    const theirs = newInstall();
    await server.call('enrollInstall', { token: learner2, attest: true, body: { publicKey: theirs.publicKey, keyProtection: 'os' } });
    const forged = await server.signedChallenge(learner, mine, sessionId, null);
    const swapped = { ...forged, installId: theirs.installId, signature: theirs.sign('anything') };
    expectRefused(await server.call('startSession', { token: learner, params, body: { attestation: swapped }, attest: true }), 403, 'attestation_invalid');
    // The signed challenge without the release-key header (replayed from a browser): refused.
    const good = await server.signedChallenge(learner, mine, sessionId, null);
    expectRefused(await server.call('startSession', { token: learner, params, body: { attestation: good } }), 403, 'attestation_required');
    const fresh = await server.signedChallenge(learner, mine, sessionId, null);
    const started = await server.call('startSession', { token: learner, params, body: { attestation: fresh }, attest: true });
    expect(started.status, started.text).toBe(200);
    // The same nonce again: spent.
    expectRefused(await server.call('startSession', { token: learner, params, body: { attestation: fresh }, attest: true }), 403, 'attestation_invalid');

    const section = (started.body.sections as { id: string }[])[0]!.id;
    expectRefused(await server.call('openSection', { token: learner, params: { sessionId, sectionId: section }, body: {}, attest: true }), 403, 'attestation_required');
    const forSection = await server.signedChallenge(learner, mine, sessionId, section);
    const opened = await server.call('openSection', { token: learner, params: { sessionId, sectionId: section }, body: { attestation: forSection }, attest: true });
    expect(opened.status, opened.text).toBe(200);
  });

  it('a system check made up in a browser does not turn a web attempt into a desktop one', async () => {
    const created = await server.call('createSession', { token: learner2, body: { examId: 'e2e-short', client: 'desktop' } });
    expect(created.body.client).toBe('web');
    const saved = await server.call('saveSystemCheck', { token: learner2, params: { sessionId: created.body.id }, body: systemCheckReport('desktop') });
    expect(saved.status).toBeGreaterThanOrEqual(400);
  });
});

describe('identity verdicts are the server’s', () => {
  it('a typed-in name and a claimed face distance of 0.01 do not pass two different people', async () => {
    const created = await server.call('createSession', { token: learner, body: { examId: 'trial-test', client: 'web' } });
    const sessionId = created.body.id as string;
    const params = { sessionId };
    const face = readFileSync(join(FIXTURES, 'faces/hopper.jpg'));
    const photo = await server.call('submitFacePhoto', {
      token: learner,
      params,
      body: { image: face.toString('base64'), width: 640, height: 480, faces: [{ x: 100, y: 80, width: 200, height: 200, score: 0.9 }], takenAt: ISO(Date.now()) },
    });
    expect(photo.status, photo.text).toBe(200);
    const { idAttempt } = await import('../../server/test/helper');
    // The ID card shows someone else (another name, another portrait); the app "read" the registered
    // name and "measured" 0.01.
    const idImage = readFileSync(join(FIXTURES, 'ids/dev/images/dev_000.jpg'));
    const attempt = await server.call('submitIdAttempt', { token: learner, params, body: idAttempt(1, 'Amara Okafor', { image: idImage, faceDistance: 0.01 }) });
    expect(attempt.status, attempt.text).toBe(200);
    expect(attempt.body.status).not.toBe('passed');
    expect(attempt.body.faceVerdict).toBe('different');
    const record = await server.call('getIdentity', { token: proctor, params });
    expect(record.body.attempts[0].faceVerdict).toBe('different');
    const events = await server.call('listEvents', { token: proctor, params });
    expect((events.body.events as { kind: string }[]).map((e) => e.kind)).toContain('identity_disagreement');
  });
});

describe('unlisted exams', () => {
  it('an exam removed from the list can be neither started nor read by id', async () => {
    const dataDir = server.dataDir;
    await server.stop({ keepData: true });
    // The same data without the test seed: e2e-short is no longer listed.
    server = await RealServer.start({ dataDir, seed: 'demo' });
    const token = (await server.signIn(LEARNER.email, LEARNER.password)).accessToken;
    const listed = await server.call('listExams', { token });
    expect((listed.body.exams as { id: string }[]).map((e) => e.id)).not.toContain('e2e-short');
    expectRefused(await server.call('createSession', { token, body: { examId: 'e2e-short', client: 'web' } }), 404, 'not_found');
    // An attempt made while it was listed: its questions cannot be read (or its section opened) by id.
    const earlier = practiceAttempts.find((a) => a.token === learner)!;
    const read = await server.call('getSession', { token, params: { sessionId: earlier.sessionId } });
    expectRefused(read, 404, 'not_found');
    expect(read.text).not.toContain('"questions"');
    expectRefused(await server.call('openSection', { token, params: { sessionId: earlier.sessionId, sectionId: 'timing' }, body: {} }), 404, 'not_found');
  });
});

describe.skipIf(!findPostgresBin())('invalid text on PostgreSQL', () => {
  let cluster: ThrowawayPostgres;
  let pgServer: RealServer;
  beforeAll(async () => {
    cluster = await startThrowawayPostgres({ durable: false });
    pgServer = await RealServer.start({ env: { DATABASE_URL: cluster.url } });
  }, 120_000);
  afterAll(async () => {
    await pgServer?.stop();
    await cluster?.stop();
  });

  it('a NUL in one event fails that entry with a clear code, never the whole batch', async () => {
    const token = (await pgServer.signIn(LEARNER.email, LEARNER.password)).accessToken;
    const created = await pgServer.call('createSession', { token, body: { examId: 'e2e-short', client: 'web' } });
    const sessionId = created.body.id as string;
    await pgServer.preStart(token, sessionId, { attest: false });
    await pgServer.call('startSession', { token, params: { sessionId }, body: {} });
    const reply = await pgServer.call('postEvents', { token, params: { sessionId }, body: { events: [event({ reason: 'bad\u0000text' }), event(), event({ reason: 'lone \ud800 surrogate' })] } });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.stored).toBe(1);
    expect((reply.body.rejected as { index: number; code: string }[]).map((r) => [r.index, r.code])).toEqual([
      [0, 'invalid_text'],
      [2, 'invalid_text'],
    ]);
  });
});
