import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../../shared/api/events';
import { adjacentFlag, buildTimeline, formatSeconds, locate, placeFlags, timelineSecond } from './timeline';

const T = Date.parse('2031-03-03T09:00:00.000Z');
const iso = (s: number) => new Date(T + s * 1000).toISOString();
const take = (index: number, from: number, to: number, playable = true) => ({
  index,
  startedAt: iso(from),
  endedAt: iso(to),
  endReason: 'submitted' as const,
  segments: 1,
  chunks: 1,
  bytes: 1,
  durationMs: (to - from) * 1000,
  playable,
});
const flag = (id: string, at: number, severity: SessionEvent['severity'] = 'medium'): SessionEvent => ({
  id: `00000000-0000-4000-8000-00000000000${id}`,
  kind: 'focus_lost',
  severity,
  startedAt: iso(at),
  endedAt: null,
  reason: `flag ${id}`,
  confidence: null,
  thumbnail: null,
  detail: {},
});

// Take 0 covers 0–60 s, the camera was lost 60–80 s, take 1 covers 80–100 s.
const manifest = {
  takes: [take(0, 0, 60), take(1, 80, 100)],
  gaps: [{ afterTake: 0, from: iso(60), to: iso(80), reason: 'camera_lost' as const }],
};

describe('review timeline', () => {
  it('lays takes and gaps on one wall-clock line from the first take', () => {
    const tl = buildTimeline(manifest, T + 500_000)!;
    expect(tl.duration).toBe(100);
    expect(tl.takes).toEqual([
      { index: 0, from: 0, to: 60, playable: true },
      { index: 1, from: 80, to: 100, playable: true },
    ]);
    expect(tl.gaps).toEqual([{ from: 60, to: 80, reason: 'camera_lost' }]);
    expect(buildTimeline({ takes: [], gaps: [] }, T)).toBeNull();
  });

  it('places flags by time and seeks into the take that recorded them', () => {
    const tl = buildTimeline(manifest, T)!;
    const placed = placeFlags(tl, [flag('3', 90, 'high'), flag('1', 12), flag('2', 70)]);
    expect(placed.map((f) => [f.event.reason, f.at, f.position, f.seek])).toEqual([
      ['flag 1', 12, 0.12, { take: 0, offset: 12 }],
      // In the gap: shown on the line, but there is nothing to play.
      ['flag 2', 70, 0.7, null],
      ['flag 3', 90, 0.9, { take: 1, offset: 10 }],
    ]);
    expect(timelineSecond(tl, 1, 10)).toBe(90);
    expect(locate(tl, 59.5)).toEqual({ take: 0, offset: 59.5 });
  });

  it('clamps flags before the recording to its start', () => {
    const tl = buildTimeline(manifest, T)!;
    const [early] = placeFlags(tl, [flag('1', -30)]);
    expect(early).toMatchObject({ at: -30, position: 0, seek: null });
  });

  it('steps to the next and previous playable flag, skipping ones in gaps', () => {
    const tl = buildTimeline(manifest, T)!;
    const placed = placeFlags(tl, [flag('1', 12), flag('2', 70), flag('3', 90)]);
    expect(adjacentFlag(placed, 0, 1)?.at).toBe(12);
    expect(adjacentFlag(placed, 12, 1)?.at).toBe(90);
    expect(adjacentFlag(placed, 90, 1)).toBeNull();
    expect(adjacentFlag(placed, 90, -1)?.at).toBe(12);
    expect(adjacentFlag(placed, 12.2, -1)).toBeNull();
  });

  it('formats seconds as m:ss or h:mm:ss', () => {
    expect(formatSeconds(0)).toBe('0:00');
    expect(formatSeconds(75.9)).toBe('1:15');
    expect(formatSeconds(3725)).toBe('1:02:05');
  });
});
