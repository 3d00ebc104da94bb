import type { SessionEvent, Severity } from '../../../../shared/api/events';
import type { RecordingManifest } from '../../../../shared/api/recording';

/**
 * The review screen's one continuous timeline over a session's recording: wall-clock time from the
 * first take's start to the last take's end, with each take a span and each gap between takes blank.
 * A flag is placed by its start time; seeking to it means "that take, that many seconds in".
 */
export interface TimelineTake {
  readonly index: number;
  /** Seconds from the timeline's origin (the first take's start). */
  readonly from: number;
  readonly to: number;
  readonly playable: boolean;
}

export interface TimelineGap {
  readonly from: number;
  readonly to: number;
  readonly reason: string;
}

export interface PlacedFlag {
  readonly event: SessionEvent;
  /** Seconds from the origin (may be negative: before recording began). */
  readonly at: number;
  readonly until: number | null;
  /** 0..1 along the timeline (clamped). */
  readonly position: number;
  /** The take to seek and the offset within it; null when the flag fell in a gap or outside the recording. */
  readonly seek: { readonly take: number; readonly offset: number } | null;
}

export interface Timeline {
  readonly originMs: number;
  readonly duration: number;
  readonly takes: readonly TimelineTake[];
  readonly gaps: readonly TimelineGap[];
}

const seconds = (ms: number) => ms / 1000;

/** Takes without an end (still recording) last their probed duration, or reach `nowMs`. */
export function buildTimeline(manifest: Pick<RecordingManifest, 'takes' | 'gaps'>, nowMs: number): Timeline | null {
  const first = manifest.takes[0];
  if (!first) return null;
  const originMs = Date.parse(first.startedAt);
  const takes = manifest.takes.map((t) => {
    const start = Date.parse(t.startedAt);
    const end = t.durationMs !== null ? start + t.durationMs : t.endedAt !== null ? Date.parse(t.endedAt) : nowMs;
    return { index: t.index, from: seconds(start - originMs), to: seconds(Math.max(start, end) - originMs), playable: t.playable };
  });
  const gaps = manifest.gaps.map((g) => ({ from: seconds(Date.parse(g.from) - originMs), to: seconds(Date.parse(g.to) - originMs), reason: g.reason }));
  const duration = Math.max(0, ...takes.map((t) => t.to), ...gaps.map((g) => g.to));
  return { originMs, duration, takes, gaps };
}

export const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

export function positionOf(timeline: Timeline, second: number): number {
  return timeline.duration > 0 ? clamp01(second / timeline.duration) : 0;
}

/** Which take plays this second of the timeline, and where in it. */
export function locate(timeline: Timeline, second: number): { take: number; offset: number } | null {
  const take = timeline.takes.find((t) => second >= t.from && second <= t.to);
  return take ? { take: take.index, offset: second - take.from } : null;
}

/** The timeline second shown while `take` plays at `offset`. */
export function timelineSecond(timeline: Timeline, take: number, offset: number): number {
  const t = timeline.takes.find((x) => x.index === take);
  return (t?.from ?? 0) + offset;
}

/** Flags in time order, placed on the timeline. */
export function placeFlags(timeline: Timeline, events: readonly SessionEvent[]): PlacedFlag[] {
  return [...events]
    .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt))
    .map((event) => {
      const at = seconds(Date.parse(event.startedAt) - timeline.originMs);
      const until = event.endedAt === null ? null : seconds(Date.parse(event.endedAt) - timeline.originMs);
      return { event, at, until, position: positionOf(timeline, at), seek: locate(timeline, at) };
    });
}

/** The flag after (or before) the current second; flags within half a second count as "here". */
export function adjacentFlag(flags: readonly PlacedFlag[], second: number, direction: 1 | -1): PlacedFlag | null {
  const seekable = flags.filter((f) => f.seek !== null);
  if (direction === 1) return seekable.find((f) => f.at > second + 0.5) ?? null;
  return [...seekable].reverse().find((f) => f.at < second - 0.5) ?? null;
}

/** Words for severities, so colour is never the only sign. */
export const SEVERITY_LABEL: Record<Severity, string> = { info: 'Info', low: 'Low', medium: 'Medium', high: 'High' };

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.floor(total));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
