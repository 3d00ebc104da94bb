import { z } from 'zod';

export const SetAccommodationRequest = z.object({
  userEmail: z.string().trim().toLowerCase().email(),
  examId: z.string().min(1).max(64),
  /** 1.5 = time and a half. Applied when a section is opened, never to one already running. */
  timeMultiplier: z.number().min(1).max(4),
  note: z.string().max(500).optional(),
});
export type SetAccommodationRequest = z.infer<typeof SetAccommodationRequest>;

export const AccommodationView = SetAccommodationRequest.extend({ updatedAt: z.string().datetime() });
export type AccommodationView = z.infer<typeof AccommodationView>;
