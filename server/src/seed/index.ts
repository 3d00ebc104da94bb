import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { ExamStore } from '../exams/examStore';
import type { RandomBytes } from '../random';
import { DEMO_ACCOUNTS, ensureAccounts, TEST_ACCOUNTS } from './accounts';
import { loadExamDefinitions } from './exams';

export type SeedKind = 'demo' | 'test';
export const SEED_KINDS: readonly SeedKind[] = ['demo', 'test'];

export interface SeedOptions {
  readonly db: Kysely<Database>;
  readonly exams: ExamStore;
  readonly clock: () => number;
  readonly random: RandomBytes;
  readonly seed: readonly SeedKind[];
  readonly examsDir: string;
}

/** Exams are always (re)loaded; demo accounts, and the test seed's own learner, only when asked. */
export async function runSeed(o: SeedOptions): Promise<{ exams: number; accountsCreated: number }> {
  const definitions = await loadExamDefinitions(o.examsDir, o.seed.includes('test'));
  await o.exams.upsert(definitions);
  const deps = { clock: o.clock, random: o.random };
  let accountsCreated = 0;
  if (o.seed.includes('demo')) accountsCreated += await ensureAccounts(o.db, DEMO_ACCOUNTS, deps);
  if (o.seed.includes('test')) accountsCreated += await ensureAccounts(o.db, TEST_ACCOUNTS, deps);
  return { exams: definitions.length, accountsCreated };
}
