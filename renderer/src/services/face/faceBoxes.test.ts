import { describe, expect, it } from 'vitest';
import { facesBiggestFirst, fitBox, mergeOverlapping, overlapOfSmaller } from './faceBoxes';

const image = { width: 640, height: 480 };

describe('fitBox', () => {
  it('keeps a box inside the image as it is', () => {
    expect(fitBox({ x: 100, y: 50, width: 200, height: 220, score: 0.9 }, image)).toEqual({ x: 100, y: 50, width: 200, height: 220, score: 0.9 });
  });

  it('cuts a box that reaches past the edges to the part inside the image', () => {
    expect(fitBox({ x: -12, y: 400, width: 100, height: 120, score: 0.8 }, image)).toEqual({ x: 0, y: 400, width: 88, height: 80, score: 0.8 });
    expect(fitBox({ x: 600, y: -5, width: 60, height: 60, score: 0.8 }, image)).toEqual({ x: 600, y: 0, width: 40, height: 55, score: 0.8 });
  });

  it('drops a box wholly outside the image or not a number, and keeps the score within 0..1', () => {
    expect(fitBox({ x: 700, y: 10, width: 50, height: 50, score: 0.9 }, image)).toBeNull();
    expect(fitBox({ x: Number.NaN, y: 10, width: 50, height: 50, score: 0.9 }, image)).toBeNull();
    expect(fitBox({ x: 10, y: 10, width: 50, height: 50, score: 1.0000001 }, image)?.score).toBe(1);
  });
});

describe('facesBiggestFirst', () => {
  it('orders faces by area, biggest first, and says where each came from', () => {
    const raw = [
      { x: 10, y: 10, width: 50, height: 60, score: 0.95 },
      { x: 300, y: 100, width: 200, height: 220, score: 0.7 },
      { x: 100, y: 300, width: 90, height: 100, score: 0.8 },
    ];
    const faces = facesBiggestFirst(raw, image);
    expect(faces.map((f) => f.index)).toEqual([1, 2, 0]);
    expect(faces[0]!.box).toEqual({ x: 300, y: 100, width: 200, height: 220, score: 0.7 });
  });

  it('measures the area after fitting, so a face half out of the picture ranks by what is visible', () => {
    const raw = [
      { x: -150, y: 0, width: 200, height: 200, score: 0.9 }, // 50 px visible
      { x: 300, y: 100, width: 120, height: 120, score: 0.9 },
    ];
    expect(facesBiggestFirst(raw, image).map((f) => f.index)).toEqual([1, 0]);
  });

  it('puts the more certain of two equal boxes first and leaves out boxes outside the image', () => {
    const raw = [
      { x: 0, y: 0, width: 100, height: 100, score: 0.6 },
      { x: 2000, y: 0, width: 100, height: 100, score: 0.99 },
      { x: 200, y: 0, width: 100, height: 100, score: 0.9 },
    ];
    expect(facesBiggestFirst(raw, image).map((f) => f.index)).toEqual([2, 0]);
  });
});

describe('mergeOverlapping', () => {
  it('measures overlap against the smaller box', () => {
    const big = { x: 0, y: 0, width: 200, height: 200, score: 1 };
    expect(overlapOfSmaller(big, { x: 50, y: 50, width: 50, height: 50, score: 1 })).toBe(1);
    expect(overlapOfSmaller(big, { x: 150, y: 0, width: 100, height: 100, score: 1 })).toBe(0.5);
    expect(overlapOfSmaller(big, { x: 300, y: 0, width: 100, height: 100, score: 1 })).toBe(0);
  });

  it('keeps one face seen by two passes (the more certain) and every face seen once', () => {
    const raw = [
      { x: 100, y: 100, width: 200, height: 200, score: 0.8 }, // pass 1: the learner
      { x: 400, y: 120, width: 60, height: 70, score: 0.3 }, // pass 1: a weak small face
      { x: 110, y: 95, width: 190, height: 210, score: 0.9 }, // pass 2: the learner again
      { x: 402, y: 118, width: 58, height: 72, score: 0.7 }, // pass 2: the small face again
      { x: 520, y: 300, width: 40, height: 50, score: 0.6 }, // pass 2 only: a face on an ID card
    ];
    expect(mergeOverlapping(raw)).toEqual([2, 3, 4]);
  });

  it('keeps faces side by side that touch but do not overlap much', () => {
    const raw = [
      { x: 0, y: 0, width: 200, height: 200, score: 0.9 },
      { x: 180, y: 0, width: 200, height: 200, score: 0.8 },
    ];
    expect(mergeOverlapping(raw)).toEqual([0, 1]);
  });
});
