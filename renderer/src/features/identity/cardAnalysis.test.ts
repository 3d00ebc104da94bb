import { describe, expect, it } from 'vitest';
import {
  cardFace,
  ANALYSIS_HEIGHT as H,
  ANALYSIS_WIDTH as W,
  DEFAULT_THRESHOLDS,
  type FrameMetrics,
  type Pixels,
  SteadyCardGate,
  glareFraction,
  guideRect,
  guidanceFor,
  measureFrame,
} from './cardAnalysis';

/**
 * Synthetic cards: a cream card with rows of dark "print" on a dark background. The thresholds were
 * calibrated on the shared fixtures (the id_card.mjpeg clip sampled every 4th frame, and the 60 dev
 * ID frames): card samples sharpness 1,200–4,700, print density 0.11–0.20, span 0.73–0.87, movement
 * ≤ 0.04 of the side per sample; face-only samples density ≤ 0.035; the card blurred (σ 1.5 px at
 * 640) sharpness ~310; the card at half size span 0.46.
 */
function card(opts: { scale?: number; dx?: number; dy?: number; blur?: number; glare?: { x: number; y: number; r: number } } = {}): Pixels {
  const { scale = 0.9, dx = 0, dy = 0, blur = 0, glare } = opts;
  const gray = new Float32Array(W * H).fill(35);
  const cw = W * scale;
  const ch = H * scale;
  const x0 = (W - cw) / 2 + dx;
  const y0 = (H - ch) / 2 + dy;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const u = x - x0;
      const v = y - y0;
      if (u < 0 || v < 0 || u >= cw || v >= ch) continue;
      // Print: 6-px text lines every 12 px in the lower two thirds, letters 4 px wide with 3-px gaps.
      const inText = v > ch / 3 && Math.floor(v / 6) % 2 === 0 && Math.floor(u / 7) % 7 !== 0 && u % 7 < 4 && u > 10 && u < cw - 10;
      gray[y * W + x] = inText ? 30 : 230;
    }
  }
  const out = blur > 0 ? boxBlur(gray, blur) : gray;
  const data = new Uint8ClampedArray(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    let g = out[i]!;
    if (glare) {
      const x = i % W;
      const y = Math.floor(i / W);
      if (Math.hypot(x - glare.x, y - glare.y) < glare.r) g = 255;
    }
    data[i * 4] = g;
    data[i * 4 + 1] = g;
    data[i * 4 + 2] = g;
    data[i * 4 + 3] = 255;
  }
  return { width: W, height: H, data };
}

function boxBlur(gray: Float32Array, radius: number): Float32Array {
  let src = gray;
  for (let pass = 0; pass < 2; pass++) {
    const dst = new Float32Array(src.length);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let sum = 0;
        let n = 0;
        for (let k = -radius; k <= radius; k++) {
          const xx = pass === 0 ? x + k : x;
          const yy = pass === 0 ? y : y + k;
          if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue;
          sum += src[yy * W + xx]!;
          n++;
        }
        dst[y * W + x] = sum / n;
      }
    }
    src = dst;
  }
  return src;
}

const empty = (): Pixels => ({ width: W, height: H, data: new Uint8ClampedArray(W * H * 4).fill(40) });

function guidanceAfter(first: Pixels, second: Pixels) {
  const a = measureFrame(first, null);
  const b = measureFrame(second, a.trace);
  return { guidance: guidanceFor(b.metrics), metrics: b.metrics };
}

describe('guideRect', () => {
  it('is ID-1 shaped, centred, 80 % of a 4:3 frame wide', () => {
    const g = guideRect(640, 480);
    expect(g).toEqual({ x: 64, y: 79, width: 512, height: 323 });
    expect(g.width / g.height).toBeCloseTo(85.6 / 54, 2);
  });

  it('keeps the whole guide in view on a wide frame by capping its height', () => {
    const g = guideRect(1920, 1080);
    expect(g.height).toBe(918);
    expect(g.width).toBe(Math.round(918 * (85.6 / 54)));
    expect(g.x + g.width).toBeLessThanOrEqual(1920);
  });
});

