import type { SegmentMetadata } from '../../../shared/api';
import type { RecordingState, SegmentRow } from './recordingRepo';

export type OrderVerdict =
  | { readonly kind: 'next'; readonly interruptTake: number | null }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'out_of_order'; readonly why: string };

/**
 * Where a finished segment fits: the next one (its chain starts at the head, its first chunk and its
 * take/segment numbers continue what is stored), a replay of one already stored (same place, same
 * chain end: accepted again, stored once), or out of order. Pure, so every case is a unit test.
 */
export function placeSegment(meta: SegmentMetadata, state: RecordingState, existing: SegmentRow | undefined): OrderVerdict {
  if (existing) {
    return existing.chain_end === meta.chainEnd
      ? { kind: 'duplicate' }
      : { kind: 'out_of_order', why: `take ${meta.take} segment ${meta.segment} is already stored with other content` };
  }
  if (meta.chainStart !== state.head) return { kind: 'out_of_order', why: 'its chain does not start at the last segment received' };
  if (meta.firstChunk !== state.chunks) {
    return { kind: 'out_of_order', why: `it starts at chunk ${meta.firstChunk} but ${state.chunks} chunks were received` };
  }
  const last = state.lastTake;
  if (last && meta.take === last.take_index) {
    if (last.end_reason !== null) return { kind: 'out_of_order', why: `take ${meta.take} has already ended` };
    if (meta.segment !== last.segments) {
      return { kind: 'out_of_order', why: `take ${meta.take} continues with segment ${last.segments}, not ${meta.segment}` };
    }
    return { kind: 'next', interruptTake: null };
  }
  if (last && meta.take < last.take_index) return { kind: 'out_of_order', why: `take ${meta.take} is older than take ${last.take_index}` };
  if (meta.segment !== 0) return { kind: 'out_of_order', why: `a new take starts with segment 0, not ${meta.segment}` };
  // A new take while the previous one is open: the app stopped without closing it.
  const interruptTake = last && last.end_reason === null ? last.take_index : null;
  return { kind: 'next', interruptTake };
}
