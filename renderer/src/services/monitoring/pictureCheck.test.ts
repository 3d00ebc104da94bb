import { describe, expect, it } from 'vitest';
import { blockedReason, greyFromRgba, pictureStats } from './pictureCheck';

const frame = (f: (i: number) => number) => Uint8Array.from({ length: 32 * 24 }, (_, i) => f(i));
const scene = (shift: number) => frame((i) => ((i * 53 + shift * 7) % 180) + 40);

describe('picture check', () => {
  it('a lit, changing scene is not blocked', () => {
    expect(blockedReason(pictureStats(scene(1), scene(0)))).toBeNull();
    expect(blockedReason(pictureStats(scene(0), null))).toBeNull(); // the first sample has nothing to compare with
  });

  it('black frames are dark, a flat picture is covered, an unchanging one is frozen', () => {
    expect(blockedReason(pictureStats(frame((i) => i % 3), null))).toBe('dark');
    expect(blockedReason(pictureStats(frame((i) => 120 + (i % 5)), null))).toBe('covered');
    expect(blockedReason(pictureStats(scene(3), scene(3)))).toBe('frozen');
  });

  it('measures mean, deviation and change', () => {
    const a = frame((i) => (i % 2 ? 100 : 200));
    const b = frame((i) => (i % 2 ? 110 : 210));
    expect(pictureStats(b, a)).toEqual({ mean: 160, deviation: 50, change: 10 });
    expect(pictureStats(a, frame(() => 0).subarray(0, 10)).change).toBeNull(); // another size: not comparable
  });

  it('converts RGBA to luminance', () => {
    expect(Array.from(greyFromRgba(Uint8ClampedArray.from([255, 255, 255, 255, 255, 0, 0, 255, 0, 0, 0, 255])))).toEqual([255, 76, 0]);
  });
});
