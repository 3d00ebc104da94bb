import type { SessionEventKind } from '../../../../shared/api/events';
import type { LiveTile } from '../../../../shared/api/live';
import { formatRemaining } from '../../../../shared/domain/deadline';
import { kindLabel } from '../review/eventText';
import { SEVERITY_LABEL } from '../review/timeline';

/** Tiles on one page of the Live grid. */
export const TILES_PER_PAGE = 16;

/** "12:04 left" by the server's clock (the local one until the first sync), or null between sections. */
export function timeLeftText(tile: Pick<LiveTile, 'sectionEndsAt'>, remaining: (deadline: number) => number | null, nowMs: number): string | null {
  if (tile.sectionEndsAt === null) return null;
  const deadline = Date.parse(tile.sectionEndsAt);
  const left = remaining(deadline) ?? deadline - nowMs;
  return left <= 0 ? 'Time up' : `${formatRemaining(left)} left`;
}

/** "No face (high)": the flag's kind and severity in words. */
export function flagText(flag: LiveTile['recentFlags'][number]): string {
  const severity = (SEVERITY_LABEL as Record<string, string>)[flag.severity] ?? flag.severity;
  return `${kindLabel(flag.kind as SessionEventKind)} (${severity.toLowerCase()})`;
}

export const sectionText = (tile: Pick<LiveTile, 'sectionTitle'>): string => tile.sectionTitle ?? 'Between sections';
