import { z } from 'zod';
import { LiveMessage } from './liveControl';

/**
 * Live proctoring signalling: one WebSocket per signed-in page at `LIVE_SOCKET_PATH`, carrying
 * JSON requests (`{ id, method, data }`) answered by `{ id, ok, data | error }`, and server pushes
 * (`{ notification, data }`). The first request must be `hello` with the page's access token; every
 * later request is checked against the role that token names and, for learners, against the one
 * session they joined. Media goes through the server's mediasoup SFU; the socket only negotiates it.
 *
 * mediasoup's own objects (RTP capabilities and parameters, ICE and DTLS parameters) pass through
 * as opaque JSON: the server hands them to mediasoup, which validates them, and the socket caps
 * every frame at `MAX_LIVE_FRAME_BYTES`.
 */

export const LIVE_SOCKET_PATH = '/api/live/socket';

/** Largest frame either side sends; larger frames close the socket (1009). */
export const MAX_LIVE_FRAME_BYTES = 64 * 1024;

/** A socket that has not said `hello` within this time is closed (4401). */
export const LIVE_HELLO_TIMEOUT_MS = 5_000;

/** WebSocket close codes the server uses, so a client can tell a refusal from a network drop. */
export const LiveCloseCode = {
  /** No valid `hello` in time, or the token expired: sign in again, do not retry with it. */
  unauthorised: 4401,
  /** The session ended or the learner's attempt is no longer in progress: do not reconnect. */
  sessionOver: 4409,
  /** The server is draining or live is switched off: reconnect later with backoff. */
  goingAway: 1001,
} as const;

/** Opaque mediasoup JSON (RtpCapabilities, RtpParameters, DtlsParameters …). */
const Opaque = z.record(z.string(), z.unknown());

const Id = z.string().min(1).max(64);

export const LiveSource = z.enum(['camera', 'microphone', 'screen']);
export type LiveSource = z.infer<typeof LiveSource>;

/** Spatial layers the learner's camera is sent in (simulcast): 0 for grids, 1 for a focused tile. */
export const LIVE_CAMERA_LAYERS = [
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 100_000, maxFramerate: 10 },
  { rid: 'h', scaleResolutionDownBy: 1, maxBitrate: 500_000, maxFramerate: 15 },
] as const;

/** The desktop app's screen stream: about one frame a second, small. */
export const LIVE_SCREEN_FPS = 1;

/** Requests, by method: what the client sends in `data` and what the server answers. */
export const liveMethods = {
  /** Must come first. Answers who the token belongs to and the SFU's RTP capabilities. */
  hello: {
    request: z.object({ accessToken: z.string().min(1).max(4096) }),
    reply: z.object({ role: z.enum(['learner', 'proctor', 'admin']), routerRtpCapabilities: Opaque }),
  },
  /** Learner: attach this socket to their own session, which must be started and not ended. */
  join: {
    request: z.object({ sessionId: Id }),
    reply: z.object({}),
  },
  /** Learners may only create `send` transports (after `join`); staff only `recv`. */
  createTransport: {
    request: z.object({ direction: z.enum(['send', 'recv']) }),
    reply: z.object({ id: Id, iceParameters: Opaque, iceCandidates: z.array(Opaque), dtlsParameters: Opaque }),
  },
  connectTransport: {
    request: z.object({ transportId: Id, dtlsParameters: Opaque }),
    reply: z.object({}),
  },
  /** Learner only, into the session they joined; one producer per source. */
  produce: {
    request: z.object({ transportId: Id, kind: z.enum(['audio', 'video']), source: LiveSource, rtpParameters: Opaque }),
    reply: z.object({ producerId: Id }),
  },
  /** Learner: raise or lower their hand. */
  raiseHand: {
    request: z.object({ raised: z.boolean() }),
    reply: z.object({}),
  },
  /** Staff: receive `tiles` pushes (now and whenever they change) until the socket closes. */
  watch: {
    request: z.object({}),
    reply: z.object({}),
  },
  /** Staff only: a paused consumer of one session's source; resume it once the client has set it up. */
  consume: {
    request: z.object({ transportId: Id, sessionId: Id, source: LiveSource, rtpCapabilities: Opaque }),
    reply: z.object({ consumerId: Id, producerId: Id, kind: z.enum(['audio', 'video']), rtpParameters: Opaque }),
  },
  resumeConsumer: {
    request: z.object({ consumerId: Id }),
    reply: z.object({}),
  },
  /** Staff: which simulcast layer a video consumer receives (0: grid, 1: focused). */
  setLayer: {
    request: z.object({ consumerId: Id, spatialLayer: z.number().int().min(0).max(2) }),
    reply: z.object({}),
  },
  closeConsumer: {
    request: z.object({ consumerId: Id }),
    reply: z.object({}),
  },
} as const;

