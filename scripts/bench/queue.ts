// npm run --silent bench:queue — review queue claims: 100,000 submitted sessions enqueued with
// random risk scores, then 8 concurrent claimers call the product's ReviewQueue.claimNext until 20,000
// claims are done, on SQLite (the embedded default: one better-sqlite3 connection, WAL, BEGIN IMMEDIATE)
// and on PostgreSQL (a throwaway Debian cluster, fsync on, pool of 10, FOR UPDATE SKIP LOCKED).
// Goal: ≥ 1,500 claims/s on each with p99 ≤ 20 ms. Every claim must be a different entry (checked).
// Env: BENCH_SESSIONS (100000), BENCH_CLAIMS (20000), BENCH_CLAIMERS (8), BENCH_PG_FSYNC (on|off).
// `--smoke`: 2,000 sessions, 1,000 claims, 2 claimers; without PostgreSQL installed it runs SQLite
// only and says so (`pgMissing`) instead of failing (scripts/bench/smoke.ts).
// Last line JSON: {"sqliteClaimsPerSec","pgClaimsPerSec","sqliteP99Ms","pgP99Ms"}.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import { type Dialect, openDatabase } from '../../server/src/db/connect';
import { migrateToLatest } from '../../server/src/db/migrations';
import { ReviewQueue } from '../../server/src/review/reviewQueue';
import type { ReviewDatabase } from '../../server/src/review/schema';
import { tempDir } from '../processes';
import { findPostgresBin, startThrowawayPostgres } from '../../server/test/throwawayPostgres';
import { sizeFromEnv, smoke, smokeMark } from './smoke';

const SESSIONS = Math.round(sizeFromEnv('BENCH_SESSIONS', 100_000, 2_000));
const CLAIMS = Math.round(sizeFromEnv('BENCH_CLAIMS', 20_000, 1_000));
const CLAIMERS = Math.round(sizeFromEnv('BENCH_CLAIMERS', 8, 2));
const PG_MISSING = 'PostgreSQL is not installed (apt-get install postgresql)';
const PG_FSYNC = (process.env.BENCH_PG_FSYNC ?? 'on') !== 'off';
const BATCH = 1_000;
const LEASE_MS = 10 * 60_000;
const log = (line: string) => process.stderr.write(`[bench:queue] ${line}\n`);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

async function fill(db: Kysely<ReviewDatabase>, queue: ReviewQueue): Promise<void> {
  const now = Date.now();
  await db.insertInto('users').values({ id: 'bench-learner', email: 'bench@invigil.test', full_name: 'Bench', role: 'learner', password_hash: 'x', created_at: now }).execute();
  await db.insertInto('exams').values({ id: 'bench-exam', definition: '{}', updated_at: now }).execute();
  const started = performance.now();
  for (let from = 0; from < SESSIONS; from += BATCH) {
    const ids = Array.from({ length: Math.min(BATCH, SESSIONS - from) }, (_, i) => `bench-${from + i}`);
    await db.transaction().execute((trx) =>
      trx
        .insertInto('sessions')
        .values(
          ids.map((id, i) => ({
            id,
            user_id: 'bench-learner',
            exam_id: 'bench-exam',
            attempt_no: from + i + 1,
            status: 'submitted',
            client: 'desktop' as const,
            created_at: now,
            started_at: now,
            submitted_at: now,
            receipt_code: null,
            score_points: null,
            score_max_points: null,
            score_percent: null,
            score_pending_manual_points: null,
          })),
        )
        .execute(),
    );
    // Risk scores with ties, so the age tiebreak is exercised too.
    await queue.enqueueMany(ids.map((sessionId) => ({ sessionId, riskScore: randomBytes(1)[0]! / 4 })));
  }
  log(`enqueued ${SESSIONS} sessions in ${round((performance.now() - started) / 1000, 1)} s`);
}

async function claimAll(queue: ReviewQueue): Promise<{ perSec: number; p50: number; p99: number; max: number }> {
  const latencies: number[] = [];
  const seen = new Set<string>();
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLAIMERS }, async (_, c) => {
      while (issued < CLAIMS) {
        issued += 1;
        const t0 = performance.now();
        const claim = await queue.claimNext(`bench-proctor-${c}`, LEASE_MS);
        latencies.push(performance.now() - t0);
        if (!claim) throw new Error('the queue ran dry before the claims were done');
        if (seen.has(claim.entryId)) throw new Error(`entry ${claim.entryId} was claimed twice`);
        seen.add(claim.entryId);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSec: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1)! };
}

async function runOn(dialect: Dialect, databaseUrl: string | undefined, dataDir: string) {
  const { db } = openDatabase({ dataDir, databaseUrl });
  try {
    await migrateToLatest(db as Kysely<unknown>, dialect);
    const reviewDb = db as unknown as Kysely<ReviewDatabase>;
    const queue = new ReviewQueue({ db: reviewDb, dialect, clock: Date.now, random: (n) => randomBytes(n) });
    await fill(reviewDb, queue);
    const result = await claimAll(queue);
    log(
      `${dialect}: ${CLAIMS} claims by ${CLAIMERS} claimers: ${Math.round(result.perSec)}/s, ` +
        `p50 ${round(result.p50)} ms, p99 ${round(result.p99)} ms, max ${round(result.max)} ms`,
    );
    const claimed = await reviewDb.selectFrom('review_queue').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'claimed').executeTakeFirstOrThrow();
    if (Number(claimed.n) !== CLAIMS) throw new Error(`${claimed.n} entries are claimed, expected ${CLAIMS}`);
    return result;
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  log(`${SESSIONS} sessions, ${CLAIMS} claims, ${CLAIMERS} concurrent claimers${smoke ? ' (smoke run)' : ''}`);
  if (CLAIMS > SESSIONS) throw new Error(`BENCH_CLAIMS (${CLAIMS}) must not exceed BENCH_SESSIONS (${SESSIONS})`);
  const hasPostgres = findPostgresBin() !== null;
  if (!hasPostgres && !smoke) throw new Error(PG_MISSING);
  const sqliteDir = tempDir('bench-queue');
  let sqlite;
  try {
    sqlite = await runOn('sqlite', undefined, sqliteDir);
  } finally {
    rmSync(sqliteDir, { recursive: true, force: true });
  }
  let pg;
  if (hasPostgres) {
    const pgServer = await startThrowawayPostgres({ durable: PG_FSYNC });
    log(`PostgreSQL ${pgServer.version}, fsync ${PG_FSYNC ? 'on' : 'off'}`);
    const pgDir = tempDir('bench-queue-pg');
    try {
      pg = await runOn('postgres', pgServer.url, pgDir);
    } finally {
      pgServer.stop();
      rmSync(pgDir, { recursive: true, force: true });
    }
  } else {
    log(`${PG_MISSING}: SQLite only`);
  }
  const goal = (r: { perSec: number; p99: number }) => (r.perSec >= 1_500 && r.p99 <= 20 ? 'met' : 'NOT met');
  log(`goal (≥ 1,500 claims/s, p99 ≤ 20 ms): sqlite ${goal(sqlite)}, postgres ${pg ? goal(pg) : 'not measured'}`);
  console.log(
    JSON.stringify({
      sqliteClaimsPerSec: Math.round(sqlite.perSec),
      pgClaimsPerSec: pg ? Math.round(pg.perSec) : null,
      sqliteP99Ms: round(sqlite.p99),
      pgP99Ms: pg ? round(pg.p99) : null,
      ...(pg ? {} : { pgMissing: PG_MISSING }),
      ...smokeMark,
    }),
  );
}

await main();
