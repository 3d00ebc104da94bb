import { describe, expect, it } from 'vitest';
import { ServerClock, acceptsWritesAt, computeDeadline, dueWarning, formatRemaining } from './deadline';

const MIN = 60_000;

describe('computeDeadline', () => {
  it('adds the section duration to the opening time', () => {
    expect(computeDeadline({ openedAt: 1_000, durationMinutes: 120, timeMultiplier: 1 })).toBe(1_000 + 120 * MIN);
  });

  it('applies the accommodation multiplier', () => {
    expect(computeDeadline({ openedAt: 0, durationMinutes: 120, timeMultiplier: 1.5 })).toBe(180 * MIN);
  });

  it('is capped by the end of the exam window', () => {
    expect(computeDeadline({ openedAt: 0, durationMinutes: 120, timeMultiplier: 2, windowClosesAt: 90 * MIN })).toBe(90 * MIN);
  });

  it('refuses a multiplier below 1 (an accommodation never takes time away)', () => {
    expect(() => computeDeadline({ openedAt: 0, durationMinutes: 120, timeMultiplier: 0.5 })).toThrow(RangeError);
  });
});

describe('acceptsWritesAt', () => {
  it('accepts writes until deadline + grace, not after', () => {
    expect(acceptsWritesAt(10_000, 10_000 + 30_000, 30_000)).toBe(true);
    expect(acceptsWritesAt(10_000, 10_000 + 30_001, 30_000)).toBe(false);
  });
});

describe('ServerClock', () => {
  const fakeMono = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('estimates server time from a sample and counts with the monotonic clock', () => {
    const mono = fakeMono();
    const clock = new ServerClock(mono.now);
    expect(clock.now()).toBeNull();
    mono.advance(140);
    clock.addSample(100, 140, 5_000_000); // server stamped midway: 120 mono ↔ 5,000,000
    mono.advance(1_000); // mono 1,140
    expect(clock.now()).toBe(5_000_000 + 1_020);
  });

  it('shows less time, never more, by subtracting the uncertainty of the sample', () => {
    const mono = fakeMono();
    const clock = new ServerClock(mono.now);
    mono.advance(200);
    clock.addSample(0, 200, 1_000); // stamped at mono 100, ±100 ms
    expect(clock.remaining(1_000 + 10_000)).toBe(10_000 - 100 - 100);
  });

  it('a change of the computer wall clock cannot add time (only the monotonic clock is read)', () => {
    const mono = fakeMono();
    const clock = new ServerClock(mono.now);
    clock.addSample(0, 0, 0);
    const before = clock.remaining(60 * MIN);
    const realDateNow = Date.now;
    Date.now = () => realDateNow() - 3_600_000; // the learner sets the system clock back an hour
    try {
      expect(clock.remaining(60 * MIN)).toBe(before);
    } finally {
      Date.now = realDateNow;
    }
  });

  it('a forward jump of the monotonic clock (sleep) only takes time away', () => {
    const mono = fakeMono();
    const clock = new ServerClock(mono.now);
    clock.addSample(0, 0, 0);
    mono.advance(20 * MIN);
    expect(clock.remaining(60 * MIN)).toBe(40 * MIN);
  });

  it('a fresh server sample after a sleep corrects the estimate to the server, which is authoritative', () => {
    const mono = fakeMono();
    const clock = new ServerClock(mono.now, 60_000);
    clock.addSample(0, 10, 0);
    // The monotonic clock paused during sleep (some OSes do), so the client thinks 1 min passed; the server says 30.
    mono.advance(MIN);
    clock.addSample(MIN, MIN + 50, 30 * MIN);
    expect(clock.remaining(60 * MIN)).toBeLessThanOrEqual(30 * MIN);
  });

  it('after a sleep that paused the monotonic clock, the next server response corrects the timer at once', () => {
    const mono = fakeMono();
    const clock = new ServerClock(mono.now, 60_000);
    mono.advance(10);
    clock.addSample(0, 10, 0); // tight sample: ±5 ms
    // The laptop sleeps for five minutes; performance.now() does not count them. 30 s of counting later…
    mono.advance(30_000);
    expect(clock.remaining(10 * MIN)).toBeGreaterThan(9 * MIN); // still believes nearly 10 minutes are left
    // …a looser response (±100 ms) arrives, stamped five and a half minutes after the first one.
    mono.advance(200);
    clock.addSample(30_010, 30_210, 5.5 * MIN);
    expect(clock.remaining(10 * MIN)).toBeLessThanOrEqual(4.5 * MIN);
  });

  it('prefers the tightest recent sample but replaces a stale one', () => {
    const mono = fakeMono();
    const clock = new ServerClock(mono.now, 60_000);
    clock.addSample(0, 10, 1_000);
    clock.addSample(100, 400, 1_000 + 245); // loose bracket that agrees: ignored while the tight one is fresh
    mono.advance(500);
    expect(clock.now()).toBe(1_000 + 495);
    mono.advance(120_300);
    clock.addSample(120_500, 120_800, 2_000_000); // the tight sample is stale now
    expect(clock.now()).toBe(2_000_000 + 150);
  });

  it('ignores nonsense samples', () => {
    const clock = new ServerClock(() => 0);
    clock.addSample(10, 5, 1);
    clock.addSample(0, 1, Number.NaN);
    expect(clock.synced).toBe(false);
  });
});

describe('warnings', () => {
  it('fires each warning once, the nearest one first when the page loads late', () => {
    const announced = new Set<number>();
    expect(dueWarning(31 * MIN, announced)).toBeNull();
    expect(dueWarning(30 * MIN, announced)).toBe(30);
    announced.add(30);
    expect(dueWarning(29 * MIN, announced)).toBeNull();
    expect(dueWarning(4 * MIN, announced)).toBe(5);
    announced.add(5).add(10);
    expect(dueWarning(59_000, announced)).toBe(1);
    announced.add(1);
    expect(dueWarning(1_000, announced)).toBeNull();
    expect(dueWarning(0, new Set())).toBeNull();
  });

  it('formats remaining time for the timer', () => {
    expect(formatRemaining(2 * 3_600_000)).toBe('2:00:00');
    expect(formatRemaining(61_001)).toBe('01:02');
    expect(formatRemaining(-5)).toBe('00:00');
  });
});
