import { z } from 'zod';

/**
 * Recording: the learner's camera is recorded as *takes* (one continuous MediaRecorder run; a camera
 * lost and found again, or an app restart, starts a new take), each split into *segments* (closed
 * files of whole MediaRecorder chunks) that the desktop host uploads with the tus protocol. A take's
 * segments concatenated in order are one WebM file.
 */

/** The tus endpoint (creation, HEAD, PATCH), relative to the server's base URL. */
export const UPLOAD_PATH = '/api/uploads';
/** Largest segment the server accepts; the client closes segments well before this. */
export const MAX_SEGMENT_BYTES = 64 * 1024 * 1024;

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 as 64 lower-case hex digits');
const Index = z.coerce.number().int().nonnegative();
const Instant = z.string().datetime();

export const TakeEndReason = z.enum([
  'submitted',
  'camera_lost',
  'disk_full',
  'recorder_error',
  /** The app stopped without closing the take (crash, power cut, killed): found on the next start. */
  'interrupted',
]);
export type TakeEndReason = z.infer<typeof TakeEndReason>;

/**
 * What each segment upload declares in tus `Upload-Metadata` (all values are strings there; this
 * schema coerces them). The server recomputes the chain over the received bytes split by
 * `chunkSizes`, and refuses a segment whose `chainStart` is not the head it already holds.
 */
export const SegmentMetadata = z.object({
  sessionId: z.string().min(1).max(64),
  take: Index,
  segment: Index,
  /** Index (within the session) of the segment's first chunk. */
  firstChunk: Index,
  /** Comma-separated byte sizes of the chunks in this segment, in order. */
  chunkSizes: z
    .string()
    .regex(/^\d+(,\d+)*$/)
    .transform((s) => s.split(',').map(Number)),
  chainStart: Hex64,
  chainEnd: Hex64,
  startedAt: Instant,
  endedAt: Instant,
  /** Set on the last segment of a take, with why the take ended. */
  takeEnd: TakeEndReason.optional(),
});
export type SegmentMetadata = z.infer<typeof SegmentMetadata>;
export type SegmentMetadataInput = z.input<typeof SegmentMetadata>;

export const UploadTokenResponse = z.object({
  /** Absolute tus endpoint. */
  endpoint: z.string().url(),
  /** Bearer token scoped to this one session's uploads. */
  token: z.string(),
  expiresAt: Instant,
});
export type UploadTokenResponse = z.infer<typeof UploadTokenResponse>;

export const TakeView = z.object({
  index: z.number().int(),
  startedAt: Instant,
  endedAt: Instant.nullable(),
  endReason: TakeEndReason.nullable(),
  segments: z.number().int(),
  chunks: z.number().int(),
  bytes: z.number().int(),
  /** Known once the take is finished and remuxed (ffprobe). */
  durationMs: z.number().nullable(),
  /** Finished, remuxed (duration and cues present), playable with seeking. */
  playable: z.boolean(),
});
export type TakeView = z.infer<typeof TakeView>;

export const GapView = z.object({
  afterTake: z.number().int(),
  from: Instant,
  to: Instant,
  reason: TakeEndReason,
});
export type GapView = z.infer<typeof GapView>;

export const RecordingManifest = z.object({
  sessionId: z.string(),
  takes: z.array(TakeView),
  gaps: z.array(GapView),
  bytes: z.number().int(),
  chunks: z.number().int(),
  /** Head of the hash chain over everything received so far. */
  chainHead: z.string(),
  /** Every segment so far arrived in order and its chain verified. */
  verified: z.boolean(),
});
export type RecordingManifest = z.infer<typeof RecordingManifest>;
