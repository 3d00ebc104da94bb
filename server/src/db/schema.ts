import type { Generated } from 'kysely';

/**
 * Table types. Instants are epoch milliseconds (bigint in PostgreSQL, integer in SQLite; the pg pool
 * parses int8 as a JS number), so both dialects compare and sort them the same way.
 */
export interface UsersTable {
  id: string;
  email: string;
  full_name: string;
  role: 'learner' | 'proctor' | 'admin';
  password_hash: string;
  created_at: number;
}

export interface RefreshTokensTable {
  /** sha256 of the opaque token: a leaked table does not hand out sessions. */
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  /** Set when the token is rotated or signed out: refresh tokens are single-use. */
  used_at: number | null;
}

export interface ExamsTable {
  id: string;
  /** The validated ExamDefinition as JSON text (it carries the answer keys: never sent to learners). */
  definition: string;
  updated_at: number;
  /** 1 while the exam is in the seed set the server started with; 0 hides it from learners' lists. */
  listed: Generated<number>;
}

export interface AccommodationsTable {
  user_id: string;
  exam_id: string;
  time_multiplier: number;
  note: string | null;
  updated_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  exam_id: string;
  /** 1, 2, 3 … per learner and exam: orders practice re-takes even within one millisecond. */
  attempt_no: number;
  status: string;
  client: 'desktop' | 'web';
  created_at: number;
  started_at: number | null;
  submitted_at: number | null;
  receipt_code: string | null;
  score_points: number | null;
  score_max_points: number | null;
  score_percent: number | null;
  score_pending_manual_points: number | null;
}

/** One row per section the learner has opened; a section without a row is `not_opened`. */
export interface SessionSectionsTable {
  session_id: string;
  section_id: string;
  state: 'open' | 'submitted' | 'expired';
  opened_at: number;
  deadline: number;
  closed_at: number | null;
  /** The accommodation in force when the section was opened. */
  time_multiplier: number;
}

export interface SessionEventsTable {
  id: Generated<number>;
  session_id: string;
  at: number;
  type: string;
  from_status: string | null;
  to_status: string | null;
  /** Small JSON object with ids and codes; never answer content. */
  detail: string | null;
}

export interface AnswersTable {
  session_id: string;
  sequence: number;
  section_id: string;
  question_id: string;
  /** AnswerValue as JSON text. */
  value: string;
  client_saved_at: number;
  received_at: number;
}

/** One row per session with a recording: the chain head everything received so far ends in. */
export interface RecordingsTable {
  session_id: string;
  /** Compared and swapped in one UPDATE, so two segments can never both extend the same head. */
  chain_head: string;
  segments: number;
  chunks: number;
  bytes: number;
  updated_at: number;
}

/** `recording` while segments arrive, `pending` once ended (remux queued), then `done` or `failed`. */
export type RemuxStatus = 'recording' | 'pending' | 'done' | 'failed';

export interface RecordingTakesTable {
  session_id: string;
  take_index: number;
  /** Client instants (epoch ms) from the first and last segment. */
  started_at: number;
  ended_at: number;
  end_reason: string | null;
  segments: number;
  chunks: number;
  /** Length of the take file on disk that the rows vouch for; anything beyond it is an unfinished append. */
  bytes: number;
  remux_status: RemuxStatus;
  duration_ms: number | null;
}

export interface RecordingSegmentsTable {
  session_id: string;
  take_index: number;
  segment_index: number;
  first_chunk: number;
  chunk_count: number;
  bytes: number;
  chain_start: string;
  chain_end: string;
  started_at: number;
  ended_at: number;
  received_at: number;
}

export interface Database {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  exams: ExamsTable;
  accommodations: AccommodationsTable;
  sessions: SessionsTable;
  session_sections: SessionSectionsTable;
  session_events: SessionEventsTable;
  answers: AnswersTable;
  recordings: RecordingsTable;
  recording_takes: RecordingTakesTable;
  recording_segments: RecordingSegmentsTable;
}

