import { z } from 'zod';
import { MonitoringProfile } from '../domain/accommodation';

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
