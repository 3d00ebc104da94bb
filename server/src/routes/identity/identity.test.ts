import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { IdAttemptResult, IdentityRecordView, MAX_IDENTITY_IMAGE_BYTES } from '../../../../shared/api';
import { completeStartChecks, createTestServer, describeEachDialect, fakeJpeg, idAttempt, ISO, T0, type TestServer } from '../../../test/helper';
import { printedIdJpeg } from '../../../test/printedIdInspector';
import { NodeIdentityInspector } from '../../identity/identityInspector';

/** A real photograph from the shared fixtures (read from ../shared, never copied into the repo). */
const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const HOPPER = readFileSync(resolve(REPO, '../shared/fixtures/faces/hopper.jpg'));

describeEachDialect('identity check', (dialect) => {
  let t: TestServer;
  let learner: string;
  let proctor: string;
  let sessionId: string;
  beforeEach(async () => {
    t = await createTestServer(dialect);
    learner = (await t.signIn('learner')).accessToken;
    proctor = (await t.signIn('proctor')).accessToken;
    sessionId = (await t.call('createSession', { token: learner, body: { examId: 'final-mini' }, client: 'desktop' })).body.id;
  });
  afterEach(() => t.close());

  const params = () => ({ sessionId });
  const attempt = (body: unknown, token = learner, sid = sessionId) => t.call('submitIdAttempt', { token, params: { sessionId: sid }, body });
  const face = (image: Buffer, token = learner) =>
    t.call('submitFacePhoto', {
      token,
      params: params(),
      body: { image: image.toString('base64'), width: 640, height: 480, faces: [{ x: 200, y: 120, width: 180, height: 200, score: 0.93 }], takenAt: ISO(T0) },
    });
  const image = (url: string, token: string | null) =>
    t.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const record = async (token = proctor, sid = sessionId) => IdentityRecordView.parse((await t.call('getIdentity', { token, params: { sessionId: sid } })).body);
  const events = async (sid = sessionId) => (await t.call('listEvents', { token: proctor, params: { sessionId: sid } })).body.events as { kind: string; severity: string; detail: Record<string, unknown> }[];

  it('keeps the face photo as a file, and serves it to staff only, as image/jpeg that is never cached', async () => {
    const res = await face(HOPPER);
    expect(res.status).toBe(200);
    const view = IdentityRecordView.parse(res.body);
    expect(view).toMatchObject({ status: 'not_started', registeredName: 'Amara Okafor', attempts: [] });
    const [img] = view.images;
    expect(img).toMatchObject({ kind: 'face', attempt: null, width: 640, height: 480, takenAt: ISO(T0) });
    const file = join(t.dataDir, 'identity', sessionId, `${img!.id}.jpg`);
    expect(readFileSync(file).equals(HOPPER)).toBe(true);
    const row = await t.db.selectFrom('identity_images').select(['sha256', 'bytes']).where('id', '=', img!.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ sha256: createHash('sha256').update(HOPPER).digest('hex'), bytes: HOPPER.length });

    const served = await image(img!.url, proctor);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.headers['cache-control']).toBe('no-store');
    expect(served.rawPayload.equals(HOPPER)).toBe(true);
    const admin = (await t.signIn('admin')).accessToken;
    expect((await image(img!.url, admin)).statusCode).toBe(200);
    expect((await image(img!.url, learner)).statusCode).toBe(403);
    expect((await image(img!.url, null)).statusCode).toBe(401);
    expect((await image(img!.url.replace(img!.id, 'no-such-image'), proctor)).statusCode).toBe(404);
    // Another session's image id under this session's path is not found either.
    const otherLearner = (await t.signIn('learner2')).accessToken;
    const otherSession = (await t.call('createSession', { token: otherLearner, body: { examId: 'final-mini' }, client: 'desktop' })).body.id as string;
    expect((await image(img!.url.replace(sessionId, otherSession), proctor)).statusCode).toBe(404);
  });

  it('refuses an image that is not a JPEG or is too large, and keeps no file of it', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300)]);
    const notJpeg = await face(png);
    expect(notJpeg.status).toBe(400);
    expect(notJpeg.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'body.image', message: 'is not a JPEG image' }] });
    const tooLarge = await attempt(idAttempt(1, 'Amara Okafor', { image: fakeJpeg(0x33, MAX_IDENTITY_IMAGE_BYTES + 1) }));
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.error.details[0].path).toBe('body.image');
    expect(existsSync(join(t.dataDir, 'identity', sessionId))).toBe(false);
    // The largest allowed image fits the route's body limit (its base64 is ~5.6 MB).
    const largest = await attempt(idAttempt(1, 'Amara Okafor', { image: fakeJpeg(0x44, MAX_IDENTITY_IMAGE_BYTES) }));
    expect(largest.status).toBe(200);
    expect(readdirSync(join(t.dataDir, 'identity', sessionId))).toHaveLength(1);
  });

  it('recomputes the name verdict from the registered name, ignoring anything the client claims', async () => {
    const claimed = { ...idAttempt(1, 'Jonas Müller'), nameVerdict: 'match', status: 'passed', registeredName: 'Jonas Müller' };
    const res = await attempt(claimed);
    expect(res.status).toBe(200);
    const result = IdAttemptResult.parse(res.body);
    // No face photo, and the server finds no face on the ID: the app's 0.2 does not make a match.
    expect(result).toMatchObject({ attempt: 1, nameVerdict: 'mismatch', registeredName: 'Amara Okafor', readName: 'JONAS MÜLLER', status: 'in_progress', attemptsLeft: 2, faceVerdict: 'unknown' });
    expect(result.reason).toContain('None of the names');
    const printed = printedIdJpeg({ surname: 'OKAFOR', givenNames: 'AMARA' });
    const passed = IdAttemptResult.parse(
      (await attempt({ ...idAttempt(2, null, { image: printed }), fields: { ...idAttempt(2, null).fields, surname: 'OKAFOR', givenNames: 'AMARA', nameSource: 'mrz' }, faceDistance: 0.72 })).body,
    );
    expect(passed).toMatchObject({ nameVerdict: 'match', status: 'passed', attemptsLeft: 0, faceVerdict: 'unknown' });
    expect((await t.call('getSession', { token: learner, params: params() })).body.checks.identity).toBe('passed');
    const view = await record();
    expect(view.attempts.map((a) => [a.attempt, a.nameVerdict, a.status])).toEqual([[1, 'mismatch', 'in_progress'], [2, 'match', 'passed']]);
    expect(view.attempts[1]).toMatchObject({
      capture: 'auto',
      ocrMs: 640,
      faceDistance: 0.72,
      fields: { surname: 'OKAFOR' },
      server: { fields: { surname: 'OKAFOR', givenNames: 'AMARA' }, faceDistance: null },
      appHint: { nameVerdict: 'match', faceVerdict: 'different' },
    });
    expect(view.images.map((i) => [i.kind, i.attempt])).toEqual([['id', 1], ['id', 2]]);
  });

  it('lets a partial match through when the ID only leaves out or adds a name, not when a name is spelt differently', async () => {
    const extra = IdAttemptResult.parse((await attempt(idAttempt(1, 'Amara Chidinma Okafor'))).body);
    expect(extra).toMatchObject({ nameVerdict: 'partial', status: 'passed' });
    expect(extra.differences).toEqual([{ token: 'CHIDINMA', side: 'read', kind: 'extra' }]);

    const other = (await t.signIn('learner2')).accessToken;
    const theirs = (await t.call('createSession', { token: other, body: { examId: 'final-mini' }, client: 'desktop' })).body.id as string;
    const misspelt = IdAttemptResult.parse((await attempt(idAttempt(1, 'Jonas Muler'), other, theirs)).body);
    expect(misspelt).toMatchObject({ nameVerdict: 'partial', status: 'in_progress', attemptsLeft: 2 });
    expect(misspelt.differences.map((d) => d.kind)).toContain('different');
  });

  it('takes attempts 1, 2, 3 in order, then ends in manual review with an identity_unverified event', async () => {
    const outOfOrder = await attempt(idAttempt(2, 'Amara Okafor'));
    expect(outOfOrder.status).toBe(409);
    expect(outOfOrder.body.error.code).toBe('sequence_conflict');
    expect((await attempt(idAttempt(1, 'Jonas Müller'))).body).toMatchObject({ status: 'in_progress', attemptsLeft: 2 });
    expect((await attempt(idAttempt(1, 'Amara Okafor'))).body.error.code).toBe('sequence_conflict');
    expect((await attempt(idAttempt(2, null))).body).toMatchObject({ nameVerdict: 'unreadable', status: 'in_progress', attemptsLeft: 1 });
    expect(await events()).toEqual([]);
    const third = await attempt(idAttempt(3, 'Priya Raman', { faceDistance: null }));
    expect(third.body).toMatchObject({ status: 'manual_review', attemptsLeft: 0, faceVerdict: 'unknown' });

    for (const late of [await attempt(idAttempt(3, 'Amara Okafor')), await face(fakeJpeg())]) {
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('identity_attempts_exhausted');
    }
    const view = await record();
    expect(view).toMatchObject({ status: 'manual_review', manualReviewReason: 'attempts_exhausted' });
    expect(view.attempts).toHaveLength(3);
    expect(await events()).toEqual([expect.objectContaining({ kind: 'identity_unverified', severity: 'medium', detail: { reason: 'attempts_exhausted', attempts: 3 } })]);
    // Manual review lets the learner start; the proctor decides later.
    await completeStartChecks(t, learner, sessionId);
    const started = await t.call('startSession', { token: learner, params: params(), body: {} });
    expect(started.body).toMatchObject({ status: 'started', checks: { identity: 'manual_review' } });
  });

  it('lets the learner go on unverified after a failed attempt, not before one and not after passing', async () => {
    const tooSoon = await t.call('continueUnverified', { token: learner, params: params(), body: { reason: 'learner_choice' } });
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.error.code).toBe('illegal_transition');
    await attempt(idAttempt(1, 'Sam Whitfield'));
    // The learner's app claims the attempts ran out; with two left, the server records the learner's choice.
    const went = await t.call('continueUnverified', { token: learner, params: params(), body: { reason: 'attempts_exhausted' } });
    expect(went.status).toBe(200);
    expect(IdentityRecordView.parse(went.body)).toMatchObject({ status: 'manual_review', manualReviewReason: 'learner_choice' });
    const again = await t.call('continueUnverified', { token: learner, params: params(), body: { reason: 'learner_choice' } });
    expect(again.status).toBe(200);
    expect(await events()).toEqual([expect.objectContaining({ kind: 'identity_unverified', detail: { reason: 'learner_choice', attempts: 1 } })]);
    expect((await attempt(idAttempt(2, 'Amara Okafor'))).body.error.code).toBe('identity_attempts_exhausted');

    const other = (await t.signIn('learner2')).accessToken;
    const theirs = (await t.call('createSession', { token: other, body: { examId: 'final-mini' }, client: 'desktop' })).body.id as string;
    await attempt(idAttempt(1, 'Jonas Müller'), other, theirs);
    const afterPass = await t.call('continueUnverified', { token: other, params: { sessionId: theirs }, body: { reason: 'learner_choice' } });
    expect(afterPass.status).toBe(409);
    expect(afterPass.body.error.code).toBe('identity_attempts_exhausted');
  });

  it('links two accounts that present the same document: duplicates for staff on both sessions, a high event on each', async () => {
    const other = (await t.signIn('learner2')).accessToken;
    const theirs = (await t.call('createSession', { token: other, body: { examId: 'final-mini' }, client: 'desktop' })).body.id as string;
    await attempt(idAttempt(1, 'Kwame Mensah', { documentNumber: 'x12 345<' }));
    t.clock.advance(60_000);
    await attempt(idAttempt(1, 'Jonas Müller', { documentNumber: 'X12345' }), other, theirs);
    // A second photo of the same document does not raise the flag twice.
    await attempt(idAttempt(2, 'Amara Okafor', { documentNumber: 'X12345' }));

    const mine = await record(proctor, sessionId);
    expect(mine.duplicates).toEqual([{ userId: expect.any(String), displayName: 'Jonas Müller', sessionId: theirs, seenAt: ISO(T0 + 60_000) }]);
    const theirRecord = await record(proctor, theirs);
    expect(theirRecord.duplicates).toEqual([{ userId: expect.any(String), displayName: 'Amara Okafor', sessionId, seenAt: ISO(T0) }]);
    for (const [sid, otherSession] of [[sessionId, theirs], [theirs, sessionId]] as const) {
      const flagged = (await events(sid)).filter((e) => e.kind === 'duplicate_account');
      expect(flagged).toEqual([expect.objectContaining({ severity: 'high', detail: expect.objectContaining({ otherSessionId: otherSession }) })]);
    }
    // The learner sees their own record, never the other account.
    const own = await t.call('getIdentity', { token: learner, params: params() });
    expect(own.status).toBe(200);
    expect(own.body.duplicates).toBeUndefined();
    expect(own.text).not.toContain('Jonas');
    // Only the keyed hash is indexed: no plain digest of the number.
    const hashes = await t.db.selectFrom('identity_attempts').select('document_hash').execute();
    expect(new Set(hashes.map((h) => h.document_hash)).size).toBe(1);
    expect(hashes[0]?.document_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes[0]?.document_hash).not.toBe(createHash('sha256').update('X12345').digest('hex'));
  });

  it('does not link a learner to themselves, nor sessions without a document number', async () => {
    const practice = (await t.call('createSession', { token: learner, body: { examId: 'practice-mini' }, client: 'desktop' })).body.id as string;
    await attempt(idAttempt(1, 'Jonas Müller', { documentNumber: 'AB123' }));
    await attempt(idAttempt(1, 'Jonas Müller', { documentNumber: 'AB123' }), learner, practice);
    const other = (await t.signIn('learner2')).accessToken;
    const theirs = (await t.call('createSession', { token: other, body: { examId: 'final-mini' }, client: 'desktop' })).body.id as string;
    await attempt(idAttempt(1, 'Jonas Müller', { documentNumber: '<<<' }), other, theirs);
    expect((await record(proctor, sessionId)).duplicates).toEqual([]);
    expect((await record(proctor, theirs)).duplicates).toEqual([]);
    expect(await events()).toEqual([]);
  });

  it('links documents by the number the server read, never by the number the app claims', async () => {
    const other = (await t.signIn('learner2')).accessToken;
    const theirs = (await t.call('createSession', { token: other, body: { examId: 'final-mini', client: 'desktop' } })).body.id as string;
    /** A photo in which the server reads `printed`, sent with an app that claims `claimed` as the number. */
    const shown = (attemptNo: number, printed: string | null, claimed: string) => ({
      ...idAttempt(attemptNo, 'Kwame Mensah', { image: printedIdJpeg({ fullName: 'Kwame Mensah', documentNumber: printed }) }),
      fields: { ...idAttempt(attemptNo, 'Kwame Mensah').fields, documentNumber: claimed },
    });
    await attempt(shown(1, 'K7700123', 'FAKE-1'));
    // Claiming that number without showing the document links nobody; nor does a photo with no number read.
    await attempt(shown(1, 'OTHER-99', 'K7700123'), other, theirs);
    await attempt(shown(2, null, 'K7700123'), other, theirs);
    expect((await record(proctor, sessionId)).duplicates).toEqual([]);
    const hashes = await t.db.selectFrom('identity_attempts').select('document_hash').where('session_id', '=', theirs).orderBy('attempt').execute();
    expect(hashes[0]?.document_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes[1]?.document_hash).toBeNull();
    // Showing the same document links the accounts, whatever number the app claims.
    await attempt(shown(3, 'K7700123', 'FAKE-2'), other, theirs);
    expect((await record(proctor, sessionId)).duplicates).toEqual([expect.objectContaining({ sessionId: theirs })]);
  });

  it('is the owner’s or staff’s to read, and only the owner’s to write', async () => {
    const other = (await t.signIn('learner2')).accessToken;
    expect((await t.call('getIdentity', { token: other, params: params() })).status).toBe(404);
    expect((await attempt(idAttempt(1, 'Amara Okafor'), other)).status).toBe(404);
    expect((await attempt(idAttempt(1, 'Amara Okafor'), proctor)).status).toBe(403);
    expect((await face(fakeJpeg(), proctor)).status).toBe(403);
    expect((await t.call('continueUnverified', { token: proctor, params: params(), body: { reason: 'learner_choice' } })).status).toBe(403);
    expect((await t.call('getIdentity', { params: params() })).status).toBe(401);
    const view = await record(proctor);
    expect(view).toMatchObject({ status: 'not_started', attempts: [], images: [], duplicates: [] });
  });
});

