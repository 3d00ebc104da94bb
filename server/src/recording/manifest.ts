import type { GapView, RecordingManifest, TakeEndReason, TakeView } from '../../../shared/api';
import { CHAIN_GENESIS } from '../../../shared/domain/hashChain';
import type { SegmentRow, TakeRow } from './recordingRepo';

const iso = (ms: number): string => new Date(ms).toISOString();

/** The stored segments form one unbroken chain from genesis to the recorded head, chunk after chunk. */
function chainIsWhole(segments: readonly SegmentRow[], head: string): boolean {
  let expectedStart = CHAIN_GENESIS;
  let expectedChunk = 0;
  for (const s of segments) {
    if (s.chain_start !== expectedStart || s.first_chunk !== expectedChunk) return false;
    expectedStart = s.chain_end;
    expectedChunk += s.chunk_count;
  }
  return expectedStart === head;
}

/**
 * What a proctor (or the learner) sees of a session's recording: takes with their times, size and
 * playability; the gaps between takes with the reason the earlier one ended; totals; and whether the
 * stored chain is whole. Times are the client's segment times; a take still recording has no end.
 */
export function assembleManifest(
  sessionId: string,
  head: string | null,
  takes: readonly TakeRow[],
  segments: readonly SegmentRow[],
): RecordingManifest {
  const ordered = [...segments].sort((a, b) => a.first_chunk - b.first_chunk);
  const views: TakeView[] = [...takes]
    .sort((a, b) => a.take_index - b.take_index)
    .map((take) => {
      const own = ordered.filter((s) => s.take_index === take.take_index);
      const first = own[0];
      const last = own[own.length - 1];
      const ended = take.end_reason !== null;
      return {
        index: take.take_index,
        startedAt: iso(first?.started_at ?? take.started_at),
        endedAt: ended ? iso(last?.ended_at ?? take.ended_at) : null,
        endReason: ended ? (take.end_reason as TakeEndReason) : null,
        segments: own.length,
        chunks: own.reduce((n, s) => n + s.chunk_count, 0),
        bytes: own.reduce((n, s) => n + s.bytes, 0),
        durationMs: take.duration_ms,
        playable: take.remux_status === 'done',
      };
    });
  const gaps: GapView[] = [];
  for (let i = 1; i < views.length; i += 1) {
    const before = views[i - 1]!;
    const after = views[i]!;
    if (before.endedAt === null || before.endReason === null) continue;
    // Client clocks can step backwards between takes; a gap never runs backwards.
    const to = Date.parse(after.startedAt) < Date.parse(before.endedAt) ? before.endedAt : after.startedAt;
    gaps.push({ afterTake: before.index, from: before.endedAt, to, reason: before.endReason });
  }
  const chainHead = head ?? CHAIN_GENESIS;
  return {
    sessionId,
    takes: views,
    gaps,
    bytes: ordered.reduce((n, s) => n + s.bytes, 0),
    chunks: ordered.reduce((n, s) => n + s.chunk_count, 0),
    chainHead,
    verified: chainIsWhole(ordered, chainHead),
  };
}
