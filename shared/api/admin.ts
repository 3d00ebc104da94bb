import { z } from 'zod';
import { MonitoringProfile } from '../domain/accommodation';
import { Role } from './auth';

export const SetAccommodationRequest = z.object({
  userEmail: z.string().trim().toLowerCase().email(),
  examId: z.string().min(1).max(64),
  /** 1.5 = time and a half. Applied when a section is opened, never to one already running. */
  timeMultiplier: z.number().min(1).max(4),
  /**
   * How the exam's capture thresholds are relaxed for this learner (breaks, assistive devices; see
   * shared/domain/accommodation.ts). `standard` keeps the exam's. A PUT replaces the whole accommodation.
   */
  monitoringProfile: MonitoringProfile.default('standard'),
  note: z.string().max(500).optional(),
});
export type SetAccommodationRequest = z.infer<typeof SetAccommodationRequest>;
export type SetAccommodationInput = z.input<typeof SetAccommodationRequest>;

export const AccommodationView = SetAccommodationRequest.extend({ updatedAt: z.string().datetime() });
export type AccommodationView = z.infer<typeof AccommodationView>;

/** What was viewed: a recording take, an identity image, or the learner's answers (administrators only). */
export const AccessAuditKind = z.enum(['recording_take', 'identity_image', 'answers']);
export type AccessAuditKind = z.infer<typeof AccessAuditKind>;

/**
 * One view of a learner's media or answers by staff. Repeated requests for the same item by the same
 * person within a few minutes (a video player's range requests, seeking) are one view.
 */
export const AccessAuditEntry = z.object({
  at: z.string().datetime(),
  userId: z.string(),
  role: Role,
  sessionId: z.string(),
  kind: AccessAuditKind,
  /** The take index or the image id; null for answers. */
  itemId: z.string().nullable(),
  /** `bearer`: the API with an access token; `playback`: a `?playback=` media URL. */
  via: z.enum(['bearer', 'playback']),
});
export type AccessAuditEntry = z.infer<typeof AccessAuditEntry>;

/** Oldest first. */
export const AccessAuditResponse = z.object({ sessionId: z.string(), entries: z.array(AccessAuditEntry) });
export type AccessAuditResponse = z.infer<typeof AccessAuditResponse>;
