import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { ReviewQueue } from './reviewQueue';
import type { ReviewDatabase } from './schema';

/** How often finished attempts not yet in the queue are looked for (a submit feeds it at once). */
export const FEED_INTERVAL_MS = 30_000;
const BATCH = 500;

/** A session's risk score (flags → score); 0 until the session has flags. */
export type RiskOf = (sessionId: string) => Promise<number>;

/**
 * Puts every finished attempt (submitted, or timed out) into the review queue once. Called after a
 * submit and on a timer, so attempts that finished without a submit (time ran out while the app was
 * closed) reach the queue too. Idempotent: the queue keeps one entry per session. Then rescores the
 * queued entries that received evidence after they last changed (`refreshLateRisk`).
 */
export async function feedReviewQueue(db: Kysely<ReviewDatabase>, review: ReviewQueue, riskOf: RiskOf): Promise<number> {
  const added = await enqueueFinished(db, review, riskOf);
  await refreshLateRisk(db, riskOf);
  return added;
}

async function enqueueFinished(db: Kysely<ReviewDatabase>, review: ReviewQueue, riskOf: RiskOf): Promise<number> {
  let added = 0;
  for (;;) {
    const missing = await db
      .selectFrom('sessions')
      .leftJoin('review_queue', 'review_queue.session_id', 'sessions.id')
      .select('sessions.id')
      .where('sessions.status', 'in', ['submitted', 'timed_out'])
      .where('review_queue.id', 'is', null)
      .limit(BATCH)
      .execute();
    if (missing.length === 0) return added;
    const items = await Promise.all(missing.map(async ({ id }) => ({ sessionId: id, riskScore: await riskOf(id) })));
    const now = await review.enqueueMany(items);
    added += now;
    if (now === 0 || missing.length < BATCH) return added;
  }
}

/**
 * Events flushed after an outage and segments uploaded late arrive after the submit, so after the entry
 * was scored: a queued entry (not one under review) whose session received events or recording segments
 * after the entry last changed is scored again, and stamped with the newest arrival so it is not rescored
 * until more arrives. The update is conditional on the entry being unchanged, so a claim in between wins.
 * Returns how many entries were rescored.
 */
export async function refreshLateRisk(db: Kysely<ReviewDatabase>, riskOf: RiskOf): Promise<number> {
  const stale = await db
    .selectFrom('review_queue as q')
    .select(['q.id', 'q.session_id', 'q.updated_at'])
    .select((eb) => [
      eb.selectFrom('monitor_events as e').select((e) => e.fn.max('e.received_at').as('at')).whereRef('e.session_id', '=', 'q.session_id').as('events_at'),
      eb
        .selectFrom('recording_segments as s')
        .select((s) => s.fn.max('s.received_at').as('at'))
        .whereRef('s.session_id', '=', 'q.session_id')
        .as('segments_at'),
    ])
    .where('q.state', '=', 'queued')
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('monitor_events as e').select('e.id').whereRef('e.session_id', '=', 'q.session_id').whereRef('e.received_at', '>', 'q.updated_at')),
        eb.exists(
          eb.selectFrom('recording_segments as s').select('s.session_id').whereRef('s.session_id', '=', 'q.session_id').whereRef('s.received_at', '>', 'q.updated_at'),
        ),
      ]),
    )
    .limit(BATCH)
    .execute();
  let refreshed = 0;
  for (const entry of stale) {
    const latest = Math.max(entry.updated_at, Number(entry.events_at ?? 0), Number(entry.segments_at ?? 0));
    const result = await db
      .updateTable('review_queue')
      .set({ risk_score: await riskOf(entry.session_id), updated_at: latest })
      .where('id', '=', entry.id)
      .where('state', '=', 'queued')
      .where('updated_at', '=', entry.updated_at)
      .executeTakeFirst();
    refreshed += Number(result.numUpdatedRows);
  }
  return refreshed;
}

/** Feeds on a timer until the server closes; a failed round is logged and tried again next time. */
export function startReviewFeeder(feed: () => Promise<number>, log: FastifyBaseLogger): () => void {
  const round = () =>
    feed()
      .then((added) => added > 0 && log.info({ added }, 'review queue fed'))
      .catch((error: unknown) => log.error({ err: error }, 'review queue feed failed'));
  void round();
  const timer = setInterval(() => void round(), FEED_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