describe('guidance for one sample', () => {
  it('a large, sharp, still card without glare is good', () => {
    const { guidance, metrics } = guidanceAfter(card(), card({ dx: 2 }));
    expect(guidance).toBe('hold_still');
    expect(metrics.sharpness).toBeGreaterThan(DEFAULT_THRESHOLDS.minSharpness);
    expect(metrics.motion).toBeLessThan(0.01);
  });

  it('an empty guide has no card', () => {
    expect(guidanceAfter(empty(), empty()).guidance).toBe('no_card');
  });

  it('a card filling under half the guide is too far away', () => {
    const { guidance, metrics } = guidanceAfter(card({ scale: 0.45 }), card({ scale: 0.45 }));
    expect(guidance).toBe('too_far');
    expect(metrics.edges.spanX).toBeLessThan(DEFAULT_THRESHOLDS.minSpan);
  });

  it('a blurred card is blurred', () => {
    const { guidance, metrics } = guidanceAfter(card({ blur: 3 }), card({ blur: 3 }));
    expect(guidance).toBe('blur');
    expect(metrics.sharpness).toBeLessThan(DEFAULT_THRESHOLDS.minSharpness);
  });

  it('a card that jumped since the last sample is moving', () => {
    expect(guidanceAfter(card(), card({ dx: 40 })).guidance).toBe('moving');
    expect(guidanceAfter(empty(), card()).metrics.motion).toBe(1);
  });

  it('the first sample counts as moving: steadiness needs two', () => {
    expect(guidanceFor(measureFrame(card(), null).metrics)).toBe('moving');
  });

  it('a blown-out reflection is glare; white paper cut by print is not', () => {
    const { guidance, metrics } = guidanceAfter(card({ glare: { x: 200, y: 150, r: 70 } }), card({ glare: { x: 200, y: 150, r: 70 } }));
    expect(guidance).toBe('glare');
    expect(metrics.glare).toBeGreaterThan(DEFAULT_THRESHOLDS.maxGlare);

    // A white MRZ band: blown white, but striped by text lines every 12 px.
    const data = new Uint8ClampedArray(W * H * 4);
    for (let i = 0; i < W * H; i++) {
      const y = Math.floor(i / W);
      const v = y % 12 < 5 && i % 7 < 4 ? 20 : 255;
      data.fill(v, i * 4, i * 4 + 3);
      data[i * 4 + 3] = 255;
    }
    expect(glareFraction({ width: W, height: H, data })).toBe(0);
  });
});

describe('SteadyCardGate', () => {
  const good: FrameMetrics = { sharpness: 3000, glare: 0, edges: { density: 0.15, spanX: 0.8, spanY: 0.8 }, motion: 0.01 };

  it('is ready after the set number of good samples in a row, and a bad one starts again', () => {
    const gate = new SteadyCardGate({ ...DEFAULT_THRESHOLDS, steadySamples: 3 });
    expect(gate.push(good)).toEqual({ guidance: 'hold_still', progress: 1 / 3 });
    expect(gate.push(good).guidance).toBe('hold_still');
    expect(gate.push({ ...good, motion: 0.5 })).toEqual({ guidance: 'moving', progress: 0 });
    gate.push(good);
    gate.push(good);
    expect(gate.push(good)).toEqual({ guidance: 'ready', progress: 1 });
  });

  it('puts the most useful advice first: too far before glare before movement before blur', () => {
    expect(guidanceFor({ ...good, edges: { ...good.edges, spanX: 0.3 }, glare: 0.5, motion: 1, sharpness: 1 })).toBe('too_far');
    expect(guidanceFor({ ...good, glare: 0.5, motion: 1, sharpness: 1 })).toBe('glare');
    expect(guidanceFor({ ...good, motion: 1, sharpness: 1 })).toBe('moving');
    expect(guidanceFor({ ...good, sharpness: 1 })).toBe('blur');
  });
});

describe('cardFace', () => {
  const face = (x: number, y: number, size: number) => ({ box: { x, y, width: size, height: size, score: 0.9 } });
  it('takes the face printed on the card, not the learner beside it', () => {
    // 640×480: the guide is x 64..576, y ~78..401.
    const learner = face(10, 10, 150);
    const printed = face(100, 200, 80);
    expect(cardFace([learner, printed], 640, 480)).toBe(printed);
  });
  it('takes the smallest of several inside the guide, and none when no face is inside', () => {
    const a = face(200, 150, 120);
    const b = face(120, 220, 60);
    expect(cardFace([a, b], 640, 480)).toBe(b);
    expect(cardFace([face(0, 0, 60)], 640, 480)).toBeNull();
    expect(cardFace([], 640, 480)).toBeNull();
  });
});
