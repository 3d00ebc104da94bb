/**
 * Pure image analysis for the ID capture: is there a card in the guide, is it big enough,
 * steady, sharp, and free of glare? Runs on a small copy of the guide region several times a
 * second, so everything here is a single pass over a few hundred thousand bytes, with no DOM.
 */

import { ID1_RATIO } from '../../../../shared/ocr/cardFace';

export { cardFace, guideRect, ID1_RATIO, type Rect } from '../../../../shared/ocr/cardFace';

/** RGBA pixels, as `ImageData` holds them. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray | Uint8Array;
}

/** Luma (BT.601), 0..255, one value per pixel. */
export function toGray(p: Pixels): Float32Array {
  const n = p.width * p.height;
  const out = new Float32Array(n);
  const d = p.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) out[i] = 0.299 * d[j]! + 0.587 * d[j + 1]! + 0.114 * d[j + 2]!;
  return out;
}

/** Mean-free column and row sums of a gray image: enough to find how far the picture moved. */
export interface FrameTrace {
  readonly columns: Float64Array;
  readonly rows: Float64Array;
}

export function traceOf(gray: Float32Array, width: number, height: number): FrameTrace {
  const columns = new Float64Array(width);
  const rows = new Float64Array(height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const v = gray[row + x]!;
      columns[x]! += v / height;
      rows[y]! += v / width;
    }
  }
  centre(columns);
  centre(rows);
  return { columns, rows };
}

function centre(profile: Float64Array): void {
  let mean = 0;
  for (const v of profile) mean += v / profile.length;
  for (let i = 0; i < profile.length; i++) profile[i]! -= mean;
}

/** Search range for the shift between samples, as a share of each side. */
const MAX_SHIFT = 0.06;
/** Mean profile difference (gray levels) that still counts as the same picture after the best shift. */
const SAME_PICTURE = 8;

/**
 * How far the picture moved between two samples, as a share of its width or height (the larger),
 * from the best alignment of their column and row profiles. A new picture (the card came in, or the
 * best alignment still differs a lot) counts as 1: a full move.
 */
export function movementBetween(a: FrameTrace, b: FrameTrace): number {
  if (a.columns.length !== b.columns.length || a.rows.length !== b.rows.length) return 1;
  const x = bestShift(a.columns, b.columns);
  const y = bestShift(a.rows, b.rows);
  if (x.error > SAME_PICTURE || y.error > SAME_PICTURE) return 1;
  return Math.max(Math.abs(x.shift) / a.columns.length, Math.abs(y.shift) / a.rows.length);
}

function bestShift(a: Float64Array, b: Float64Array): { shift: number; error: number } {
  const max = Math.max(1, Math.round(a.length * MAX_SHIFT));
  let shift = 0;
  let error = Infinity;
  for (let s = -max; s <= max; s++) {
    let sum = 0;
    for (let i = max; i < a.length - max; i++) sum += Math.abs(a[i]! - b[i + s]!);
    const e = sum / Math.max(1, a.length - 2 * max);
    if (e < error) {
      error = e;
      shift = s;
    }
  }
  // At the edge of the range the true shift may be larger still.
  return { shift: Math.abs(shift) === max ? 1e9 * Math.sign(shift) : shift, error };
}

/** Variance of the 4-neighbour Laplacian: high for crisp print, low when the picture is blurred. */
export function laplacianVariance(gray: Float32Array, width: number, height: number): number {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const v = gray[i - width]! + gray[i + width]! + gray[i - 1]! + gray[i + 1]! - 4 * gray[i]!;
      sum += v;
      sumSq += v * v;
      n++;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/**
 * Glare: share of 16×16 windows (stride 8) in which every pixel is blown out to white (each channel
 * at or over `level`). Counting whole windows, not pixels, keeps the white background of an MRZ
 * band (cut into thin strips by its print) from looking like a reflection on the laminate.
 */
export function glareFraction(p: Pixels, level = 250, windowSize = 16): number {
  const { width, height, data } = p;
  if (width < windowSize || height < windowSize) return 0;
  const blown = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < blown.length; i++, j += 4) blown[i] = data[j]! >= level && data[j + 1]! >= level && data[j + 2]! >= level ? 1 : 0;
  // Summed-area table: any window's count in four look-ups.
  const sat = new Uint32Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    for (let x = 0; x < width; x++) {
      rowSum += blown[y * width + x]!;
      sat[(y + 1) * (width + 1) + x + 1] = sat[y * (width + 1) + x + 1]! + rowSum;
    }
  }
  const stride = windowSize / 2;
  const full = windowSize * windowSize;
  let windows = 0;
  let glare = 0;
  for (let y = 0; y + windowSize <= height; y += stride) {
    for (let x = 0; x + windowSize <= width; x += stride) {
      const a = sat[y * (width + 1) + x]!;
      const b = sat[y * (width + 1) + x + windowSize]!;
      const c = sat[(y + windowSize) * (width + 1) + x]!;
      const d = sat[(y + windowSize) * (width + 1) + x + windowSize]!;
      windows++;
      if (d - b - c + a === full) glare++;
    }
  }
  return glare / windows;
}

