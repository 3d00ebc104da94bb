import { describe, expect, it } from 'vitest';
import { CHAIN_GENESIS } from '../../../shared/domain/hashChain';
import { assembleManifest } from './manifest';
import type { SegmentRow, TakeRow } from './recordingRepo';

const T = Date.parse('2031-03-03T09:00:00.000Z');
const h = (n: number): string => String(n).padStart(64, 'a');

function segment(take: number, index: number, firstChunk: number, chunks: number, start: string, end: string, from: number, to: number): SegmentRow {
  return {
    session_id: 's1',
    take_index: take,
    segment_index: index,
    first_chunk: firstChunk,
    chunk_count: chunks,
    bytes: chunks * 100,
    chain_start: start,
    chain_end: end,
    started_at: T + from,
    ended_at: T + to,
    received_at: T + to + 500,
  };
}

function take(index: number, endReason: string | null, status: TakeRow['remux_status'], durationMs: number | null): TakeRow {
  return {
    session_id: 's1',
    take_index: index,
    started_at: 0,
    ended_at: 0,
    end_reason: endReason,
    segments: 0,
    chunks: 0,
    bytes: 0,
    remux_status: status,
    duration_ms: durationMs,
  };
}

describe('assembleManifest', () => {
  const segments = [
    segment(0, 0, 0, 3, CHAIN_GENESIS, h(1), 0, 15_000),
    segment(0, 1, 3, 2, h(1), h(2), 15_000, 25_000),
    segment(1, 0, 5, 4, h(2), h(3), 40_000, 60_000),
  ];

  it('lists takes from their segments, with the gap between them and why it happened', () => {
    const manifest = assembleManifest('s1', h(3), [take(0, 'camera_lost', 'done', 25_010), take(1, null, 'recording', null)], segments);
    expect(manifest.takes).toEqual([
      {
        index: 0,
        startedAt: '2031-03-03T09:00:00.000Z',
        endedAt: '2031-03-03T09:00:25.000Z',
        endReason: 'camera_lost',
        segments: 2,
        chunks: 5,
        bytes: 500,
        durationMs: 25_010,
        playable: true,
      },
      {
        index: 1,
        startedAt: '2031-03-03T09:00:40.000Z',
        endedAt: null,
        endReason: null,
        segments: 1,
        chunks: 4,
        bytes: 400,
        durationMs: null,
        playable: false,
      },
    ]);
    expect(manifest.gaps).toEqual([{ afterTake: 0, from: '2031-03-03T09:00:25.000Z', to: '2031-03-03T09:00:40.000Z', reason: 'camera_lost' }]);
    expect(manifest).toMatchObject({ sessionId: 's1', bytes: 900, chunks: 9, chainHead: h(3), verified: true });
  });

  it('is empty and vacuously verified before anything arrives', () => {
    expect(assembleManifest('s1', null, [], [])).toEqual({
      sessionId: 's1',
      takes: [],
      gaps: [],
      bytes: 0,
      chunks: 0,
      chainHead: CHAIN_GENESIS,
      verified: true,
    });
  });

  it('is not verified when the stored chain has a hole or ends elsewhere', () => {
    const takes = [take(0, 'camera_lost', 'done', 1), take(1, null, 'recording', null)];
    expect(assembleManifest('s1', h(3), takes, [segments[0]!, segments[2]!]).verified).toBe(false);
    expect(assembleManifest('s1', h(9), takes, segments).verified).toBe(false);
    const skipped = [segments[0]!, segments[1]!, { ...segments[2]!, first_chunk: 6 }];
    expect(assembleManifest('s1', h(3), takes, skipped).verified).toBe(false);
  });

  it('never reports a gap that runs backwards when client clocks step back', () => {
    const early = [segments[0]!, segments[1]!, { ...segments[2]!, started_at: T + 20_000 }];
    const manifest = assembleManifest('s1', h(3), [take(0, 'interrupted', 'done', 1), take(1, 'submitted', 'pending', null)], early);
    expect(manifest.gaps).toEqual([{ afterTake: 0, from: '2031-03-03T09:00:25.000Z', to: '2031-03-03T09:00:25.000Z', reason: 'interrupted' }]);
  });
});
