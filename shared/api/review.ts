import { z } from 'zod';
import { SessionStatus } from './exams';
import { route } from './route';

/**
 * Review: a queue ordered by risk then age, claimed under a lease that
 * heartbeats extend; decisions follow edx-proctoring, with a second reviewer for suspicion and violations.
 */
export const ReviewDecision = z.enum(['clean', 'suspicious', 'rules_violation', 'not_reviewed']);
export type ReviewDecision = z.infer<typeof ReviewDecision>;

/** Why a proctor decided as they did; `other` needs notes. */
export const ReviewReasonCode = z.enum([
  'no_face',
  'multiple_faces',
  'different_person',
  'looking_away',
  'speech',
  'unauthorized_material',
  'unauthorized_device',
  'left_the_room',
  'id_mismatch',
  'blocked_process',
  'virtual_machine',
  'extra_display',
  'focus_lost',
  'translator_misuse',
  'recording_gap',
  'recording_missing',
  'recording_unplayable',
  'other',
]);
export type ReviewReasonCode = z.infer<typeof ReviewReasonCode>;

export const DecideRequest = z
  .object({
    decision: ReviewDecision,
    reasonCodes: z.array(ReviewReasonCode).max(ReviewReasonCode.options.length).default([]),
    notes: z.string().trim().max(4000).default(''),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.decision !== 'clean' && value.reasonCodes.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['reasonCodes'], message: `A ${value.decision.replace('_', ' ')} decision needs at least one reason code.` });
    }
    if (new Set(value.reasonCodes).size !== value.reasonCodes.length) {
      ctx.addIssue({ code: 'custom', path: ['reasonCodes'], message: 'Each reason code may appear once.' });
    }
    if (value.reasonCodes.includes('other') && value.notes === '') {
      ctx.addIssue({ code: 'custom', path: ['notes'], message: 'Say in the notes what "other" means.' });
    }
  });
export type DecideRequest = z.input<typeof DecideRequest>;

/** `queued` includes leases that have run out: they are back in the queue even before a claim sweeps them. */
export const ReviewEntryState = z.enum(['queued', 'claimed', 'done']);
export type ReviewEntryState = z.infer<typeof ReviewEntryState>;

export const ReviewEntryView = z.object({
  entryId: z.string(),
  sessionId: z.string(),
  examId: z.string(),
  riskScore: z.number(),
  enqueuedAt: z.string().datetime(),
  state: ReviewEntryState,
  /** 1: first review; 2: second review by another proctor. */
  round: z.union([z.literal(1), z.literal(2)]),
  holderId: z.string().nullable(),
  leaseExpiresAt: z.string().datetime().nullable(),
  sessionStatus: SessionStatus,
});
export type ReviewEntryView = z.infer<typeof ReviewEntryView>;

export const ClaimNextRequest = z
  .object({
    /** 30 s to 15 min; a heartbeat extends by the same amount. */
    leaseSeconds: z.number().int().min(30).max(900).default(120),
    examId: z.string().min(1).max(64).optional(),
  })
  .strict();
export const ClaimNextResponse = z.object({ claim: ReviewEntryView.nullable() });

export const ReviewDecisionView = z.object({
  round: z.union([z.literal(1), z.literal(2)]),
  reviewerId: z.string(),
  decision: ReviewDecision,
  reasonCodes: z.array(ReviewReasonCode),
  notes: z.string(),
  decidedAt: z.string().datetime(),
});
export type ReviewDecisionView = z.infer<typeof ReviewDecisionView>;

export const DecideResponse = z.object({ entry: ReviewEntryView, decision: ReviewDecisionView });
export type DecideResponse = z.infer<typeof DecideResponse>;

export const AddCommentRequest = z
  .object({
    /** Seconds into the session's recording. */
    startSecond: z.number().nonnegative().max(86_400),
    endSecond: z.number().nonnegative().max(86_400),
    text: z.string().trim().min(1).max(2000),
  })
  .strict()
  .refine((c) => c.endSecond >= c.startSecond, { path: ['endSecond'], message: 'The end cannot come before the start.' });
export type AddCommentRequest = z.input<typeof AddCommentRequest>;

export const ReviewCommentView = z.object({
  id: z.string(),
  authorId: z.string(),
  round: z.union([z.literal(1), z.literal(2)]),
  startSecond: z.number(),
  endSecond: z.number(),
  text: z.string(),
  createdAt: z.string().datetime(),
});
export type ReviewCommentView = z.infer<typeof ReviewCommentView>;

/** `media_deleted`: the retention job removed the recording and the identity images (the audit stays). */
export const ReviewAuditAction = z.enum(['enqueue', 'claim', 'release', 'lease_expired', 'comment', 'decision', 'media_deleted']);
export type ReviewAuditAction = z.infer<typeof ReviewAuditAction>;

