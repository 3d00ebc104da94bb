/** Defaults of the per-attempt recording limits (configurable: INVIGIL_RECORDING_QUOTA_KBPS, INVIGIL_MAX_OPEN_UPLOADS). */

/** The recorder makes ~0.5 Mbit/s; four times that leaves room for a richer camera and retries. */
export const DEFAULT_RECORDING_QUOTA_KBPS = 2000;
/** The uploader sends one segment at a time; a few more cover restarts that leave one behind. */
export const DEFAULT_MAX_OPEN_UPLOADS = 4;

/** Recording beyond the timed sections: the checks before Begin, breaks between sections, the upload's tail. */
export const QUOTA_EXTRA_MINUTES = 60;

/**
 * Bytes one attempt may store: `kbps` kilobits (1000 bits) per second over the exam's section
 * durations stretched by the learner's time multiplier, plus QUOTA_EXTRA_MINUTES.
 */
export function recordingQuotaBytes(sectionMinutes: readonly number[], timeMultiplier: number, kbps: number): number {
  const minutes = sectionMinutes.reduce((sum, m) => sum + m, 0) * timeMultiplier + QUOTA_EXTRA_MINUTES;
  return Math.floor((kbps * 1000 * minutes * 60) / 8);
}
