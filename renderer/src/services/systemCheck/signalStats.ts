/** Pure measures of camera frames and microphone samples, for the system check. */

/** Mean luma (BT.601, 0–255) of RGBA pixels, e.g. `getImageData` of a downscaled frame. */
export function meanLuminance(rgba: ArrayLike<number>): number {
  const pixels = Math.floor(rgba.length / 4);
  if (pixels === 0) return 0;
  let sum = 0;
  for (let i = 0; i < pixels * 4; i += 4) sum += 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
  return sum / pixels;
}

/** Level of time-domain samples (-1..1) in dB full scale; -Infinity for silence. */
export function rmsDbfs(samples: ArrayLike<number>): number {
  if (samples.length === 0) return -Infinity;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  const rms = Math.sqrt(sum / samples.length);
  return rms === 0 ? -Infinity : 20 * Math.log10(rms);
}

/** The meter's floor: quieter than this shows as an empty bar. */
export const METER_FLOOR_DBFS = -60;

/** Where a level sits on the meter, 0..1 (−60 dBFS → 0, 0 dBFS → 1). */
export function meterFraction(dbfs: number): number {
  if (!Number.isFinite(dbfs)) return 0;
  return Math.min(1, Math.max(0, (dbfs - METER_FLOOR_DBFS) / -METER_FLOOR_DBFS));
}
