import type { Kysely } from 'kysely';
import type { SessionStatus } from '../../../shared/api';
import type { Dialect } from '../db/connect';
import type { Database } from '../db/schema';
import { ApiError } from '../errors';
import type { ReviewDatabase } from '../review/schema';
import type { Db } from '../sessions/context';

/** Whether an attempt's recording may still be uploaded to. */
export type UploadWindow = 'open' | 'not_started' | 'closed';

export interface WindowFacts {
  readonly status: string;
  readonly startedAt: number | null;
  readonly submittedAt: number | null;
  /** The review queue has recorded a decision on the attempt. */
  readonly decided: boolean;
}

/**
 * Recording starts at Begin and its uploads continue after submit (or time running out) until review
 * records its first decision; from then on the recording a proctor is judging can no longer change.
 * An attempt interrupted before submit (`error` without `submitted_at`) keeps its window open: it is
 * resumed and its recording continues.
 */
export function uploadWindow(f: WindowFacts): UploadWindow {
  if (f.decided) return 'closed';
  const status = f.status as SessionStatus;
  switch (status) {
    case 'created':
    case 'ready_to_start':
      return 'not_started';
    case 'started':
    case 'ready_to_submit':
    case 'submitted':
      return 'open';
    case 'timed_out':
      return f.startedAt !== null ? 'open' : 'closed';
    case 'error':
      if (f.submittedAt !== null) return 'closed';
      return f.startedAt !== null ? 'open' : 'not_started';
    default:
      return 'closed';
  }
}

/** The refusal once the window has closed; `decided` says whether review is why. */
export const sessionClosed = (decided = true): ApiError =>
  new ApiError(
    'session_closed',
    `Uploads to this attempt’s recording are closed: ${decided ? 'review has already recorded a decision on it' : 'the attempt has ended without an open recording'}, so nothing more can be added. Keep the recording on this computer and contact support if part of it did not arrive.`,
  );

/** The facts `uploadWindow` needs, read in `db` (a transaction when the caller locks); null when there is no such session. */
export async function windowFacts(
  db: Db,
  sessionId: string,
  options: { lock: boolean; dialect: Dialect },
): Promise<(WindowFacts & { userId: string; examId: string }) | null> {
  const session = await db
    .selectFrom('sessions')
    .select(['user_id', 'exam_id', 'status', 'started_at', 'submitted_at'])
    .where('id', '=', sessionId)
    // Review's decision locks the same row, so a decision and an upload's admission never interleave.
    .$if(options.lock && options.dialect === 'postgres', (qb) => qb.forUpdate())
    .executeTakeFirst();
  if (!session) return null;
  // Through review_queue's unique session index and review_decisions' (entry_id, round) key.
  const decision = await (db as unknown as Kysely<ReviewDatabase>)
    .selectFrom('review_decisions')
    .innerJoin('review_queue', 'review_queue.id', 'review_decisions.entry_id')
    .select('review_decisions.round')
    .where('review_queue.session_id', '=', sessionId)
    .limit(1)
    .executeTakeFirst();
  return {
    userId: session.user_id,
    examId: session.exam_id,
    status: session.status,
    startedAt: session.started_at,
    submittedAt: session.submitted_at,
    decided: decision !== undefined,
  };
}

/** Throws session_closed unless the attempt's upload window is open (a missing session counts as closed). */
export async function requireOpenWindow(db: Kysely<Database> | Db, sessionId: string, options: { lock: boolean; dialect: Dialect }): Promise<void> {
  const facts = await windowFacts(db, sessionId, options);
  if (!facts || uploadWindow(facts) !== 'open') throw sessionClosed(facts?.decided ?? false);
}
