import { z } from 'zod';

/** Stable error codes of the HTTP API. The UI maps each to a sentence with the next step. */
export const apiErrorCodes = [
  'bad_request',
  'validation_failed',
  'payload_too_large',
  'unauthenticated',
  'token_expired',
  'invalid_credentials',
  'rate_limited',
  'forbidden',
  'not_found',
  'exam_not_open',
  'exam_closed',
  'web_client_not_allowed',
  'attempt_exists',
  'illegal_transition',
  'section_not_open',
  'section_closed',
  'section_already_opened',
  'sections_pending',
  'sequence_conflict',
  'question_not_in_section',
  'answer_invalid',
  'upload_token_invalid',
  'upload_metadata_invalid',
  'segment_out_of_order',
  'segment_chain_mismatch',
  'segment_too_large',
  'recording_not_found',
  /** startSession before consent, a passing system check, the identity check or the translator choice; `details` lists them. */
  'start_requirements_missing',
  /** A fourth ID attempt, or an attempt after the check ended. */
  'identity_attempts_exhausted',
  'identity_not_required',
  /** The app is older than the server's minimum version. */
  'app_version_too_old',
  'translator_not_allowed',
  /** The proctor's review lease ran out (or another proctor holds the entry). */
  'review_lease_lost',
  /** A different decision for an entry this proctor already decided. */
  'review_already_decided',
  /** The second review of a suspicious or violating attempt must be by another proctor. */
  'review_second_reviewer_required',
  /** A final (or any exam whose policy refuses browsers) needs the attested Invigil desktop app. */
  'attestation_required',
  /** The attestation header, the install key or the signed nonce did not check out. */
  'attestation_invalid',
  /** Events or uploads after the attempt's window closed (uploads: after the review decision). */
  'session_closed',
  /** The first segment of a take does not begin with a WebM (EBML) header. */
  'segment_not_webm',
  /** The attempt's recording would exceed the bytes its exam allows. */
  'recording_quota_exceeded',
  /** Too many unfinished uploads for one attempt at once. */
  'too_many_uploads',
  /** The server's disk is full; nothing was stored. */
  'storage_full',
  /** The server is at capacity for this work (e.g. reading ID images); retry shortly. */
  'server_busy',
  /** A grade for a question staff do not grade (not a short answer). */
  'question_not_gradable',
  /** Releasing results while verified attempts still have short answers to grade. */
  'results_not_ready',
  /** The proctor paused the attempt: answers, sections and submission wait until they resume it. */
  'session_paused',
  /** Resume of an attempt that is not paused. */
  'session_not_paused',
  'internal',
] as const;

export const ApiErrorCode = z.enum(apiErrorCodes);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

/** Every 4xx/5xx body. `details` carries field paths for validation failures, never internals. */
export const ApiErrorBody = z.object({
  error: z.object({
    code: ApiErrorCode,
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** Every response carries the server's clock (epoch ms) so clients can estimate their offset. */
export const SERVER_TIME_HEADER = 'x-server-time';
