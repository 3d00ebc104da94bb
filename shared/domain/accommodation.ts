import { z } from 'zod';
import type { MonitoringPolicy } from './examPolicy';

/**
 * Monitoring profiles of an accommodation (extra time, breaks, assistive technology).
 * The exam policy sets the capture thresholds; a learner's profile only ever relaxes them (a
 * threshold goes up or a detector goes off, never the other way), so an accommodation cannot make
 * the exam stricter for the person it is meant to help. Identity checks are never relaxed.
 *
 * - `standard`: the exam's thresholds.
 * - `breaks`: short breaks away from the desk (medical, rest): no face for up to 5 minutes is not a flag.
 * - `assistive_device`: screen readers, dictation, magnifiers, switch or AAC devices: the learner's
 *   gaze leaves the screen and the computer speaks or is spoken to, so `looking_away` and `speech` are off.
 * - `relaxed`: both of the above, and an approved helper (reader, scribe, interpreter) may be in view:
 *   a second face becomes a flag only after 2 minutes.
 */
export const MonitoringProfile = z.enum(['standard', 'breaks', 'assistive_device', 'relaxed']);
export type MonitoringProfile = z.infer<typeof MonitoringProfile>;

/** Absence tolerated with `breaks` (the policy's upper bound is 600). */
export const BREAK_ABSENT_SECONDS = 300;
/** A second face tolerated with `relaxed` (an approved helper in the room). */
export const HELPER_MULTIPLE_FACES_SECONDS = 120;

/** A threshold in seconds where 0 means "off": off stays off, otherwise the larger one. */
const atLeast = (value: number, floor: number): number => Math.max(value, floor);

/** The monitoring thresholds for a learner with this profile. Pure; never stricter than `policy`. */
export function relaxMonitoring(policy: MonitoringPolicy, profile: MonitoringProfile): MonitoringPolicy {
  const breaks = profile === 'breaks' || profile === 'relaxed';
  const assistive = profile === 'assistive_device' || profile === 'relaxed';
  return {
    ...policy,
    absentSeconds: breaks ? atLeast(policy.absentSeconds, BREAK_ABSENT_SECONDS) : policy.absentSeconds,
    lookingAwaySeconds: assistive ? 0 : policy.lookingAwaySeconds,
    speechSeconds: assistive ? 0 : policy.speechSeconds,
    multipleFacesSeconds: profile === 'relaxed' ? atLeast(policy.multipleFacesSeconds, HELPER_MULTIPLE_FACES_SECONDS) : policy.multipleFacesSeconds,
  };
}
