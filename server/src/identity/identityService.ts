import type { Kysely, Selectable } from 'kysely';
import {
  api,
  buildPath,
  type FaceVerdict,
  type IdAttemptResult,
  type IdentityRecordView,
  type IdentityStatus,
  MAX_IDENTITY_ATTEMPTS,
  type SubmitFacePhotoRequest,
  type SubmitIdAttemptRequest,
  type UserView,
} from '../../../shared/api';
import { resolvePolicy } from '../../../shared/domain/examPolicy';
import { matchName, type NameDifference, type NameMatchResult } from '../../../shared/domain/nameMatch';
import { assertNotBegun, runBeforeStart } from '../checks/startChecks';
import type { Dialect } from '../db/connect';
import type { Database, IdentityAttemptsTable, IdentityImagesTable, StartChecksTable } from '../db/schema';
import { ApiError } from '../errors';
import type { ExamStore } from '../exams/examStore';
import { raiseServerEvent } from '../events/monitorEvents';
import { randomId, type RandomBytes } from '../random';
import { type Db, type LoadedSession, loadSession } from '../sessions/context';
import { documentHash } from './documentHash';
import { decodeJpeg, type IdentityFiles, type JpegImage } from './identityFiles';
import type { IdentityInspector, ServerReading } from './identityInspector';

/** face-api 128-D descriptors: the same person ~0.1, different people 0.67–0.87 as measured here. */
export const FACE_MATCH_THRESHOLD = 0.6;

export function faceVerdict(distance: number | null): FaceVerdict {
  if (distance === null) return 'unknown';
  return distance < FACE_MATCH_THRESHOLD ? 'match' : 'different';
}

/**
 * Which name verdicts let the learner through without a proctor's decision first. `match` does, and
 * so does a `partial` that only leaves names out or adds some (a middle name the ID omits or the
 * account lacks): the proctor still sees the verdict and the differences. A `partial` with a spelling
 * difference ("Jon" for "John") does not: an OCR slip and another person look the same, so the learner
 * retries, or goes on unverified for the proctor to compare by eye.
 */
export function namePasses(result: NameMatchResult): boolean {
  if (result.verdict === 'match') return true;
  return result.verdict === 'partial' && result.differences.every((d) => d.kind !== 'different');
}

export interface IdentityServiceOptions {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly exams: ExamStore;
  readonly clock: () => number;
  readonly random: RandomBytes;
  readonly files: IdentityFiles;
  /** HMAC key of document numbers. */
  readonly documentKey: string;
  /** The server's own reading of ID photos and faces, which decides the verdicts. */
  readonly inspector: IdentityInspector;
}

type StartRow = Selectable<StartChecksTable>;
type AttemptRow = Selectable<IdentityAttemptsTable>;
type ImageRow = Selectable<IdentityImagesTable>;

const iso = (ms: number): string => new Date(ms).toISOString();
const finished = (status: IdentityStatus): boolean => status === 'passed' || status === 'manual_review';

function jpegOrThrow(base64: string): JpegImage {
  const image = decodeJpeg(base64);
  if (typeof image === 'string') {
    throw new ApiError('validation_failed', `The photo ${image}.`, [{ path: 'body.image', message: image }]);
  }
  return image;
}

async function startRow(db: Db, sessionId: string): Promise<StartRow | undefined> {
  return db.selectFrom('start_checks').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
}

async function ownerName(db: Db, userId: string): Promise<string> {
  const row = await db.selectFrom('users').select('full_name').where('id', '=', userId).executeTakeFirstOrThrow();
  return row.full_name;
}

function attemptResult(row: AttemptRow, registeredName: string): IdAttemptResult {
  return {
    attempt: row.attempt,
    nameVerdict: row.name_verdict,
    reason: row.name_reason,
    differences: (JSON.parse(row.name_differences) as NameDifference[]).map((d) => ({ ...d })),
    registeredName,
    readName: row.read_name,
    faceVerdict: row.face_verdict,
    status: row.status_after,
    attemptsLeft: finished(row.status_after) ? 0 : MAX_IDENTITY_ATTEMPTS - row.attempt,
  };
}

