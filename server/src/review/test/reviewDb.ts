/** Test support: a fresh database of either dialect (all migrations, review's included), and sessions to review. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createPostgresDatabase, type DialectName, TestClock } from '../../../test/helper';
import { openDatabase } from '../../db/connect';
import { migrateToLatest } from '../../db/migrations';
import { ReviewQueue } from '../reviewQueue';
import type { ReviewDatabase } from '../schema';

export interface ReviewTestDb {
  db: Kysely<ReviewDatabase>;
  clock: TestClock;
  queue: ReviewQueue;
  /** Inserts `count` sessions of `exam` in `status`; returns their ids in order. */
  addSessions(count: number, options?: { status?: string; examId?: string }): Promise<string[]>;
  dispose(): Promise<void>;
}

let counter = 0;
/** Predictable ids: every call returns different bytes. */
const countingRandom = (size: number): Uint8Array => {
  counter += 1;
  const bytes = new Uint8Array(size);
  new DataView(bytes.buffer).setUint32(0, counter);
  return bytes;
};

export async function reviewTestDb(dialect: DialectName): Promise<ReviewTestDb> {
  const dataDir = mkdtempSync(join(tmpdir(), 'invigil-review-'));
  const pg = dialect === 'postgres' ? await createPostgresDatabase() : null;
  const { db } = openDatabase({ dataDir, databaseUrl: pg?.url });
  await migrateToLatest(db as Kysely<unknown>, dialect);
  const clock = new TestClock();
  await db
    .insertInto('users')
    .values({ id: 'learner-1', email: 'l@invigil.test', full_name: 'L', role: 'learner', password_hash: 'x', created_at: clock.now })
    .execute();
  for (const exam of ['exam-a', 'exam-b']) {
    await db.insertInto('exams').values({ id: exam, definition: '{}', updated_at: clock.now }).execute();
  }
  let attempt = 0;
  return {
    db: db as unknown as Kysely<ReviewDatabase>,
    clock,
    queue: new ReviewQueue({ db: db as unknown as Kysely<ReviewDatabase>, dialect, clock: clock.read, random: countingRandom }),
    async addSessions(count, options = {}) {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) {
        attempt += 1;
        const id = `s${String(attempt).padStart(5, '0')}`;
        ids.push(id);
        await db
          .insertInto('sessions')
          .values({
            id,
            user_id: 'learner-1',
            exam_id: options.examId ?? 'exam-a',
            attempt_no: attempt,
            status: options.status ?? 'submitted',
            client: 'desktop',
            created_at: clock.now,
            started_at: clock.now,
            submitted_at: clock.now,
            receipt_code: `R${attempt}`,
            score_points: null,
            score_max_points: null,
            score_percent: null,
            score_pending_manual_points: null,
          })
          .execute();
      }
      return ids;
    },
    async dispose() {
      await db.destroy();
      await pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
