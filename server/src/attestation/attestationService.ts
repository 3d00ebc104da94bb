import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { ChallengeRequest, ChallengeResponse, EnrollInstallRequest, SignedChallenge, UserView } from '../../../shared/api';
import { challengeMessage, type ChallengePurpose } from '../../../shared/domain/attestation';
import type { Database } from '../db/schema';
import { ApiError } from '../errors';
import { randomId, type RandomBytes } from '../random';
import { type Db, type LoadedSession, loadSession } from '../sessions/context';
import type { Dialect } from '../db/connect';
import type { ExamStore } from '../exams/examStore';
import { installIdOf, parseInstallKey, verifyInstallSignature } from './installKeys';
import type { HeaderVerdict, ReleaseKeyCheck } from './releaseKeys';

/** Long enough for a slow link between asking and starting; short enough that a captured nonce is useless. */
export const CHALLENGE_TTL_MS = 2 * 60_000;
/** A learner reinstalls or changes computers now and then; more than this is not one person's laptops. */
export const MAX_INSTALLS_PER_LEARNER = 10;

export interface AttestationServiceOptions {
  readonly db: Kysely<Database>;
  readonly clock: () => number;
  readonly random: RandomBytes;
  readonly releaseKeys: ReleaseKeyCheck;
  readonly exams: ExamStore;
  readonly dialect: Dialect;
}

/** What one request proves about its client: the release-key header, and a signed challenge if it carried one. */
export interface ClientProof {
  readonly header: HeaderVerdict;
  readonly signed?: SignedChallenge | undefined;
}

const REQUIRED = 'This exam must be taken in the official Invigil desktop app. Install it, sign in there and start again.';
const INVALID = 'The server could not confirm that this is an official, unmodified Invigil app. Reinstall the app your programme provides.';

/**
 * Client attestation on the server: which kind of client a request comes from (derived from the
 * release-key header, never from what the request says), install enrolment, and one-time signed
 * challenges for starting an attempt and opening a section.
 */
export class AttestationService {
  constructor(private readonly o: AttestationServiceOptions) {}

  inspect(request: FastifyRequest): HeaderVerdict {
    return this.o.releaseKeys.inspect(request);
  }

  /** A present header that fits no accepted build is refused outright: a modified or outdated app. */
  refuseInvalid(header: HeaderVerdict): void {
    if (header === 'invalid') throw new ApiError('attestation_invalid', INVALID);
  }

  requireHeader(header: HeaderVerdict): void {
    this.refuseInvalid(header);
    if (header !== 'valid') throw new ApiError('attestation_required', REQUIRED);
  }

  /** Enrols this install's public key for the learner (idempotent for the same key). */
  async enroll(user: UserView, header: HeaderVerdict, request: EnrollInstallRequest): Promise<{ installId: string }> {
    this.requireHeader(header);
    const parsed = parseInstallKey(request.publicKey);
    if (!parsed) {
      throw new ApiError('validation_failed', 'The install key must be an Ed25519 public key (base64 DER).', [{ path: 'body.publicKey', message: 'not an Ed25519 public key' }]);
    }
    const id = installIdOf(parsed.der);
    const now = this.o.clock();
    return this.o.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('client_installs').select(['id', 'user_id']).where('id', '=', id).executeTakeFirst();
      if (existing && existing.user_id !== user.id) {
        // One install key per learner: a key enrolled by someone else would let two accounts share one machine's proof.
        throw new ApiError('attestation_invalid', 'This app installation is already registered to another account. Sign in with that account, or reinstall the app.');
      }
      if (existing) {
        await trx.updateTable('client_installs').set({ last_used_at: now, key_protection: request.keyProtection }).where('id', '=', id).execute();
        return { installId: id };
      }
      const count = await trx.selectFrom('client_installs').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', user.id).executeTakeFirstOrThrow();
      if (Number(count.n) >= MAX_INSTALLS_PER_LEARNER) {
        // The oldest goes: a learner on a new computer is never locked out by old ones.
        const oldest = await trx.selectFrom('client_installs').select('id').where('user_id', '=', user.id).orderBy('last_used_at').limit(1).executeTakeFirstOrThrow();
        await trx.deleteFrom('client_installs').where('id', '=', oldest.id).execute();
      }
      await trx
        .insertInto('client_installs')
        .values({ id, user_id: user.id, public_key: request.publicKey, key_protection: request.keyProtection, created_at: now, last_used_at: now })
        .execute();
      return { installId: id };
    });
  }

  /** A one-time nonce for `purpose` on this attempt; the app's install signs it and sends it back with the action. */
  async challenge(user: UserView, sessionId: string, header: HeaderVerdict, request: ChallengeRequest): Promise<ChallengeResponse> {
    this.requireHeader(header);
    const db = this.o.db;
    const { session, exam } = await loadSession(db, this.o.exams, this.o.dialect, sessionId, user, { lock: false });
    const sectionId = request.purpose === 'open_section' ? request.sectionId : null;
    if (request.purpose === 'open_section' && (sectionId === null || !exam.sections.some((s) => s.id === sectionId))) {
      throw new ApiError('validation_failed', 'Name the section to open.', [{ path: 'body.sectionId', message: 'a section of this exam' }]);
    }
    const now = this.o.clock();
    const nonce = randomId(this.o.random, 32);
    await db.deleteFrom('attestation_challenges').where('session_id', '=', session.id).where('expires_at', '<', now).execute();
    await db
      .insertInto('attestation_challenges')
      .values({ nonce, session_id: session.id, user_id: session.user_id, purpose: request.purpose, section_id: sectionId, expires_at: now + CHALLENGE_TTL_MS, used_at: null })
      .execute();
    return { nonce, expiresAt: new Date(now + CHALLENGE_TTL_MS).toISOString() };
  }

  /**
   * Checks the header and spends the signed challenge for this action inside the caller's
   * transaction; returns the install that signed. Throws `attestation_required` without a header or
   * signature, `attestation_invalid` for anything that does not check out.
   */
  async consume(trx: Db, loaded: LoadedSession, purpose: ChallengePurpose, sectionId: string | null, proof: ClientProof): Promise<string> {
    this.requireHeader(proof.header);
    const signed = proof.signed;
    if (!signed) throw new ApiError('attestation_required', 'Sign the server’s challenge with this app first (the app does this itself: update it if it did not).');
    const now = this.o.clock();
    const spent = await trx
      .updateTable('attestation_challenges')
      .set({ used_at: now })
      .where('nonce', '=', signed.nonce)
      .where('session_id', '=', loaded.session.id)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>=', now)
      .$if(sectionId === null, (qb) => qb.where('section_id', 'is', null))
      .$if(sectionId !== null, (qb) => qb.where('section_id', '=', sectionId))
      .returning('nonce')
      .executeTakeFirst();
    if (!spent) throw new ApiError('attestation_invalid', 'This start request was already used or has expired. Try again.');
    const install = await trx
      .selectFrom('client_installs')
      .select(['id', 'public_key'])
      .where('id', '=', signed.installId)
      .where('user_id', '=', loaded.session.user_id)
      .executeTakeFirst();
    const message = challengeMessage({ purpose, sessionId: loaded.session.id, sectionId, nonce: signed.nonce });
    if (!install || !verifyInstallSignature(install.public_key, message, signed.signature)) {
      throw new ApiError('attestation_invalid', INVALID);
    }
    await trx.updateTable('client_installs').set({ last_used_at: now }).where('id', '=', install.id).execute();
    return install.id;
  }
}