export const ReviewAuditView = z.object({
  at: z.string().datetime(),
  actorId: z.string().nullable(),
  action: ReviewAuditAction,
  round: z.union([z.literal(1), z.literal(2)]),
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export type ReviewAuditView = z.infer<typeof ReviewAuditView>;

export const ReviewDetail = z.object({
  entry: ReviewEntryView,
  decisions: z.array(ReviewDecisionView),
  comments: z.array(ReviewCommentView),
  audit: z.array(ReviewAuditView),
  /** When the retention job deleted the recording and identity images; null while they are kept. */
  mediaDeletedAt: z.string().datetime().nullable().default(null),
});
export type ReviewDetail = z.infer<typeof ReviewDetail>;

/** A POST body rather than a query string: the route table carries params and bodies only. */
export const ListQueueRequest = z
  .object({
    examId: z.string().min(1).max(64).optional(),
    state: ReviewEntryState.optional(),
    sessionStatus: SessionStatus.optional(),
    limit: z.number().int().min(1).max(200).default(50),
    offset: z.number().int().nonnegative().default(0),
  })
  .strict();
export type ListQueueRequest = z.input<typeof ListQueueRequest>;

export const ListQueueResponse = z.object({
  entries: z.array(ReviewEntryView),
  /** Matching entries in each state, for the exam filter (before the state and status filters). */
  counts: z.object({ queued: z.number(), claimed: z.number(), done: z.number(), secondReview: z.number() }),
  total: z.number(),
});
export type ListQueueResponse = z.infer<typeof ListQueueResponse>;

/**
 * A `<video>` or `<img>` cannot send a Bearer token, so staff ask for short-lived URLs carrying a
 * playback token in `?playback=`, scoped to one session (and never issued to learners).
 */
export const PLAYBACK_QUERY = 'playback';
/** Long enough to load the screen and seek around; the page asks again before it runs out. */
export const PLAYBACK_TOKEN_TTL_SECONDS = 5 * 60;

export const PlaybackGrant = z.object({
  sessionId: z.string(),
  expiresAt: z.string().datetime(),
  /** Server-relative URLs (path and query) of every playable take, by take index. */
  takes: z.array(z.object({ take: z.number().int().nonnegative(), url: z.string() })),
  /** Server-relative URLs of the session's identity images (JPEG), by image id. */
  images: z.array(z.object({ imageId: z.string(), url: z.string() })),
});
export type PlaybackGrant = z.infer<typeof PlaybackGrant>;

const Empty = z.object({}).strict();
const EntryParams = z.object({ entryId: z.string().min(1).max(64) });
const SessionParams = z.object({ sessionId: z.string().min(1).max(64) });
const PlaybackImageParams = SessionParams.extend({ imageId: z.string().min(1).max(64) });

/** Proctors and administrators only (`staff`): learners get 403 on every one. */
export const reviewApi = {
  claimNext: route({ method: 'POST', path: '/api/review/claims', auth: 'staff', body: ClaimNextRequest, reply: ClaimNextResponse }),
  heartbeat: route({
    method: 'POST',
    path: '/api/review/entries/:entryId/heartbeat',
    auth: 'staff',
    params: EntryParams,
    body: Empty,
    reply: ReviewEntryView,
  }),
  release: route({ method: 'POST', path: '/api/review/entries/:entryId/release', auth: 'staff', params: EntryParams, body: Empty, reply: ReviewEntryView }),
  decide: route({ method: 'POST', path: '/api/review/entries/:entryId/decision', auth: 'staff', params: EntryParams, body: DecideRequest, reply: DecideResponse }),
  comment: route({
    method: 'POST',
    path: '/api/review/entries/:entryId/comments',
    auth: 'staff',
    params: EntryParams,
    body: AddCommentRequest,
    reply: ReviewCommentView,
  }),
  listQueue: route({ method: 'POST', path: '/api/review/queue', auth: 'staff', body: ListQueueRequest, reply: ListQueueResponse }),
  getReview: route({ method: 'GET', path: '/api/review/entries/:entryId', auth: 'staff', params: EntryParams, reply: ReviewDetail }),
  /** Playback URLs for one session's takes (the `recordingTake` route with `?playback=`) and identity images. */
  playbackGrant: route({
    method: 'POST',
    path: '/api/review/sessions/:sessionId/playback',
    auth: 'staff',
    params: SessionParams,
    body: Empty,
    reply: PlaybackGrant,
  }),
  /**
   * An identity image (image/jpeg) for an `<img>`: authorised by `?playback=` alone (hence `none`
   * here), 401 without a valid token for this session.
   */
  playbackImage: route({
    method: 'GET',
    path: '/api/review/sessions/:sessionId/playback/images/:imageId',
    auth: 'none',
    params: PlaybackImageParams,
    reply: z.unknown(),
  }),
} as const;
