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
  /** The sign-in it belongs to: rotation stays inside it, and revoking it ends every token of it. */
  family_id: string;
  /** Set when the token is rotated: refresh tokens are single-use, and a spent one used again revokes its family. */
  used_at: number | null;
}

/** One sign-in: every refresh token it rotates through and every access token issued from it. */
export interface AuthFamiliesTable {
  id: string;
  user_id: string;
  created_at: number;
  /** Set by sign-out or by a reused refresh token; access tokens of a revoked family are refused. */
  revoked_at: number | null;
  revoke_reason: 'sign_out' | 'refresh_reuse' | null;
}

/** Who viewed a recording take, an ID image or a learner's answers (never deleted with the media). */
export interface AccessAuditTable {
  id: Generated<number>;
  at: number;
  user_id: string;
  role: 'learner' | 'proctor' | 'admin';
  session_id: string;
  kind: 'recording_take' | 'identity_image' | 'answers';
  /** The take index or image id; null for answers. */
  item_id: string | null;
  /** How the viewer was let in: a Bearer access token or a `?playback=` media token. */
  via: 'bearer' | 'playback';
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
  /** MonitoringProfile (shared/domain/accommodation.ts): how the exam's capture thresholds are relaxed. */
  monitoring_profile: Generated<'standard' | 'breaks' | 'assistive_device' | 'relaxed'>;
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

/** A recording upload created and not yet finished, refused or expired (recording/uploadsMigration.ts). */
export interface RecordingUploadsTable {
  /** The tus upload id. */
  upload_id: string;
  session_id: string;
  take_index: number;
  segment_index: number;
  /** The Upload-Length it declared: counted against the attempt's quota until it finishes. */
  length: number;
  /** Wall-clock epoch ms, as the tus store stamps the upload: it expires with it. */
  created_at: number;
}

/** The pre-start steps of a session on exam day; absent until the first step. */
export interface StartChecksTable {
  session_id: string;
  /** The consent text version the learner accepted; a bumped version asks again. */
  consent_version: string | null;
  consent_at: number | null;
  translator: string | null;
  translator_at: number | null;
  identity_status: Generated<'not_started' | 'in_progress' | 'passed' | 'manual_review'>;
  manual_review_reason: 'attempts_exhausted' | 'learner_choice' | null;
  identity_updated_at: number | null;
}

export interface SystemChecksTable {
  id: Generated<number>;
  session_id: string;
  /** The SystemCheckReport as JSON text, as the learner's app sent it. */
  report: string;
  /** 1 unless an item failed (`reportBlocks`). */
  passed: number;
  created_at: number;
}

export interface IdentityImagesTable {
  id: string;
  session_id: string;
  kind: 'face' | 'id';
  /** The ID attempt it belongs to; null for the face photo. */
  attempt: number | null;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  /** FaceBox[] as JSON (face photos), null for ID photos. */
  faces: string | null;
  taken_at: number;
  created_at: number;
}

export interface IdentityAttemptsTable {
  session_id: string;
  attempt: number;
  image_id: string;
  /** IdFields as JSON: what the app read (kept for the proctor, never trusted for the verdict). */
  fields: string;
  /** The server's verdict: the registered name against the server's own reading (`server_fields`). */
  name_verdict: 'match' | 'partial' | 'mismatch' | 'unreadable';
  name_reason: string;
  /** NameDifference[] as JSON. */
  name_differences: string;
  read_name: string | null;
  /** The distance the app reported (a hint, never the verdict). */
  face_distance: number | null;
  /** The server's verdict, from `server_face_distance`. */
  face_verdict: 'match' | 'different' | 'unknown';
  /** FaceBox of the face on the ID as the app found it, as JSON, or null. */
  id_face: string | null;
  capture: 'auto' | 'button';
  ocr_ms: number;
  taken_at: number;
  /** The identity status right after this attempt. */
  status_after: 'not_started' | 'in_progress' | 'passed' | 'manual_review';
  /** HMAC-SHA256 of the normalised document number the server read (never the number itself); null when it read none. */
  document_hash: string | null;
  created_at: number;
  /** IdFields as JSON: the server's own reading of the stored image; null on attempts before 0010. */
  server_fields: string | null;
  /** Descriptor distance the server computed between the face photo and the face on the ID; null without both. */
  server_face_distance: number | null;
  /** FaceBox of the face the server compared on the ID, as JSON, or null. */
  server_id_face: string | null;
  server_ocr_ms: number | null;
  server_face_ms: number | null;
  /** The verdicts the app's own reading and distance would have given (hints); null on attempts before 0010. */
  hint_name_verdict: 'match' | 'partial' | 'mismatch' | 'unreadable' | null;
  hint_face_verdict: 'match' | 'different' | 'unknown' | null;
}

/** SessionEvent rows: sent by the learner's app (`client`) or raised by the server (`server`). */
export interface MonitorEventsTable {
  id: string;
  session_id: string;
  kind: string;
  severity: 'info' | 'low' | 'medium' | 'high';
  started_at: number;
  ended_at: number | null;
  reason: string;
  /** The evidence object as JSON. */
  detail: string;
  source: 'client' | 'server';
  received_at: number;
  /** The detector's confidence, 0..1; null for what is simply observed. */
  confidence: number | null;
  /** The evidence JPEG's bytes (at most 24 KB); null when the flag has none. */
  thumbnail: Buffer | null;
}

/** An install of the desktop app a learner enrolled: its Ed25519 public key signs challenges. */
export interface ClientInstallsTable {
  /** First 32 hex digits of sha256(public key DER). */
  id: string;
  user_id: string;
  /** base64 DER (SubjectPublicKeyInfo). */
  public_key: string;
  key_protection: 'os' | 'none';
  created_at: number;
  last_used_at: number;
}

/** A one-time nonce an install signs before starting an attempt or opening a section. */
export interface AttestationChallengesTable {
  nonce: string;
  session_id: string;
  user_id: string;
  purpose: 'start_session' | 'open_section';
  section_id: string | null;
  expires_at: number;
  used_at: number | null;
}

/** A proctor's message to the learner during a live exam (live/control/). */
export interface LiveMessagesTable {
  id: string;
  session_id: string;
  text: string;
  sent_by: string;
  sent_at: number;
  /** When the learner acknowledged it, or null. */
  read_at: number | null;
}

/** A proctor's pause of an attempt; `ended_at` null while it lasts (at most one such row per attempt). */
export interface SessionPausesTable {
  id: string;
  session_id: string;
  started_at: number;
  ended_at: number | null;
  reason: string | null;
  paused_by: string;
  resumed_by: string | null;
  /** The open section whose deadline moved at resume, or null. */
  section_id: string | null;
  /** Milliseconds added to that section's deadline at resume (0 when none was open). */
  credited_ms: number | null;
}

export interface Database {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  auth_families: AuthFamiliesTable;
  access_audit: AccessAuditTable;
  exams: ExamsTable;
  accommodations: AccommodationsTable;
  sessions: SessionsTable;
  session_sections: SessionSectionsTable;
  session_events: SessionEventsTable;
  answers: AnswersTable;
  recordings: RecordingsTable;
  recording_takes: RecordingTakesTable;
  recording_segments: RecordingSegmentsTable;
  recording_uploads: RecordingUploadsTable;
  start_checks: StartChecksTable;
  system_checks: SystemChecksTable;
  identity_images: IdentityImagesTable;
  identity_attempts: IdentityAttemptsTable;
  monitor_events: MonitorEventsTable;
  client_installs: ClientInstallsTable;
  attestation_challenges: AttestationChallengesTable;
  live_messages: LiveMessagesTable;
  session_pauses: SessionPausesTable;
}

