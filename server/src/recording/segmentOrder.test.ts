import { describe, expect, it } from 'vitest';
import { SegmentMetadata } from '../../../shared/api';
import { CHAIN_GENESIS } from '../../../shared/domain/hashChain';
import type { RecordingState, TakeRow } from './recordingRepo';
import { placeSegment } from './segmentOrder';

const h = (n: number): string => String(n).padStart(64, 'b');
const meta = (over: Partial<Record<string, string>>) =>
  SegmentMetadata.parse({
    sessionId: 's1',
    take: '0',
    segment: '0',
    firstChunk: '0',
    chunkSizes: '10,10',
    chainStart: CHAIN_GENESIS,
    chainEnd: h(1),
    startedAt: '2031-03-03T09:00:00.000Z',
    endedAt: '2031-03-03T09:00:10.000Z',
    ...over,
  });
const take = (index: number, segments: number, endReason: string | null): TakeRow => ({
  session_id: 's1',
  take_index: index,
  started_at: 0,
  ended_at: 0,
  end_reason: endReason,
  segments,
  chunks: 2 * segments,
  bytes: 20 * segments,
  remux_status: endReason ? 'pending' : 'recording',
  duration_ms: null,
});
const after = (lastTake: TakeRow | null, head = h(1), chunks = 2): RecordingState => ({ head, chunks, lastTake });

describe('placeSegment', () => {
  it('takes the first segment of a session and the next one of a take', () => {
    expect(placeSegment(meta({}), after(null, CHAIN_GENESIS, 0), undefined)).toEqual({ kind: 'next', interruptTake: null });
    const second = meta({ segment: '1', firstChunk: '2', chainStart: h(1), chainEnd: h(2) });
    expect(placeSegment(second, after(take(0, 1, null)), undefined)).toEqual({ kind: 'next', interruptTake: null });
  });

  it('closes an open take as interrupted when a new take starts', () => {
    const next = meta({ take: '1', firstChunk: '2', chainStart: h(1), chainEnd: h(2) });
    expect(placeSegment(next, after(take(0, 1, null)), undefined)).toEqual({ kind: 'next', interruptTake: 0 });
    expect(placeSegment(next, after(take(0, 1, 'camera_lost')), undefined)).toEqual({ kind: 'next', interruptTake: null });
  });

  it('recognises a replay by its place and chain end', () => {
    const stored = { chain_end: h(1) } as Parameters<typeof placeSegment>[2];
    expect(placeSegment(meta({}), after(take(0, 1, null)), stored)).toEqual({ kind: 'duplicate' });
    expect(placeSegment(meta({ chainEnd: h(7) }), after(take(0, 1, null)), stored).kind).toBe('out_of_order');
  });

  it('refuses what does not continue the chain, the chunks or the take', () => {
    const cases = [
      meta({ segment: '1', firstChunk: '2', chainStart: h(9) }),
      meta({ segment: '1', firstChunk: '3', chainStart: h(1) }),
      meta({ segment: '2', firstChunk: '2', chainStart: h(1) }),
      meta({ take: '1', segment: '1', firstChunk: '2', chainStart: h(1) }),
    ];
    for (const c of cases) expect(placeSegment(c, after(take(0, 1, null)), undefined).kind).toBe('out_of_order');
    const afterEnd = meta({ segment: '1', firstChunk: '2', chainStart: h(1) });
    expect(placeSegment(afterEnd, after(take(0, 1, 'submitted')), undefined).kind).toBe('out_of_order');
    const older = meta({ take: '0', segment: '0', firstChunk: '2', chainStart: h(1), chainEnd: h(5) });
    expect(placeSegment(older, after(take(1, 1, null)), undefined).kind).toBe('out_of_order');
  });
});
