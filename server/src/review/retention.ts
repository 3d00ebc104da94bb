import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { ReviewDatabase, ReviewDb } from './schema';

/** Session ids are base64url; anything else must never become part of a path. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const DAY_MS = 86_400_000;
/** A year after the final decision, unless INVIGIL_RETENTION_DAYS says otherwise. */
export const DEFAULT_RETENTION_DAYS = 365;
/** The job looks for expired media this often; deletions are days apart, so hours are plenty. */
export const RETENTION_INTERVAL_MS = 6 * 3600_000;
/** Attempts handled per run; the rest wait for the next run. */
const BATCH = 200;

export interface RetentionLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RetentionOptions {
  readonly db: Kysely<ReviewDatabase>;
  readonly clock: () => number;
  /** Days after the final decision; 0 keeps media for ever (the job does nothing). */
  readonly days: number;
  /** `<data>/recordings`: one folder per session (segments and remuxed takes). */
  readonly recordingsDir: string;
  /** `<data>/identity`: one folder per session (face and ID photos). */
  readonly identityDir: string;
  readonly log: RetentionLog;
}

export interface RetentionResult {
  readonly sessions: readonly string[];
}

/** Whether the retention job has deleted this session's recording and identity images. */
export async function mediaDeletedAt(db: ReviewDb, sessionId: string): Promise<number | null> {
  const row = await db
    .selectFrom('review_audit')
    .select('at')
    .where('session_id', '=', sessionId)
    .where('action', '=', 'media_deleted')
    .executeTakeFirst();
  return row ? Number(row.at) : null;
}

/**
 * Deletes the recording files and identity images of attempts whose final decision (`verified` or
 * `rejected`) is older than `days`, and writes a `media_deleted` audit entry for each, which is also
 * what marks them deleted for the review screen. Decisions, comments and the audit log stay. Files go
 * first: a crash between the two leaves the entry unmarked, and the next run deletes nothing new and marks it.
 */
export async function runRetention(o: RetentionOptions): Promise<RetentionResult> {
  if (o.days <= 0) return { sessions: [] };
  const now = o.clock();
  const cutoff = now - o.days * DAY_MS;
  const due = await o.db
    .selectFrom('review_queue as q')
    .innerJoin('sessions as s', 's.id', 'q.session_id')
    .select(['q.id as entryId', 'q.session_id as sessionId', 'q.round as round'])
    .where('q.state', '=', 'done')
    .where('s.status', 'in', ['verified', 'rejected'])
    .where((eb) =>
      eb(
        eb.selectFrom('review_decisions as d').select((d) => d.fn.max('d.decided_at').as('last')).whereRef('d.entry_id', '=', 'q.id'),
        '<=',
        cutoff,
      ),
    )
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('review_audit as a').select(sql.lit(1).as('one')).whereRef('a.entry_id', '=', 'q.id').where('a.action', '=', 'media_deleted'))),
    )
    .orderBy('q.id')
    .limit(BATCH)
    .execute();

  const done: string[] = [];
  for (const entry of due) {
    if (!SAFE_ID.test(entry.sessionId)) {
      o.log.error({ entryId: entry.entryId }, 'retention skipped an entry with an unsafe session id');
      continue;
    }
    await rm(join(o.recordingsDir, entry.sessionId), { recursive: true, force: true });
    await rm(join(o.identityDir, entry.sessionId), { recursive: true, force: true });
    await o.db
      .insertInto('review_audit')
      .values({
        entry_id: entry.entryId,
        session_id: entry.sessionId,
        actor_id: null,
        action: 'media_deleted',
        round: Number(entry.round) as 1 | 2,
        at: now,
        detail: JSON.stringify({ retentionDays: o.days, recording: true, identityImages: true }),
      })
      .execute();
    done.push(entry.sessionId);
  }
  if (done.length > 0) o.log.info({ sessions: done.length, days: o.days }, 'retention deleted media');
  return { sessions: done };
}

/** Runs the job now and then every `intervalMs`; returns a stop function. Does nothing when `days` is 0. */
export function startRetention(o: RetentionOptions, intervalMs = RETENTION_INTERVAL_MS): () => Promise<void> {
  if (o.days <= 0) return async () => undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = runRetention(o).catch((error: unknown) => o.log.error({ err: error }, 'retention run failed'));
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