export type LiveMethod = keyof typeof liveMethods;
export type LiveRequestOf<M extends LiveMethod> = z.infer<(typeof liveMethods)[M]['request']>;
export type LiveReplyOf<M extends LiveMethod> = z.infer<(typeof liveMethods)[M]['reply']>;

export const LiveRequestFrame = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().max(32),
  data: z.unknown(),
});
export type LiveRequestFrame = z.infer<typeof LiveRequestFrame>;

export const LiveErrorCode = z.enum([
  'bad_request',
  'unauthorised',
  'forbidden',
  'not_found',
  'session_not_live',
  'live_unavailable',
  'internal',
]);
export type LiveErrorCode = z.infer<typeof LiveErrorCode>;

export const LiveReplyFrame = z.union([
  z.object({ id: z.number().int().nonnegative(), ok: z.literal(true), data: z.unknown() }),
  z.object({ id: z.number().int().nonnegative(), ok: z.literal(false), error: z.object({ code: LiveErrorCode, message: z.string() }) }),
]);
export type LiveReplyFrame = z.infer<typeof LiveReplyFrame>;

/** One in-progress session as the proctor's Live grid shows it. */
export const LiveTile = z.object({
  sessionId: Id,
  learnerName: z.string(),
  examTitle: z.string(),
  /** The section running now (title), or null between sections. */
  sectionTitle: z.string().nullable(),
  /** When the running section ends on the server (ISO), or null. */
  sectionEndsAt: z.string().datetime().nullable(),
  handRaised: z.boolean(),
  /** The sources the learner is producing now. */
  sources: z.array(LiveSource),
  /** Flags stored for the session so far, newest first (at most 5). */
  recentFlags: z.array(z.object({ kind: z.string(), severity: z.string(), startedAt: z.string().datetime() })).max(5),
  /** When the proctor paused the attempt (ISO), or null while it runs. */
  pausedSince: z.string().datetime().nullable(),
  /** The last message a proctor sent the learner (with whether they have read it), or null. */
  lastMessage: LiveMessage.omit({ text: true }).nullable(),
});
export type LiveTile = z.infer<typeof LiveTile>;

/** Server pushes, by name. */
export const liveNotifications = {
  /** Staff who `watch`: every in-progress session with live media, sorted by learner name. */
  tiles: z.object({ tiles: z.array(LiveTile) }),
  /** A consumer's producer went away (the learner left, the worker restarted): drop the tile's media. */
  consumerClosed: z.object({ consumerId: Id }),
  /** The SFU restarted: transports are gone; the client sets up again (same socket). */
  restarted: z.object({}),
  /** Learner: a proctor's message; show it until the learner acknowledges it over HTTP. */
  message: LiveMessage,
  /** Learner: the proctor paused the attempt; block the exam until `resumed`. */
  paused: z.object({ since: z.string().datetime(), reason: z.string().nullable() }),
  /** Learner: the attempt runs again; read the session for the section's new deadline. */
  resumed: z.object({}),
  /** Learner: the proctor ended the attempt; the socket closes with `sessionOver` next. */
  ended: z.object({ reason: z.string() }),
} as const;
export type LiveNotification = keyof typeof liveNotifications;
export type LiveNotificationOf<N extends LiveNotification> = z.infer<(typeof liveNotifications)[N]>;

export const LiveNotificationFrame = z.object({ notification: z.string().max(32), data: z.unknown() });
export type LiveNotificationFrame = z.infer<typeof LiveNotificationFrame>;
