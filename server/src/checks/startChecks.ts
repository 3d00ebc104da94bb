import type { Kysely } from 'kysely';
import { CONSENT_VERSION, type ExamDefinition, type SessionStatus, type StartChecks, type UserView } from '../../../shared/api';
import { resolvePolicy } from '../../../shared/domain/examPolicy';
import type { Dialect } from '../db/connect';
import type { Database } from '../db/schema';
import type { ErrorDetail } from '../errors';
import type { ExamStore } from '../exams/examStore';
import { type Db, illegalTransition, type LoadedSession, loadSession, type SessionRow } from '../sessions/context';

/** Consent, the system check, identity and the translator are done before the exam begins, never after. */
const BEFORE_START: readonly SessionStatus[] = ['created', 'ready_to_start'];

export function assertNotBegun(session: SessionRow, action: string): void {
  const status = session.status as SessionStatus;
  if (!BEFORE_START.includes(status)) throw illegalTransition(status, action);
}

/** Makes the session's start_checks row if it is not there yet, so each step can update its own columns. */
export async function ensureStartRow(db: Db, sessionId: string): Promise<void> {
  await db
    .insertInto('start_checks')
    .values({ session_id: sessionId, consent_version: null, consent_at: null, translator: null, translator_at: null, manual_review_reason: null, identity_updated_at: null })
    .onConflict((oc) => oc.column('session_id').doNothing())
    .execute();
}

/** Each requirement of the start and whether it is met (SessionView.checks). */
export async function loadStartChecks(db: Db, session: Pick<SessionRow, 'id'>, exam: ExamDefinition): Promise<StartChecks> {
  const policy = resolvePolicy(exam);
  const [row, latest] = await Promise.all([
    db.selectFrom('start_checks').selectAll().where('session_id', '=', session.id).executeTakeFirst(),
    db
      .selectFrom('system_checks')
      .select('passed')
      .where('session_id', '=', session.id)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  const translator = row?.translator ?? null;
  return {
    consent: row?.consent_version === CONSENT_VERSION,
    systemCheck: latest === undefined ? 'missing' : latest.passed === 1 ? 'passed' : 'failed',
    identity: policy.identity === 'off' ? 'not_required' : (row?.identity_status ?? 'not_started'),
    translator: translator === 'google' || translator === 'youdao' || translator === 'bing' ? translator : null,
    translatorRequired: policy.translators === 'one-of',
  };
}

/** What still stands between the learner and the start, as error details (`start_requirements_missing`). */
export function missingSteps(checks: StartChecks): ErrorDetail[] {
  const missing: ErrorDetail[] = [];
  if (!checks.consent) missing.push({ path: 'consent', message: 'Read and accept what is recorded and who sees it.' });
  if (checks.systemCheck !== 'passed') {
    missing.push({
      path: 'system_check',
      message: checks.systemCheck === 'missing' ? 'Run the system check.' : 'The last system check found a problem: fix it and run the check again.',
    });
  }
  if (checks.identity !== 'not_required' && checks.identity !== 'passed' && checks.identity !== 'manual_review') {
    missing.push({ path: 'identity', message: 'Complete the identity check (face photo and photo ID).' });
  }
  if (checks.translatorRequired && checks.translator === null) {
    missing.push({ path: 'translator', message: 'Choose the translator you will use during the exam.' });
  }
  return missing;
}

/**
 * One pre-start step in a transaction: the learner's own session (others' are reported missing), locked
 * in PostgreSQL so two steps of one session run one after another, and not yet begun.
 */
export function runBeforeStart<T>(
  o: { db: Kysely<Database>; exams: ExamStore; dialect: Dialect; clock: () => number },
  user: UserView,
  sessionId: string,
  action: string,
  work: (trx: Db, loaded: LoadedSession, now: number) => Promise<T>,
): Promise<T> {
  return o.db.transaction().execute(async (trx) => {
    const now = o.clock();
    const loaded = await loadSession(trx, o.exams, o.dialect, sessionId, user, { lock: true });
    assertNotBegun(loaded.session, action);
    await ensureStartRow(trx, sessionId);
    return work(trx, loaded, now);
  });
}