function assertIdentityOpen(loaded: LoadedSession, state: StartRow | undefined): void {
  if (resolvePolicy(loaded.exam).identity === 'off') {
    throw new ApiError('identity_not_required', 'This exam has no identity check; go on to the next step.');
  }
  if (state && finished(state.identity_status)) {
    throw new ApiError(
      'identity_attempts_exhausted',
      state.identity_status === 'passed'
        ? 'Your identity check is already complete; go on to the next step.'
        : 'Your identity check has ended; a proctor will check your ID photos. Go on to the next step.',
    );
  }
}

async function assertNextAttempt(db: Db, sessionId: string, attempt: number): Promise<void> {
  const previous = await db
    .selectFrom('identity_attempts')
    .select((eb) => eb.fn.max('attempt').as('last'))
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
  const expected = Number(previous?.last ?? 0) + 1;
  if (attempt !== expected) {
    throw new ApiError(
      'sequence_conflict',
      attempt < expected
        ? `ID photo ${attempt} was already received; the next one is number ${expected}.`
        : `ID photos are taken in order; the next one is number ${expected}.`,
      [{ path: 'body.attempt', message: `expected ${expected}` }],
    );
  }
}

/** Where the app's hint passed and the server's reading did not: what the proctor is told. */
function disagreementReason(attempt: number, name: boolean, face: boolean): string {
  const parts: string[] = [];
  if (name) parts.push('the learner’s app read a name that matches the registered name, but the server’s reading of the same photo does not');
  if (face) parts.push('the learner’s app reported that the face on the ID matches the face photo, but the server’s comparison finds a different person');
  return `On ID photo ${attempt}, ${parts.join('; and ')}. The server’s verdict stands: compare the photos with the registered name by eye.`;
}

/**
 * The identity check: a face photo and up to three ID photos with what the app read. The
 * server keeps the images as files, reads each ID photo and compares the faces itself (the app's
 * reading and distance are hints, stored beside the server's), decides the name and face verdicts
 * from its own reading, and links accounts that present the same document number (a keyed hash of
 * the number the server read; the number itself is not kept).
 */
export class IdentityService {
  constructor(private readonly o: IdentityServiceOptions) {}

  /** A pre-start identity step: refused when the exam has no identity check or the check has ended. */
  private step<T>(
    user: UserView,
    sessionId: string,
    action: string,
    image: JpegImage | null,
    work: (trx: Db, loaded: LoadedSession, state: StartRow, now: number, storeImage: (row: Omit<ImageRow, 'sha256' | 'bytes' | 'session_id' | 'created_at' | 'id'>) => Promise<string>) => Promise<T>,
  ): Promise<T> {
    const written: string[] = [];
    const run = runBeforeStart(this.o, user, sessionId, action, async (trx, loaded, now) => {
      const state = (await startRow(trx, sessionId))!;
      assertIdentityOpen(loaded, state);
      const storeImage = async (row: Omit<ImageRow, 'sha256' | 'bytes' | 'session_id' | 'created_at' | 'id'>): Promise<string> => {
        if (!image) throw new Error('no image to store');
        const id = randomId(this.o.random);
        await this.o.files.write(sessionId, id, image.bytes);
        written.push(id);
        await trx
          .insertInto('identity_images')
          .values({ ...row, id, session_id: sessionId, bytes: image.bytes.length, sha256: image.sha256, created_at: now })
          .execute();
        return id;
      };
      return work(trx, loaded, state, now, storeImage);
    });
    return run.catch(async (error: unknown) => {
      // The rows rolled back: their files go too.
      for (const id of written) await this.o.files.remove(sessionId, id);
      throw error;
    });
  }

  submitFace(user: UserView, sessionId: string, request: SubmitFacePhotoRequest): Promise<IdentityRecordView> {
    const image = jpegOrThrow(request.image);
    return this.step(user, sessionId, 'take the face photo now', image, async (trx, loaded, _state, _now, storeImage) => {
      await storeImage({
        kind: 'face',
        attempt: null,
        width: request.width,
        height: request.height,
        faces: JSON.stringify(request.faces),
        taken_at: Date.parse(request.takenAt),
      });
      return this.buildRecord(trx, loaded, false);
    });
  }