export interface EdgeStats {
  /** Share of pixels on a strong edge (print, the card's border). */
  readonly density: number;
  /** Share of the width and height that holds the middle 90 % of the edges: how much of the guide the card fills. */
  readonly spanX: number;
  readonly spanY: number;
}

/** Strong edges (central-difference gradient over `threshold`) and how far they spread. */
export function edgeStats(gray: Float32Array, width: number, height: number, threshold = 40): EdgeStats {
  const cols = new Float64Array(width);
  const rows = new Float64Array(height);
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const gx = gray[i + 1]! - gray[i - 1]!;
      const gy = gray[i + width]! - gray[i - width]!;
      if (Math.abs(gx) + Math.abs(gy) > threshold) {
        cols[x]!++;
        rows[y]!++;
        count++;
      }
    }
  }
  const inner = Math.max(1, (width - 2) * (height - 2));
  return { density: count / inner, spanX: span(cols, count) / width, spanY: span(rows, count) / height };
}

/** The length of the range between the 5th and 95th percentile of a histogram. */
function span(histogram: Float64Array, total: number): number {
  if (total === 0) return 0;
  let acc = 0;
  let lo = -1;
  let hi = -1;
  for (let i = 0; i < histogram.length; i++) {
    acc += histogram[i]!;
    if (lo < 0 && acc >= total * 0.05) lo = i;
    if (hi < 0 && acc >= total * 0.95) hi = i;
  }
  return hi - lo + 1;
}

export interface FrameMetrics {
  readonly sharpness: number;
  readonly glare: number;
  readonly edges: EdgeStats;
  /** Movement since the previous sample (share of the side, 1 for a new picture); null for the first. */
  readonly motion: number | null;
}

/** Everything the gate needs about one sample, plus its trace for the next comparison. */
export function measureFrame(p: Pixels, previous: FrameTrace | null): { metrics: FrameMetrics; trace: FrameTrace } {
  const gray = toGray(p);
  const trace = traceOf(gray, p.width, p.height);
  return {
    trace,
    metrics: {
      sharpness: laplacianVariance(gray, p.width, p.height),
      glare: glareFraction(p),
      edges: edgeStats(gray, p.width, p.height),
      motion: previous ? movementBetween(previous, trace) : null,
    },
  };
}

/**
 * What to tell the learner, most important first. `hold_still` means the picture is good and the
 * app is waiting for it to stay good; `ready` that it has, and the still is taken.
 */
export type Guidance = 'no_card' | 'too_far' | 'glare' | 'moving' | 'blur' | 'hold_still' | 'ready';

/**
 * Thresholds for a sample of `ANALYSIS_WIDTH` pixels across the guide. Calibrated on the shared ID
 * fixtures (the `id_card.mjpeg` clip and the 60 dev frames; see cardAnalysis.test.ts for the figures).
 */
export interface GateThresholds {
  /** Under this edge density nothing card-like is in the guide. */
  readonly minEdgeDensity: number;
  /** A card filling less than this share of the guide's width is too far away to read. */
  readonly minSpan: number;
  readonly maxGlare: number;
  readonly maxMotion: number;
  readonly minSharpness: number;
  /** Good samples in a row before the still is taken. */
  readonly steadySamples: number;
}

/** Analysis size: wide enough that blur a reader would notice still shows, small enough for every frame. */
export const ANALYSIS_WIDTH = 480;
export const ANALYSIS_HEIGHT = Math.round(ANALYSIS_WIDTH / ID1_RATIO);

export const DEFAULT_THRESHOLDS: GateThresholds = {
  minEdgeDensity: 0.06,
  minSpan: 0.55,
  // A white card (MRZ band, background) in Chromium's camera pipeline already blows 1.6–3.1 % of the
  // windows to pure white (measured on id_card.mjpeg); 6 % is a reflection big enough to hide a field.
  maxGlare: 0.06,
  maxMotion: 0.05,
  minSharpness: 400,
  steadySamples: 6,
};

export function guidanceFor(m: FrameMetrics, t: GateThresholds = DEFAULT_THRESHOLDS): Exclude<Guidance, 'ready'> {
  if (m.edges.density < t.minEdgeDensity * 0.75) return 'no_card';
  if (m.edges.density < t.minEdgeDensity || m.edges.spanX < t.minSpan) return 'too_far';
  if (m.glare > t.maxGlare) return 'glare';
  if (m.motion === null || m.motion > t.maxMotion) return 'moving';
  if (m.sharpness < t.minSharpness) return 'blur';
  return 'hold_still';
}

export interface GateState {
  readonly guidance: Guidance;
  /** 0..1: how far through the steady stretch the card is. */
  readonly progress: number;
}

/**
 * Auto-capture: takes the still once the card has been steady, sharp and glare-free for
 * `steadySamples` samples in a row; any bad sample starts the count again.
 */
export class SteadyCardGate {
  private good = 0;

  constructor(private readonly t: GateThresholds = DEFAULT_THRESHOLDS) {}

  push(m: FrameMetrics): GateState {
    const guidance = guidanceFor(m, this.t);
    this.good = guidance === 'hold_still' ? this.good + 1 : 0;
    if (this.good >= this.t.steadySamples) return { guidance: 'ready', progress: 1 };
    return { guidance, progress: this.good / this.t.steadySamples };
  }

  reset(): void {
    this.good = 0;
  }
}
