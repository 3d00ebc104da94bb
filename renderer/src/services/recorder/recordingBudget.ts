/** What the recorder asks of MediaRecorder, and what that costs on disk. */
export const VIDEO_BITS_PER_SECOND = 500_000;
export const AUDIO_BITS_PER_SECOND = 32_000;
export const RECORDING_BYTES_PER_SECOND = (VIDEO_BITS_PER_SECOND + AUDIO_BITS_PER_SECOND) / 8;
/** Encoders overshoot their target, and segments wait on disk until the server confirms them. */
export const DISK_SAFETY_FACTOR = 1.5;

/** Bytes of free disk needed to record `totalMinutes` (all sections, with extended time) without running out. */
export function requiredRecordingBytes(totalMinutes: number): number {
  return Math.ceil(totalMinutes * 60 * RECORDING_BYTES_PER_SECOND * DISK_SAFETY_FACTOR);
}
