import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ExamDefinition, SessionStatus, UserView } from '../../../shared/api';
import { canTransition } from '../../../shared/domain/sessionStatus';
import type { Dialect } from '../db/connect';
import type { Database, SessionsTable } from '../db/schema';
import { ApiError } from '../errors';
import type { ExamStore } from '../exams/examStore';

export type SessionRow = Selectable<SessionsTable>;
export type Db = Kysely<Database> | Transaction<Database>;

export interface LoadedSession {
  session: SessionRow;
  exam: ExamDefinition;
}

const NOT_FOUND = 'There is no such exam attempt on your account.';

/**
 * Loads a session the caller may see (learners: their own; staff: any) and, in PostgreSQL, locks its row
 * so concurrent writes to one session run one after another. Someone else's session is reported as
 * missing, so its existence is not revealed.
 */
export async function loadSession(
  trx: Db,
  exams: ExamStore,
  dialect: Dialect,
  sessionId: string,
  user: UserView,
  options: { lock: boolean },
): Promise<LoadedSession> {
  const session = await trx
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', sessionId)
    .$if(options.lock && dialect === 'postgres', (qb) => qb.forUpdate())
    .executeTakeFirst();
  const staff = user.role === 'proctor' || user.role === 'admin';
  if (!session || (!staff && session.user_id !== user.id)) throw new ApiError('not_found', NOT_FOUND);
  const exam = await exams.getFor(user, session.exam_id, trx);
  if (!exam) throw new ApiError('not_found', NOT_FOUND);
  return { session, exam };
}

/** The proctor's pause in force on this attempt (live/control/), or undefined while it runs. */
export async function openPause(db: Db, sessionId: string) {
  return db.selectFrom('session_pauses').selectAll().where('session_id', '=', sessionId).where('ended_at', 'is', null).executeTakeFirst();
}

/** Answers, sections and submission wait while a proctor has the attempt paused. */
export async function refuseIfPaused(db: Db, sessionId: string): Promise<void> {
  if (await openPause(db, sessionId)) {
    throw new ApiError('session_paused', 'Your proctor has paused your exam and your time is stopped. Your answers are kept and sent when the exam resumes.');
  }
}

/**
 * Lazy expiry: an open section whose deadline + grace has passed is closed as `expired` at its deadline.
 * Runs on every read and write of a session, so no background timer is needed. A paused attempt's
 * sections never expire: the pause stops their time, and its length is added to the deadline at resume.
 */
export async function expireOverdueSections(trx: Db, sessionId: string, now: number, graceMs: number): Promise<void> {
  const overdue = await trx
    .updateTable('session_sections')
    .set((eb) => ({ state: 'expired', closed_at: eb.ref('deadline') }))
    .where('session_id', '=', sessionId)
    .where('state', '=', 'open')
    .where('deadline', '<', now - graceMs)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('session_pauses').select('session_pauses.id').where('session_pauses.session_id', '=', sessionId).where('session_pauses.ended_at', 'is', null))),
    )
    .returning(['section_id'])
    .execute();
  for (const row of overdue) {
    await recordEvent(trx, sessionId, now, 'section_closed', { sectionId: row.section_id, reason: 'deadline_passed' });
  }
}

export async function recordEvent(
  trx: Db,
  sessionId: string,
  at: number,
  type: string,
  detail: Record<string, unknown> | null,
  status?: { from: string | null; to: string },
): Promise<void> {
  await trx
    .insertInto('session_events')
    .values({
      session_id: sessionId,
      at,
      type,
      from_status: status?.from ?? null,
      to_status: status?.to ?? null,
      detail: detail === null ? null : JSON.stringify(detail),
    })
    .execute();
}

const describeStatus: Record<SessionStatus, string> = {
  created: 'not started yet',
  ready_to_start: 'waiting to start',
  started: 'in progress',
  ready_to_submit: 'ready to submit',
  submitted: 'already submitted',
  second_review_required: 'already submitted and under review',
  verified: 'already submitted and reviewed',
  rejected: 'already submitted and reviewed',
  error: 'interrupted',
  timed_out: 'timed out',
};

export function illegalTransition(from: SessionStatus, action: string): ApiError {
  return new ApiError('illegal_transition', `This attempt is ${describeStatus[from]}, so you cannot ${action}.`);
}

/** Every status change goes through the shared state machine and leaves a timestamped event. */
export async function transition(
  trx: Db,
  session: SessionRow,
  to: SessionStatus,
  now: number,
  action: string,
  extra: Partial<Pick<SessionRow, 'started_at' | 'submitted_at' | 'receipt_code' | 'score_points' | 'score_max_points' | 'score_percent' | 'score_pending_manual_points'>> = {},
): Promise<void> {
  const from = session.status as SessionStatus;
  // An attempt review sent to `error` after submission may only go back to review, never be resumed.
  if (!canTransition(from, to, { submitted: session.submitted_at !== null })) throw illegalTransition(from, action);
  await trx
    .updateTable('sessions')
    .set({ status: to, ...extra })
    .where('id', '=', session.id)
    .execute();
  await recordEvent(trx, session.id, now, 'status', null, { from, to });
  Object.assign(session, { status: to, ...extra });
}

export async function timeMultiplierFor(db: Db, userId: string, examId: string): Promise<number> {
  const row = await db
    .selectFrom('accommodations')
    .select('time_multiplier')
    .where('user_id', '=', userId)
    .where('exam_id', '=', examId)
    .executeTakeFirst();
  return row?.time_multiplier ?? 1;
}