  /**
   * Attempts arrive numbered 1, 2, 3 in order. The server reads the photo and compares its face with
   * the face photo itself (before the transaction: reading takes a second or more), then decides:
   * the name verdict is `matchName` on the registered name and the server's reading, the face verdict
   * the server's distance; the app's fields and distance are stored as hints, and where the hint
   * passes and the server's reading does not, an `identity_disagreement` event tells the proctor. The
   * third failure ends the check for manual review, and so does the learner's choice to go on
   * (`continueUnverified`).
   */
  async submitAttempt(user: UserView, sessionId: string, request: SubmitIdAttemptRequest): Promise<IdAttemptResult> {
    const image = jpegOrThrow(request.image);
    const action = 'photograph your ID now';
    // Refusals that need no reading come first, so a refused photo never waits for the engines.
    const preflight = await loadSession(this.o.db, this.o.exams, this.o.dialect, sessionId, user, { lock: false });
    assertNotBegun(preflight.session, action);
    assertIdentityOpen(preflight, await startRow(this.o.db, sessionId));
    await assertNextAttempt(this.o.db, sessionId, request.attempt);
    const server = await this.o.inspector.inspect(image.bytes, await this.latestFacePhoto(sessionId));

    return this.step(user, sessionId, action, image, async (trx, loaded, _state, now, storeImage) => {
      const { session } = loaded;
      await assertNextAttempt(trx, sessionId, request.attempt);
      const registeredName = await ownerName(trx, session.user_id);
      const nameOf = (f: SubmitIdAttemptRequest['fields']) => matchName(registeredName, { fullName: f.fullName, surname: f.surname, givenNames: f.givenNames });
      const match = nameOf(server.fields);
      const hint = nameOf(request.fields);
      const serverFace = faceVerdict(server.faceDistance);
      const hintFace = faceVerdict(request.faceDistance);
      const status: IdentityStatus = namePasses(match) ? 'passed' : request.attempt >= MAX_IDENTITY_ATTEMPTS ? 'manual_review' : 'in_progress';
      const hash = documentHash(this.o.documentKey, server.fields.documentNumber);

      const imageId = await storeImage({
        kind: 'id',
        attempt: request.attempt,
        width: request.width,
        height: request.height,
        faces: null,
        taken_at: Date.parse(request.takenAt),
      });
      const row: AttemptRow = {
        session_id: sessionId,
        attempt: request.attempt,
        image_id: imageId,
        fields: JSON.stringify(request.fields),
        name_verdict: match.verdict,
        name_reason: match.reason,
        name_differences: JSON.stringify(match.differences),
        read_name: match.readTokens.length > 0 ? match.readTokens.join(' ') : null,
        face_distance: request.faceDistance,
        face_verdict: serverFace,
        id_face: request.idFace === null ? null : JSON.stringify(request.idFace),
        capture: request.capture,
        ocr_ms: request.ocrMs,
        taken_at: Date.parse(request.takenAt),
        status_after: status,
        document_hash: hash,
        created_at: now,
        server_fields: JSON.stringify(server.fields),
        server_face_distance: server.faceDistance,
        server_id_face: server.idFace === null ? null : JSON.stringify(server.idFace),
        server_ocr_ms: server.ocrMs,
        server_face_ms: server.faceMs,
        hint_name_verdict: hint.verdict,
        hint_face_verdict: hintFace,
      };
      await trx.insertInto('identity_attempts').values(row).execute();
      await this.flagDisagreement(trx, sessionId, request.attempt, { match, hint, serverFace, hintFace, server }, now);
      await this.setStatus(trx, sessionId, status, status === 'manual_review' ? 'attempts_exhausted' : null, now);
      if (status === 'manual_review') await this.flagUnverified(trx, sessionId, 'attempts_exhausted', request.attempt, now);
      if (hash !== null) await this.flagDuplicates(trx, session.id, session.user_id, registeredName, hash, now);
      return attemptResult(row, registeredName);
    });
  }

  /** The newest face photo of the session, or null when none was taken (the face verdict is then unknown). */
  private async latestFacePhoto(sessionId: string): Promise<Buffer | null> {
    const row = await this.o.db
      .selectFrom('identity_images')
      .select('id')
      .where('session_id', '=', sessionId)
      .where('kind', '=', 'face')
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row ? this.o.files.read(sessionId, row.id) : null;
  }

