import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServerClock } from '../../../../shared/domain/deadline';
import { SectionCountdown } from './sectionCountdown';

const MIN = 60_000;

describe('SectionCountdown', () => {
  let mono: number;
  let clock: ServerClock;
  const warnings: number[] = [];
  const ticks: Array<number | null> = [];
  let expired: number;

  const start = (deadline: number) => {
    const c = new SectionCountdown({
      deadline,
      clock,
      setInterval: (fn, ms) => {
        const id = setInterval(fn, ms);
        return () => clearInterval(id);
      },
      onTick: (ms) => ticks.push(ms),
      onWarning: (m) => warnings.push(m),
      onExpire: () => (expired += 1),
    });
    c.start();
    return c;
  };
  /** Moves the monotonic clock and the interval timers together. */
  const pass = async (ms: number) => {
    const step = 1_000;
    for (let t = 0; t < ms; t += step) {
      mono += step;
      await vi.advanceTimersByTimeAsync(step);
    }
  };

  beforeEach(() => {
    vi.useFakeTimers();
    mono = 0;
    clock = new ServerClock(() => mono);
    clock.addSample(0, 0, 1_000_000); // server time 1,000,000 at mono 0, no uncertainty
    warnings.length = 0;
    ticks.length = 0;
    expired = 0;
  });
  afterEach(() => vi.useRealTimers());

  it('announces 30, 10, 5 and 1 minutes once each, then expires exactly once at zero', async () => {
    start(1_000_000 + 31 * MIN);
    await pass(31 * MIN + 5_000);
    expect(warnings).toEqual([30, 10, 5, 1]);
    expect(expired).toBe(1);
    expect(ticks.at(-1)).toBe(0);
  });

  it('after a late start (a reload) announces only the thresholds still ahead', async () => {
    start(1_000_000 + 8 * MIN);
    await pass(4 * MIN);
    expect(warnings).toEqual([5]);
  });

  it('follows the server clock, not the local one: a re-sync that shows less time moves the expiry earlier', async () => {
    start(1_000_000 + 3 * MIN);
    await pass(60_000);
    // The server says two minutes more have gone by than the monotonic clock measured (e.g. a sleep).
    clock.addSample(mono, mono, 1_000_000 + 3 * MIN);
    await pass(1_000);
    expect(expired).toBe(1);
  });

  it('does not warn at the start of a section no longer than a threshold', async () => {
    start(1_000_000 + 10 * MIN);
    await pass(10_000);
    expect(warnings).toEqual([]);
    await pass(5 * MIN);
    expect(warnings).toEqual([5]);
  });

  it('shows nothing and never expires before the first server sample', async () => {
    clock = new ServerClock(() => mono);
    start(1_000_000);
    await pass(5_000);
    expect(ticks.every((t) => t === null)).toBe(true);
    expect(expired).toBe(0);
  });
});
