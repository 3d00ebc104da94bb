import type { Generated, Kysely, Transaction } from 'kysely';
import type { ReviewAuditAction, ReviewDecision } from '../../../shared/api/review';
import type { Database } from '../db/schema';

/** Instants are epoch milliseconds, as everywhere in the server schema. */

/** One row per session in review: its place in the queue and who holds it. */
export interface ReviewQueueTable {
  id: string;
  session_id: string;
  exam_id: string;
  risk_score: number;
  enqueued_at: number;
  /** `queued` (claimable), `claimed` (under a lease), `done` (an outcome was reached). */
  state: 'queued' | 'claimed' | 'done';
  round: 1 | 2;
  holder_id: string | null;
  lease_expires_at: number | null;
  /** The lease a claim asked for; heartbeats extend by it. */
  lease_ms: number | null;
  claimed_at: number | null;
  /** The first reviewer, who may not take the second review. */
  excluded_reviewer_id: string | null;
  updated_at: number;
}

/** One decision per round; the (entry, round) key makes a second decision for a round impossible. */
export interface ReviewDecisionsTable {
  entry_id: string;
  round: 1 | 2;
  session_id: string;
  reviewer_id: string;
  decision: ReviewDecision;
  /** ReviewReasonCode[] as JSON text. */
  reason_codes: string;
  notes: string;
  decided_at: number;
}

export interface ReviewCommentsTable {
  id: string;
  entry_id: string;
  session_id: string;
  author_id: string;
  round: 1 | 2;
  start_second: number;
  end_second: number;
  body: string;
  created_at: number;
}

export interface ReviewAuditTable {
  id: Generated<number>;
  entry_id: string;
  session_id: string;
  /** Null for the server's own actions. For `lease_expired`, the proctor whose lease ran out. */
  actor_id: string | null;
  action: ReviewAuditAction;
  round: 1 | 2;
  at: number;
  /** Small JSON object: decision, reason codes, outcome, comment id; never note or comment text. */
  detail: string | null;
}

export interface ReviewTables {
  review_queue: ReviewQueueTable;
  review_decisions: ReviewDecisionsTable;
  review_comments: ReviewCommentsTable;
  review_audit: ReviewAuditTable;
}

export type ReviewDatabase = Database & ReviewTables;
export type ReviewDb = Kysely<ReviewDatabase> | Transaction<ReviewDatabase>;
