import { z } from 'zod';

/**
 * Proctor actions on a live attempt: a message the learner must acknowledge, pause and resume (the
 * section's time stops on the server and the paused time is credited to its deadline), and ending
 * the attempt with a reason. Each is stored on the attempt and written to the staff audit.
 */

export const MAX_LIVE_TEXT = 500;

/** Visible text: trimmed, at least one character, at most 500. */
const Text = z.string().trim().min(1).max(MAX_LIVE_TEXT);

export const SendLiveMessageRequest = z.object({ text: Text }).strict();
export type SendLiveMessageRequest = z.infer<typeof SendLiveMessageRequest>;

export const PauseSessionRequest = z.object({ reason: z.string().trim().max(MAX_LIVE_TEXT).optional() }).strict();
export type PauseSessionRequest = z.infer<typeof PauseSessionRequest>;

export const EndSessionRequest = z.object({ reason: Text }).strict();
export type EndSessionRequest = z.infer<typeof EndSessionRequest>;

/** A proctor's message to the learner. */
export const LiveMessage = z.object({
  id: z.string(),
  text: z.string(),
  sentAt: z.string().datetime(),
  /** When the learner pressed "I have read this", or null. */
  readAt: z.string().datetime().nullable(),
});
export type LiveMessage = z.infer<typeof LiveMessage>;

/** The live-control state of an attempt, as its learner and the proctor's tile see it. */
export const SessionControl = z.object({
  /** When the proctor paused the attempt (ISO), or null when it runs. */
  pausedSince: z.string().datetime().nullable(),
  /** The learner's unread messages, oldest first. */
  unreadMessages: z.array(LiveMessage),
  /** The proctor's reason when they ended the attempt, or null. */
  endedReason: z.string().nullable(),
});
export type SessionControl = z.infer<typeof SessionControl>;

/** What each staff action answers: the attempt's control state after it. */
export const SessionControlReply = SessionControl.extend({
  status: z.string(),
  /** The last message sent (send: the new one), or null. */
  lastMessage: LiveMessage.nullable(),
  /** Resume: milliseconds added to the open section's deadline (0 when no section was open). */
  creditedMs: z.number().int().nonnegative().nullable(),
});
export type SessionControlReply = z.infer<typeof SessionControlReply>;
