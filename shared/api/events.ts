import { z } from 'zod';

/**
 * Session events: what lockdown, capture and the network saw during the exam (DESIGN §4 "Flags").
 * The client sends them idempotently by `id` (a UUID it makes); issue 6 turns them into flags with a
 * risk score. Each carries a plain-language `reason` so the proctor sees what was seen.
 */

export const SessionEventKind = z.enum([
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
]);
export type SessionEventKind = z.infer<typeof SessionEventKind>;

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
  /** Evidence: process names, display labels, VM strings. */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])).default({}),
});
export type SessionEvent = z.infer<typeof SessionEvent>;
export type SessionEventInput = z.input<typeof SessionEvent>;

export const PostEventsRequest = z.object({ events: z.array(SessionEvent).min(1).max(200) });
export const PostEventsResponse = z.object({ stored: z.number().int(), duplicate: z.number().int() });
export const EventListResponse = z.object({ events: z.array(SessionEvent) });
