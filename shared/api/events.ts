import { z } from 'zod';

/**
 * Session events are the flags: what capture (faces, voice, camera), lockdown
 * and the network saw during the exam, each with start, end, severity, confidence, a small evidence
 * thumbnail and a plain-language `reason`, so the proctor sees what was seen. Evidence for a human,
 * never a verdict. The client sends them idempotently by `id` (a random UUID it makes; version-8 UUIDs
 * are the server's own, for the events it raises); sending the same id again with an end closes an interval. The server turns them into a risk score (riskScore.ts).
 */

export const SessionEventKind = z.enum([
  // Capture
  'absent',
  'multiple_faces',
  'different_person',
  'looking_away',
  'speech',
  'camera_blocked',
  'camera_lost',
  'recording_gap',
  // Lockdown
  'focus_lost',
  'fullscreen_exited',
  'display_added',
  'display_removed',
  'suspend',
  'blocked_process',
  'virtual_machine',
  'shortcut_blocked',
  'quit_requested',
  'translator_navigation_blocked',
  /** The app crashed, hung or released the lockdown on an error, or the learner chose to leave the exam. */
  'app_incident',
  'offline',
  'web_client',
  /** The identity check ended unverified (attempts used up or the learner went on). */
  'identity_unverified',
  /** Another account presented the same document (keyed hash of its number). */
  'duplicate_account',
  /** The server's own reading of the ID or of the faces disagreed with what the app reported. */
  'identity_disagreement',
  /** The session was started or a section opened by a client whose attestation failed later checks. */
  'attestation_failed',
  /** A proctor ended the attempt during the exam; the reason is the proctor's. */
  'proctor_ended',
]);
export type SessionEventKind = z.infer<typeof SessionEventKind>;

/** An evidence thumbnail is small: 24 KB of JPEG. */
export const MAX_THUMBNAIL_BASE64 = Math.ceil((24 * 1024 * 4) / 3);

export const Severity = z.enum(['info', 'low', 'medium', 'high']);
export type Severity = z.infer<typeof Severity>;

export const SessionEvent = z.object({
  id: z.string().uuid(),
  kind: SessionEventKind,
  severity: Severity,
  startedAt: z.string().datetime(),
  /** Null while it lasts (focus still lost) or for instants. */
  endedAt: z.string().datetime().nullable(),
  reason: z.string().min(1).max(500),
  /** How sure the detector was, 0..1; null for what is simply observed (a display added). */
  confidence: z.number().min(0).max(1).nullable().default(null),
  /** A small evidence JPEG (base64, e.g. 160×120), for capture flags; null otherwise. */
  thumbnail: z
    .string()
    .max(MAX_THUMBNAIL_BASE64)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64')
    .nullable()
    .default(null),
  /** Evidence: process names, display labels, VM strings, figures. */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])).default({}),
});
export type SessionEvent = z.infer<typeof SessionEvent>;
export type SessionEventInput = z.input<typeof SessionEvent>;

/**
 * The server reads the batch loosely and each entry strictly (a `SessionEvent`), so one bad entry is
 * refused alone (`rejected`) and never fails the others. The input type is what a client sends.
 */
export const PostEventsRequest = z.object({ events: z.array(z.unknown()).min(1).max(200) }) as z.ZodType<
  { events: unknown[] },
  { events: SessionEventInput[] }
>;
export type PostEventsRequest = z.input<typeof PostEventsRequest>;

/**
 * Why one entry of a batch was refused; final for that entry (the client drops it, never resends it).
 * - `invalid_entry`: not a valid event (a field missing or malformed, a thumbnail that is not a small JPEG);
 * - `invalid_text`: a string holds a NUL or a lone UTF-16 surrogate;
 * - `server_event_id`: the id is in the server's own id space (version-8 UUIDs, derived by the server);
 * - `server_only_kind`: a kind only the server raises;
 * - `id_taken`: another attempt already uses this id;
 * - `ends_before_start`: `endedAt` is before `startedAt` (or before the start already stored under the id);
 * - `outside_attempt`: it began before the attempt was created or after it ended (each with a grace for clock skew).
 */
export const EventRejectionCode = z.enum([
  'invalid_entry',
  'invalid_text',
  'server_event_id',
  'server_only_kind',
  'id_taken',
  'ends_before_start',
  'outside_attempt',
]);
export type EventRejectionCode = z.infer<typeof EventRejectionCode>;

export const RejectedEvent = z.object({
  /** Position in the request's `events`. */
  index: z.number().int().nonnegative(),
  /** The entry's id when it has a string one, else null. */
  id: z.string().nullable(),
  code: EventRejectionCode,
  message: z.string(),
});
export type RejectedEvent = z.infer<typeof RejectedEvent>;

export const PostEventsResponse = z.object({
  stored: z.number().int(),
  duplicate: z.number().int(),
  rejected: z.array(RejectedEvent),
});
export type PostEventsResponse = z.infer<typeof PostEventsResponse>;
export const EventListResponse = z.object({ events: z.array(SessionEvent) });
