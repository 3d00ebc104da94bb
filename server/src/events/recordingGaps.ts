import type { SessionEvent, Severity, TakeEndReason } from '../../../shared/api';
import { assembleManifest } from '../recording/manifest';
import { RecordingRepo } from '../recording/recordingRepo';
import type { Db } from '../sessions/context';
import { uuidFromKey } from './eventIds';

const CAUSE: Readonly<Record<TakeEndReason, string>> = {
  submitted: 'the exam was submitted',
  camera_lost: 'the camera was lost',
  disk_full: 'the disk was full',
  recorder_error: 'the recorder failed',
  interrupted: 'the app stopped without closing the recording',
};

/** Short gaps happen (a camera driver restarting); long ones hide a lot of the exam. */
function gapSeverity(seconds: number): Severity {
  return seconds < 30 ? 'low' : seconds < 300 ? 'medium' : 'high';
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  return s % 60 === 0 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function gapEvent(sessionId: string, key: string, from: number, to: number, reason: TakeEndReason, afterTake: number, resumed: boolean): SessionEvent {
  const seconds = Math.max(0, (to - from) / 1000);
  return {
    id: uuidFromKey(`${sessionId}:recording_gap:${key}`),
    kind: 'recording_gap',
    severity: gapSeverity(seconds),
    startedAt: new Date(from).toISOString(),
    endedAt: new Date(to).toISOString(),
    reason: resumed
      ? `The recording stopped for ${duration(seconds)} after take ${afterTake + 1} (${CAUSE[reason]}) and then went on.`
      : `The recording stopped ${duration(seconds)} before the attempt ended (${CAUSE[reason]}) and did not resume.`,
    confidence: null,
    thumbnail: null,
    detail: { afterTake, seconds: Math.round(seconds), cause: reason },
  };
}

/**
 * `recording_gap` flags, derived when they are read from the takes the server holds, so they always
 * match the recording (a late segment that closes a gap removes its flag) and need no hook in the
 * upload path: a gap between two takes, and the time from a take that ended early (camera lost,
 * crash) to the end of the attempt when no take followed. Ids are derived from the gap, so they are
 * stable across reads. A session without any recording has no gaps here (review sees `recording_missing`).
 */
export async function recordingGaps(db: Db, sessionId: string, attemptEnd: number | null): Promise<SessionEvent[]> {
  const { head, takes, segments } = await new RecordingRepo(db as ConstructorParameters<typeof RecordingRepo>[0]).load(sessionId);
  if (takes.length === 0) return [];
  const manifest = assembleManifest(sessionId, head, takes, segments);
  const events = manifest.gaps.map((g) => gapEvent(sessionId, `take:${g.afterTake}`, Date.parse(g.from), Date.parse(g.to), g.reason, g.afterTake, true));
  const last = manifest.takes[manifest.takes.length - 1]!;
  if (attemptEnd !== null && last.endedAt !== null && last.endReason !== null && last.endReason !== 'submitted') {
    const from = Date.parse(last.endedAt);
    if (attemptEnd > from) events.push(gapEvent(sessionId, `end:${last.index}`, from, attemptEnd, last.endReason, last.index, false));
  }
  return events;
}
