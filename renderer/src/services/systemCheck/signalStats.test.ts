import { describe, expect, it } from 'vitest';
import { meanLuminance, meterFraction, rmsDbfs } from './signalStats';

const frame = (r: number, g: number, b: number, pixels = 16) => Array.from({ length: pixels }, () => [r, g, b, 255]).flat();

describe('meanLuminance', () => {
  it('is 0 for black, 255 for white and weights green most', () => {
    expect(meanLuminance(frame(0, 0, 0))).toBe(0);
    expect(meanLuminance(frame(255, 255, 255))).toBeCloseTo(255, 6);
    expect(meanLuminance(frame(0, 255, 0))).toBeGreaterThan(meanLuminance(frame(255, 0, 0)));
    expect(meanLuminance(frame(255, 0, 0))).toBeGreaterThan(meanLuminance(frame(0, 0, 255)));
  });

  it('averages over pixels and ignores alpha', () => {
    const half = [...frame(0, 0, 0, 2), ...frame(200, 200, 200, 2)].map((v, i) => (i % 4 === 3 ? 0 : v));
    expect(meanLuminance(half)).toBeCloseTo(100, 6);
    expect(meanLuminance([])).toBe(0);
  });
});

describe('microphone level', () => {
  it('reads a full-scale square wave as 0 dBFS, a tenth of it as −20, silence as −Infinity', () => {
    const square = Array.from({ length: 256 }, (_, i) => (i % 2 ? 1 : -1));
    expect(rmsDbfs(square)).toBeCloseTo(0, 6);
    expect(rmsDbfs(square.map((v) => v / 10))).toBeCloseTo(-20, 6);
    expect(rmsDbfs(new Float32Array(128))).toBe(-Infinity);
  });

  it('maps levels onto the meter between −60 and 0 dBFS', () => {
    expect(meterFraction(-Infinity)).toBe(0);
    expect(meterFraction(-80)).toBe(0);
    expect(meterFraction(-30)).toBeCloseTo(0.5, 6);
    expect(meterFraction(0)).toBe(1);
    expect(meterFraction(3)).toBe(1);
  });
});
