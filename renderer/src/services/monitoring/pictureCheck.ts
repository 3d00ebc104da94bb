/**
 * Is the camera blocked? Judged on a small grey copy of the frame (e.g. 32×24), which is cheap to
 * read back and averages sensor noise away:
 * - dark: the mean luminance is very low (lens covered by a finger, lights off, black frames);
 * - covered: almost no contrast (a sticker, paper or hand right on the lens);
 * - frozen: nearly no change from the previous sample (the driver stalled, or a still image is fed in).
 * One sample says little; the flag needs the condition to hold for the policy's seconds.
 * Measured on the fake-camera clips at 32×24: mean 118–154, standard deviation 56–68, change between
 * consecutive frames 0.7–8.9 grey levels: far from every threshold below.
 */

export interface PictureStats {
  readonly mean: number;
  readonly deviation: number;
  /** Mean absolute change from the previous sample's pixels; null for the first sample. */
  readonly change: number | null;
}

export type BlockedReason = 'dark' | 'covered' | 'frozen';

export const PICTURE_LIMITS = { darkMean: 24, coveredDeviation: 7, frozenChange: 0.2 } as const;

/** Luminance (Rec. 601) of RGBA pixels. */
export function greyFromRgba(rgba: Uint8ClampedArray): Uint8Array {
  const grey = new Uint8Array(rgba.length / 4);
  for (let i = 0, p = 0; p < grey.length; i += 4, p++) grey[p] = (rgba[i]! * 299 + rgba[i + 1]! * 587 + rgba[i + 2]! * 114) / 1000;
  return grey;
}

export function pictureStats(grey: Uint8Array, previous: Uint8Array | null): PictureStats {
  const n = grey.length;
  if (n === 0) return { mean: 0, deviation: 0, change: null };
  let sum = 0;
  let squares = 0;
  let change = 0;
  const comparable = previous !== null && previous.length === n;
  for (let i = 0; i < n; i++) {
    const v = grey[i]!;
    sum += v;
    squares += v * v;
    if (comparable) change += Math.abs(v - previous[i]!);
  }
  const mean = sum / n;
  return { mean, deviation: Math.sqrt(Math.max(0, squares / n - mean * mean)), change: comparable ? change / n : null };
}

/** Why the picture counts as blocked, or null when it looks like a working camera. */
export function blockedReason(stats: PictureStats): BlockedReason | null {
  if (stats.mean < PICTURE_LIMITS.darkMean) return 'dark';
  if (stats.deviation < PICTURE_LIMITS.coveredDeviation) return 'covered';
  if (stats.change !== null && stats.change < PICTURE_LIMITS.frozenChange) return 'frozen';
  return null;
}
