import type { Generated, Kysely, Transaction } from 'kysely';
import type { StaffAuditAction } from '../../../shared/api/grading';
import type { Database } from '../db/schema';

/** Instants are epoch milliseconds, as everywhere in the server schema. */

/** One marker's mark for one short-answer response (attempt × question). */
export interface GradesTable {
  session_id: string;
  question_id: string;
  marker_id: string;
  /** Whole or half points from 0 to the question's points. */
  points: number;
  /** Up to 2,000 characters, '' for none. */
  comment: string;
  /** 1 when recorded as the agreed mark of a disputed response. */
  agreed: number;
  marked_at: number;
}

export interface ResultReleasesTable {
  exam_id: string;
  released_at: number;
  /** The administrator's user id. */
  released_by: string;
}

export interface StaffAuditTable {
  id: Generated<number>;
  at: number;
  actor_id: string;
  action: StaffAuditAction;
  exam_id: string;
  /** The attempt a grade is for (kept for accountability, never shown on the blind grading screen). */
  session_id: string | null;
  question_id: string | null;
  response_id: string | null;
  points: number | null;
  /** Rows exported, or verified attempts released. */
  count: number | null;
}

export interface GradingTables {
  grades: GradesTable;
  result_releases: ResultReleasesTable;
  staff_audit: StaffAuditTable;
}

export type GradingDatabase = Database & GradingTables;
export type GradingDb = Kysely<GradingDatabase> | Transaction<GradingDatabase>;
