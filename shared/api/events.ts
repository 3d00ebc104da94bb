import { z } from 'zod';

/**
 * Session events are the flags of DESIGN §4 "Flags": what capture (faces, voice, camera), lockdown
 * and the network saw during the exam, each with start, end, severity, confidence, a small evidence
 * thumbnail and a plain-language `reason`, so the proctor sees what was seen. Evidence for a human,
 * never a verdict. The client sends them idempotently by `id` (a UUID it makes); sending the same id
 * again with an end closes an interval. The server turns them into a risk score (riskScore.ts).
 */

export const SessionEventKind = z.enum([
  // Capture (issue 6)
  'absent',
  'multiple_faces',
  'different_person',
  'looking_away',
  'speech',
  'camera_blocked',
  'camera_lost',
  'recording_gap',
  // Lockdown (issue 5)
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

export const PostEventsRequest = z.object({ events: z.array(SessionEvent).min(1).max(200) });
export type PostEventsRequest = z.infer<typeof PostEventsRequest>;
export const PostEventsResponse = z.object({ stored: z.number().int(), duplicate: z.number().int() });
export type PostEventsResponse = z.infer<typeof PostEventsResponse>;
export const EventListResponse = z.object({ events: z.array(SessionEvent) });
