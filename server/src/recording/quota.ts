/** Defaults of the per-attempt recording limits (configurable: INVIGIL_RECORDING_QUOTA_KBPS, INVIGIL_MAX_OPEN_UPLOADS). */

/** The recorder makes ~0.5 Mbit/s; four times that leaves room for a richer camera and retries. */
export const DEFAULT_RECORDING_QUOTA_KBPS = 2000;
/** The uploader sends one segment at a time; a few more cover restarts that leave one behind. */
export const DEFAULT_MAX_OPEN_UPLOADS = 4;