  /**
   * One high-severity event per attempt where the app's hint passes and the server's verdict does
   * not: a name that passes against one that does not, or a face `match` against `different`.
   * Verdicts and distances only: never the text read or the document number.
   */
  private async flagDisagreement(
    trx: Db,
    sessionId: string,
    attempt: number,
    v: { match: NameMatchResult; hint: NameMatchResult; serverFace: FaceVerdict; hintFace: FaceVerdict; server: ServerReading },
    now: number,
  ): Promise<void> {
    const name = namePasses(v.hint) && !namePasses(v.match);
    const face = v.hintFace === 'match' && v.serverFace === 'different';
    if (!name && !face) return;
    await raiseServerEvent(
      trx,
      sessionId,
      `identity_disagreement:${attempt}`,
      {
        kind: 'identity_disagreement',
        severity: 'high',
        reason: disagreementReason(attempt, name, face),
        detail: {
          attempt,
          appNameVerdict: v.hint.verdict,
          serverNameVerdict: v.match.verdict,
          appFaceVerdict: v.hintFace,
          serverFaceVerdict: v.serverFace,
          serverFaceDistance: v.server.faceDistance === null ? null : Math.round(v.server.faceDistance * 1000) / 1000,
        },
      },
      now,
    );
  }

  /**
   * After at least one ID photo that did not pass, the learner may go on; the proctor verifies by eye.
   * The reason is the server's: `attempts_exhausted` only when no attempt is left. Repeating it is harmless.
   */
  async continueUnverified(user: UserView, sessionId: string, requested: 'attempts_exhausted' | 'learner_choice'): Promise<IdentityRecordView> {
    try {
      return await this.step(user, sessionId, 'change your identity check now', null, async (trx, loaded, _state, now) => {
        const attempts = await trx.selectFrom('identity_attempts').select('attempt').where('session_id', '=', sessionId).execute();
        if (attempts.length === 0) {
          throw new ApiError('illegal_transition', 'Take a photo of your ID first; you can go on without a match only after trying.');
        }
        const reason = attempts.length >= MAX_IDENTITY_ATTEMPTS ? requested : 'learner_choice';
        await this.setStatus(trx, sessionId, 'manual_review', reason, now);
        await this.flagUnverified(trx, sessionId, reason, attempts.length, now);
        return this.buildRecord(trx, loaded, false);
      });
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'identity_attempts_exhausted') throw error;
      // Already in manual review: the same answer again (a retried request); passed stays refused.
      const loaded = await loadSession(this.o.db, this.o.exams, this.o.dialect, sessionId, user, { lock: false });
      if ((await startRow(this.o.db, sessionId))?.identity_status !== 'manual_review') throw error;
      return this.buildRecord(this.o.db, loaded, false);
    }
  }

  /** The owner sees their record without the duplicates; staff see everything. */
  async record(user: UserView, sessionId: string): Promise<IdentityRecordView> {
    const loaded = await loadSession(this.o.db, this.o.exams, this.o.dialect, sessionId, user, { lock: false });
    const staff = user.role === 'proctor' || user.role === 'admin';
    return this.buildRecord(this.o.db, loaded, staff);
  }

  /** The JPEG of one identity image (the route is staff-only); 404 for an image of another session. */
  async image(user: UserView, sessionId: string, imageId: string): Promise<Buffer> {
    await loadSession(this.o.db, this.o.exams, this.o.dialect, sessionId, user, { lock: false });
    const row = await this.o.db
      .selectFrom('identity_images')
      .select('id')
      .where('id', '=', imageId)
      .where('session_id', '=', sessionId)
      .executeTakeFirst();
    if (!row) throw new ApiError('not_found', 'This attempt has no such identity image.');
    return this.o.files.read(sessionId, row.id);
  }

  private async setStatus(trx: Db, sessionId: string, status: IdentityStatus, reason: 'attempts_exhausted' | 'learner_choice' | null, now: number): Promise<void> {
    await trx
      .updateTable('start_checks')
      .set({ identity_status: status, manual_review_reason: reason, identity_updated_at: now })
      .where('session_id', '=', sessionId)
      .execute();
  }

  private async flagUnverified(trx: Db, sessionId: string, reason: 'attempts_exhausted' | 'learner_choice', attempts: number, now: number): Promise<void> {
    await raiseServerEvent(
      trx,
      sessionId,
      'identity_unverified',
      {
        kind: 'identity_unverified',
        severity: 'medium',
        reason:
          reason === 'attempts_exhausted'
            ? `The name on the ID did not match after ${attempts} photos; compare the ID photos with the learner by eye.`
            : `The learner went on without a matching ID after ${attempts} photo${attempts === 1 ? '' : 's'}; compare the ID photos with the learner by eye.`,
        detail: { reason, attempts },
      },
      now,
    );
  }

  /** Another account presented the same document: a high-severity event on both sessions, once per pair. */
  private async flagDuplicates(trx: Db, sessionId: string, userId: string, name: string, hash: string, now: number): Promise<void> {
    const others = await trx
      .selectFrom('identity_attempts as a')
      .innerJoin('sessions as s', 's.id', 'a.session_id')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['a.session_id', 's.user_id', 'u.full_name'])
      .where('a.document_hash', '=', hash)
      .where('s.user_id', '<>', userId)
      .groupBy(['a.session_id', 's.user_id', 'u.full_name'])
      .execute();
    for (const other of others) {
      await raiseServerEvent(
        trx,
        sessionId,
        `duplicate_account:${other.session_id}`,
        {
          kind: 'duplicate_account',
          severity: 'high',
          reason: `The same identity document was presented by another account (${other.full_name}).`,
          detail: { otherUserId: other.user_id, otherName: other.full_name, otherSessionId: other.session_id },
        },
        now,
      );
      await raiseServerEvent(
        trx,
        other.session_id,
        `duplicate_account:${sessionId}`,
        {
          kind: 'duplicate_account',
          severity: 'high',
          reason: `The same identity document was later presented by another account (${name}).`,
          detail: { otherUserId: userId, otherName: name, otherSessionId: sessionId },
        },
        now,
      );
    }
  }

  private async buildRecord(db: Db, { session }: LoadedSession, staff: boolean): Promise<IdentityRecordView> {
    const [state, registeredName, attempts, images] = await Promise.all([
      startRow(db, session.id),
      ownerName(db, session.user_id),
      db.selectFrom('identity_attempts').selectAll().where('session_id', '=', session.id).orderBy('attempt').execute(),
      db.selectFrom('identity_images').selectAll().where('session_id', '=', session.id).execute(),
    ]);
    // In the order taken: the face photo, then the ID photos by attempt (one clock tick may hold several).
    images.sort((a, b) => a.created_at - b.created_at || (a.attempt ?? 0) - (b.attempt ?? 0));
    const view: IdentityRecordView = {
      sessionId: session.id,
      status: state?.identity_status ?? 'not_started',
      registeredName,
      attempts: attempts.map((row) => ({
        ...attemptResult(row, registeredName),
        fields: JSON.parse(row.fields) as IdentityRecordView['attempts'][number]['fields'],
        capture: row.capture,
        ocrMs: row.ocr_ms,
        faceDistance: row.face_distance,
        takenAt: iso(row.taken_at),
        server:
          row.server_fields === null
            ? null
            : {
                fields: JSON.parse(row.server_fields) as IdentityRecordView['attempts'][number]['fields'],
                faceDistance: row.server_face_distance,
                ocrMs: row.server_ocr_ms ?? 0,
                faceMs: row.server_face_ms ?? 0,
              },
        appHint:
          row.hint_name_verdict === null || row.hint_face_verdict === null ? null : { nameVerdict: row.hint_name_verdict, faceVerdict: row.hint_face_verdict },
      })),
      images: images.map((row) => ({
        id: row.id,
        kind: row.kind,
        attempt: row.attempt,
        width: row.width,
        height: row.height,
        takenAt: iso(row.taken_at),
        url: buildPath(api.identityImage.path, { sessionId: session.id, imageId: row.id }),
      })),
      manualReviewReason: state?.manual_review_reason ?? null,
    };
    if (!staff) return view;
    const hashes = [...new Set(attempts.map((a) => a.document_hash).filter((h): h is string => h !== null))];
    const duplicates =
      hashes.length === 0
        ? []
        : await db
            .selectFrom('identity_attempts as a')
            .innerJoin('sessions as s', 's.id', 'a.session_id')
            .innerJoin('users as u', 'u.id', 's.user_id')
            .select((eb) => ['s.user_id', 'u.full_name', 'a.session_id', eb.fn.min('a.created_at').as('seen_at')])
            .where('a.document_hash', 'in', hashes)
            .where('s.user_id', '<>', session.user_id)
            .groupBy(['s.user_id', 'u.full_name', 'a.session_id'])
            .orderBy('seen_at')
            .execute();
    return {
      ...view,
      duplicates: duplicates.map((d) => ({ userId: d.user_id, displayName: d.full_name, sessionId: d.session_id, seenAt: iso(Number(d.seen_at)) })),
    };
  }
}
