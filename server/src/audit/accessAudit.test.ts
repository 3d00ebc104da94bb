import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PLAYBACK_QUERY } from '../../../shared/api/review';
import { createTestServer, describeEachDialect, fakeJpeg, ISO, T0, TEST_JWT_SECRET, type TestServer } from '../../test/helper';
import { IdentityFiles } from '../identity/identityFiles';
import { PlaybackTokens } from '../recording/playbackTokens';
import { RecordingFiles } from '../recording/recordingFiles';

const SECRET_ANSWER = 'the mitochondria is the powerhouse';
const SESSION = 'audit-session-1';
const IMAGE = 'audit-image-1';

/**
 * Proctors review behaviour, not answers: a learner's answers are for administrators only. Every view
 * of a recording take, an ID image or answers by staff leaves a row administrators can read.
 */
describeEachDialect('answers visibility and access audit', (dialect) => {
  let t: TestServer;
  let base: string;
  let learner: string;
  let proctor: string;
  let admin: string;
  let users: Record<'learner' | 'proctor' | 'admin', string>;
  let playback: PlaybackTokens;

  beforeEach(async () => {
    t = await createTestServer(dialect);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const signedIn = { learner: await t.signIn('learner'), proctor: await t.signIn('proctor'), admin: await t.signIn('admin') };
    learner = signedIn.learner.accessToken;
    proctor = signedIn.proctor.accessToken;
    admin = signedIn.admin.accessToken;
    users = { learner: signedIn.learner.user.id, proctor: signedIn.proctor.user.id, admin: signedIn.admin.user.id };
    // The server's own playback token issuer and key: what playbackGrant puts in media URLs.
    playback = new PlaybackTokens({ secret: TEST_JWT_SECRET, clock: t.clock.read });
    await seedSubmittedAttempt();
  });
  afterEach(() => t.close());

  /** A submitted attempt as the server stores it: one answer, one ID image on disk, one playable take on disk. */
  async function seedSubmittedAttempt(): Promise<void> {
    await t.db
      .insertInto('sessions')
      .values({
        id: SESSION, user_id: users.learner, exam_id: 'practice-mini', attempt_no: 1, status: 'submitted', client: 'desktop',
        created_at: T0, started_at: T0, submitted_at: T0 + 60_000, receipt_code: 'AUDIT-1',
        score_points: null, score_max_points: null, score_percent: null, score_pending_manual_points: null,
      })
      .execute();
    await t.db
      .insertInto('answers')
      .values({ session_id: SESSION, sequence: 1, section_id: 's1', question_id: 'q3', value: JSON.stringify({ kind: 'text', text: SECRET_ANSWER }), client_saved_at: T0, received_at: T0 })
      .execute();
    const jpeg = fakeJpeg();
    await new IdentityFiles(t.dataDir).write(SESSION, IMAGE, jpeg);
    await t.db
      .insertInto('identity_images')
      .values({
        id: IMAGE, session_id: SESSION, kind: 'id', attempt: 1, width: 1280, height: 720, bytes: jpeg.length,
        sha256: createHash('sha256').update(jpeg).digest('hex'), faces: null, taken_at: T0, created_at: T0,
      })
      .execute();
    const takeFile = new RecordingFiles(t.dataDir).seekableFile(SESSION, 0);
    mkdirSync(dirname(takeFile), { recursive: true });
    writeFileSync(takeFile, Buffer.alloc(4096, 7));
    await t.db
      .insertInto('recording_takes')
      .values({ session_id: SESSION, take_index: 0, started_at: T0, ended_at: T0 + 60_000, end_reason: 'submitted', segments: 1, chunks: 1, bytes: 4096, remux_status: 'done', duration_ms: 60_000 })
      .execute();
  }

  const playbackUrl = async (path: string, as = users.proctor, role: 'proctor' | 'admin' = 'proctor') =>
    `${base}${path}?${PLAYBACK_QUERY}=${encodeURIComponent((await playback.issue({ userId: as, role, sessionId: SESSION })).token)}`;

  const audit = (token = admin) => t.call('accessAudit', { token, params: { sessionId: SESSION } });
  const params = { sessionId: SESSION };

  it('gives a proctor the attempt without its answers, and an administrator with them', async () => {
    const own = await t.call('getSession', { token: learner, params });
    expect(own.status).toBe(200);
    expect(own.text).toContain(SECRET_ANSWER);

    const asProctor = await t.call('getSession', { token: proctor, params });
    expect(asProctor.status).toBe(200);
    expect(asProctor.body.answers).toEqual([]);
    expect(asProctor.text).not.toContain(SECRET_ANSWER);
    const receipt = await t.call('getReceipt', { token: proctor, params });
    expect(receipt.status).toBe(200);
    expect(receipt.text).not.toContain(SECRET_ANSWER);

    const asAdmin = await t.call('getSession', { token: admin, params });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.answers).toHaveLength(1);
    expect(asAdmin.text).toContain(SECRET_ANSWER);
  });

  it('records who viewed the answers; the learner viewing their own and a proctor seeing none leave no row', async () => {
    await t.call('getSession', { token: learner, params });
    await t.call('getSession', { token: proctor, params });
    t.clock.advance(1_000);
    await t.call('getSession', { token: admin, params });
    const read = await audit();
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      sessionId: SESSION,
      entries: [{ at: ISO(t.clock.now), userId: users.admin, role: 'admin', sessionId: SESSION, kind: 'answers', itemId: null, via: 'bearer' }],
    });
  });

  it('records ID image views by Bearer token and by playback URL', async () => {
    const byBearer = await fetch(`${base}/api/sessions/${SESSION}/identity/images/${IMAGE}`, { headers: { authorization: `Bearer ${proctor}` } });
    expect(byBearer.status).toBe(200);
    t.clock.advance(1_000);
    const byUrl = await fetch(await playbackUrl(`/api/review/sessions/${SESSION}/playback/images/${IMAGE}`, users.admin, 'admin'));
    expect(byUrl.status).toBe(200);

    expect((await audit()).body.entries).toEqual([
      { at: ISO(T0), userId: users.proctor, role: 'proctor', sessionId: SESSION, kind: 'identity_image', itemId: IMAGE, via: 'bearer' },
      { at: ISO(t.clock.now), userId: users.admin, role: 'admin', sessionId: SESSION, kind: 'identity_image', itemId: IMAGE, via: 'playback' },
    ]);
  });

  it('records a recording take view once per viewer, take and five minutes, however many ranges the player asks for', async () => {
    const takeUrl = await playbackUrl(`/api/sessions/${SESSION}/recording/takes/0`);
    expect((await fetch(takeUrl)).status).toBe(200);
    expect((await fetch(takeUrl, { headers: { range: 'bytes=100-199' } })).status).toBe(206);
    expect((await fetch(`${base}/api/sessions/${SESSION}/recording/takes/0`, { headers: { authorization: `Bearer ${admin}` } })).status).toBe(200);
    t.clock.advance(5 * 60_000 + 1);
    expect((await fetch(await playbackUrl(`/api/sessions/${SESSION}/recording/takes/0`), { headers: { range: 'bytes=1-' } })).status).toBe(206);
    // A refused request (learner) is no view.
    expect((await fetch(`${base}/api/sessions/${SESSION}/recording/takes/0`, { headers: { authorization: `Bearer ${learner}` } })).status).toBe(403);

    const entries = (await audit()).body.entries as Array<Record<string, unknown>>;
    expect(entries.map((e) => [e['userId'], e['role'], e['kind'], e['itemId'], e['via']])).toEqual([
      [users.proctor, 'proctor', 'recording_take', '0', 'playback'],
      [users.admin, 'admin', 'recording_take', '0', 'bearer'],
      [users.proctor, 'proctor', 'recording_take', '0', 'playback'],
    ]);
  });

  it('lets administrators only read the audit', async () => {
    for (const token of [learner, proctor]) {
      const refused = await audit(token);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
    }
    expect((await t.app.inject({ method: 'GET', url: `/api/admin/sessions/${SESSION}/access-audit` })).statusCode).toBe(401);
    expect((await audit()).status).toBe(200);
  });
});