/** Dev-set ID frames (1280×720) and their faces: dev_000 shows Biden's portrait, dev_001 Hopper's. */
const DEV_IDS = resolve(REPO, '../shared/fixtures/ids/dev/images');
const devId = (n: number) => readFileSync(join(DEV_IDS, `dev_${String(n).padStart(3, '0')}.jpg`));

describeEachDialect('identity check: the server reads the ID and compares the faces itself', (dialect) => {
  let t: TestServer;
  let learner: string;
  let proctor: string;
  let sessionId: string;
  // One warm reader (tesseract.js worker, face models) for the block, as a running server keeps one.
  let reader: NodeIdentityInspector;
  beforeAll(async () => {
    reader = new NodeIdentityInspector({ ocrWorkers: 1, log: { info: () => undefined, warn: () => undefined } });
    await reader.warm();
  });
  afterAll(() => reader.close());
  beforeEach(async () => {
    t = await createTestServer(dialect, { identityInspector: reader });
    learner = (await t.signIn('learner')).accessToken;
    proctor = (await t.signIn('proctor')).accessToken;
    sessionId = (await t.call('createSession', { token: learner, body: { examId: 'final-mini', client: 'desktop' } })).body.id;
  });
  afterEach(() => t.close());

  const attempt = (body: unknown) => t.call('submitIdAttempt', { token: learner, params: { sessionId }, body });
  const face = (image: Buffer) =>
    t.call('submitFacePhoto', {
      token: learner,
      params: { sessionId },
      body: { image: image.toString('base64'), width: 360, height: 460, faces: [{ x: 90, y: 100, width: 180, height: 220, score: 0.9 }], takenAt: ISO(T0) },
    });
  const events = async () => (await t.call('listEvents', { token: proctor, params: { sessionId } })).body.events as { kind: string; severity: string; reason: string; detail: Record<string, unknown> }[];

  it('does not pass an ID whose printed name is another person’s, whatever name the app says it read', async () => {
    // dev_006 is Emily Carter's driving licence; the app claims it reads the learner's registered name.
    const res = await attempt(idAttempt(1, 'Amara Okafor', { image: devId(6), documentNumber: 'AO-123456' }));
    expect(res.status).toBe(200);
    const result = IdAttemptResult.parse(res.body);
    expect(result.status).toBe('in_progress');
    expect(result.nameVerdict).toBe('mismatch');
    expect(result.readName).toContain('CARTER');
    const disagreements = (await events()).filter((e) => e.kind === 'identity_disagreement');
    expect(disagreements).toEqual([expect.objectContaining({ severity: 'high', detail: expect.objectContaining({ attempt: 1, serverNameVerdict: 'mismatch', appNameVerdict: 'match' }) })]);
    // Neither the OCR text nor the document number is in the event.
    expect(JSON.stringify(disagreements)).not.toMatch(/022348177|AO-123456|CARTER/i);
    // The proctor sees the server's verdict, the server's reading and the app's differing hint.
    const [seen] = (await t.call('getIdentity', { token: proctor, params: { sessionId } })).body.attempts as IdentityRecordView['attempts'];
    expect(seen).toMatchObject({ nameVerdict: 'mismatch', status: 'in_progress', fields: { fullName: 'Amara Okafor' }, appHint: { nameVerdict: 'match' } });
    expect(seen!.server!.fields.fullName).toMatch(/carter/i);
  });

  it('decides the face verdict from its own descriptors: a different face is `different` however small the app’s distance', async () => {
    expect((await face(HOPPER)).status).toBe(200);
    // dev_000 carries Biden's portrait; the app claims a near-perfect match.
    const other = IdAttemptResult.parse((await attempt(idAttempt(1, 'Amara Okafor', { image: devId(0), faceDistance: 0.01 }))).body);
    expect(other.faceVerdict).toBe('different');
    const rows = await t.db.selectFrom('identity_attempts').select(['attempt', 'face_verdict', 'face_distance', 'server_face_distance']).execute();
    expect(rows).toEqual([{ attempt: 1, face_verdict: 'different', face_distance: 0.01, server_face_distance: expect.any(Number) }]);
    expect(rows[0]!.server_face_distance).toBeGreaterThan(0.6);
    expect((await events()).filter((e) => e.kind === 'identity_disagreement').map((e) => e.detail)).toContainEqual(
      expect.objectContaining({ attempt: 1, serverFaceVerdict: 'different', appFaceVerdict: 'match' }),
    );
  });

  it('finds the same person on the ID as in the face photo: `match`', async () => {
    expect((await face(HOPPER)).status).toBe(200);
    // dev_001 carries Hopper's portrait: the same person as the face photo.
    const same = IdAttemptResult.parse((await attempt(idAttempt(1, 'Amara Okafor', { image: devId(1), faceDistance: 0.01 }))).body);
    expect(same.faceVerdict).toBe('match');
    const rows = await t.db.selectFrom('identity_attempts').select(['attempt', 'face_verdict']).execute();
    expect(rows).toEqual([{ attempt: 1, face_verdict: 'match' }]);
  });
});
