import { describe, expect, it } from 'vitest';
import { listenForSound } from './listenForSound';

function fakeMedia() {
  let listener: ((dbfs: number) => void) | null = null;
  let stopped = 0;
  return {
    media: {
      listenLevel: (_s: MediaStream, onLevel: (dbfs: number) => void) => {
        listener = onLevel;
        return () => {
          stopped++;
          listener = null;
        };
      },
    },
    level: (dbfs: number) => listener?.(dbfs),
    get stopped() {
      return stopped;
    },
    get listening() {
      return listener !== null;
    },
  };
}

function fakeTimers() {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];
  return {
    deps: {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => {
        const t = { at: now + ms, fn, cancelled: false };
        timers.push(t);
        return () => {
          t.cancelled = true;
        };
      },
    },
    advance(ms: number) {
      now += ms;
      for (const t of timers) {
        if (t.cancelled || t.at > now) continue;
        t.cancelled = true;
        t.fn();
      }
    },
  };
}

const stream = {} as MediaStream;

describe('listenForSound', () => {
  it('resolves as soon as a level above the threshold arrives, with the peak, and stops listening', async () => {
    const m = fakeMedia();
    const t = fakeTimers();
    const heard = listenForSound(m.media, stream, t.deps, 6000);
    m.level(-70);
    t.advance(1200);
    m.level(-30);
    await expect(heard).resolves.toEqual({ heard: true, peakDbfs: -30, listenedMs: 1200 });
    expect(m.listening).toBe(false);
  });

  it('gives up after the time allowed, reporting the loudest level it heard', async () => {
    const m = fakeMedia();
    const t = fakeTimers();
    const quiet = listenForSound(m.media, stream, t.deps, 6000);
    m.level(-62);
    m.level(-55);
    t.advance(6000);
    await expect(quiet).resolves.toEqual({ heard: false, peakDbfs: -55, listenedMs: 6000 });
    expect(m.stopped).toBe(1);
  });

  it('reports no peak when nothing was measured (silence or no samples)', async () => {
    const m = fakeMedia();
    const t = fakeTimers();
    const silent = listenForSound(m.media, stream, t.deps, 100);
    m.level(-Infinity);
    t.advance(100);
    await expect(silent).resolves.toMatchObject({ heard: false, peakDbfs: null });
  });
});
