import type { FaceBox } from '../../../../shared/api/identity';

/** A detector's box before it is fitted to the image: may reach past the edges, score may be off by rounding. */
export interface RawFaceBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly score: number;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * Fits one detector box into the image (pixel coordinates of that image): the tiny face detector's
 * anchors often reach a few pixels past an edge when a face is near it. Null when nothing is left.
 */
export function fitBox(raw: RawFaceBox, image: { readonly width: number; readonly height: number }): FaceBox | null {
  if (![raw.x, raw.y, raw.width, raw.height, raw.score].every(Number.isFinite)) return null;
  const left = clamp(raw.x, 0, image.width);
  const top = clamp(raw.y, 0, image.height);
  const right = clamp(raw.x + raw.width, 0, image.width);
  const bottom = clamp(raw.y + raw.height, 0, image.height);
  if (right - left <= 0 || bottom - top <= 0) return null;
  return { x: left, y: top, width: right - left, height: bottom - top, score: clamp(raw.score, 0, 1) };
}

/**
 * Boxes fitted to the image, biggest first (the learner in front of the camera is the biggest face;
 * a face on an ID card or in the background is smaller). Equal areas keep the more certain first.
 * `index` is the box's position in `raw`, so callers can pair each box with its detector output.
 */
export function facesBiggestFirst(
  raw: readonly RawFaceBox[],
  image: { readonly width: number; readonly height: number },
): { box: FaceBox; index: number }[] {
  return raw
    .map((r, index) => ({ box: fitBox(r, image), index }))
    .filter((f): f is { box: FaceBox; index: number } => f.box !== null)
    .sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height || b.box.score - a.box.score);
}

/** Overlap of two boxes as a share of the smaller one (1 when one holds the other). */
export function overlapOfSmaller(a: RawFaceBox, b: RawFaceBox): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const smaller = Math.min(a.width * a.height, b.width * b.height);
  return smaller > 0 ? (w * h) / smaller : 0;
}

/**
 * Joins the faces found by passes at several detector input sizes: one face seen by two passes is
 * kept once, from the more certain pass. Returns the indices (into `raw`) of the boxes kept.
 */
export function mergeOverlapping(raw: readonly RawFaceBox[], maxOverlap = 0.5): number[] {
  const kept: number[] = [];
  const byScore = raw.map((_, i) => i).sort((a, b) => raw[b]!.score - raw[a]!.score);
  for (const i of byScore) {
    if (kept.every((k) => overlapOfSmaller(raw[i]!, raw[k]!) < maxOverlap)) kept.push(i);
  }
  return kept.sort((a, b) => a - b);
}
