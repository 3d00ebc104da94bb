import type { Kysely, Selectable } from 'kysely';
import type { SegmentMetadata } from '../../../shared/api';
import { CHAIN_GENESIS } from '../../../shared/domain/hashChain';
import { dialectOf } from '../db/connect';
import type { Database, RecordingSegmentsTable, RecordingTakesTable, RemuxStatus } from '../db/schema';
import { isUniqueViolation } from '../db/uniqueViolation';
import { requireOpenWindow } from './uploadWindow';

export type TakeRow = Selectable<RecordingTakesTable>;
export type SegmentRow = Selectable<RecordingSegmentsTable>;

export interface RecordingState {
  readonly head: string;
  readonly chunks: number;
  /** The session's latest take, if any. */
  readonly lastTake: TakeRow | null;
}

export interface SegmentCommit {
  readonly meta: SegmentMetadata;
  readonly bytes: number;
  readonly receivedAt: number;
  /** An earlier take left open (the app stopped without closing it) that this segment's new take closes. */
  readonly interruptTake: number | null;
}

/** The recording tables: one head per session, takes, and the segments that make them. */
export class RecordingRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Throws session_closed unless the attempt's recording may still be uploaded to. */
  requireOpenWindow(sessionId: string): Promise<void> {
    return requireOpenWindow(this.db, sessionId, { lock: false, dialect: dialectOf(this.db) });
  }

  async state(sessionId: string): Promise<RecordingState> {
    const recording = await this.db.selectFrom('recordings').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
    const lastTake = await this.db
      .selectFrom('recording_takes')
      .selectAll()
      .where('session_id', '=', sessionId)
      .orderBy('take_index', 'desc')
      .limit(1)
      .executeTakeFirst();
    return { head: recording?.chain_head ?? CHAIN_GENESIS, chunks: recording?.chunks ?? 0, lastTake: lastTake ?? null };
  }

  segment(sessionId: string, take: number, segment: number): Promise<SegmentRow | undefined> {
    return this.db
      .selectFrom('recording_segments')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('take_index', '=', take)
      .where('segment_index', '=', segment)
      .executeTakeFirst();
  }

  /**
   * Moves the head from the segment's chainStart to its chainEnd, compare-and-swap, and records the
   * segment and its take in the same transaction. False when another writer moved the head first.
   * Throws session_closed when the attempt's upload window has closed; in PostgreSQL the session row is
   * locked for it, so a review decision lands either before (refused) or after (the segment counted).
   */
  async commit({ meta, bytes, receivedAt, interruptTake }: SegmentCommit): Promise<boolean> {
    const chunkCount = meta.chunkSizes.length;
    try {
      return await this.db.transaction().execute(async (trx) => {
        await requireOpenWindow(trx, meta.sessionId, { lock: true, dialect: dialectOf(this.db) });
        if (meta.chainStart === CHAIN_GENESIS) {
          await trx
            .insertInto('recordings')
            .values({ session_id: meta.sessionId, chain_head: meta.chainEnd, segments: 1, chunks: chunkCount, bytes, updated_at: receivedAt })
            .execute();
        } else {
          const moved = await trx
            .updateTable('recordings')
            .set((eb) => ({
              chain_head: meta.chainEnd,
              segments: eb('segments', '+', 1),
              chunks: eb('chunks', '+', chunkCount),
              bytes: eb('bytes', '+', bytes),
              updated_at: receivedAt,
            }))
            .where('session_id', '=', meta.sessionId)
            .where('chain_head', '=', meta.chainStart)
            .executeTakeFirst();
          if (moved.numUpdatedRows !== 1n) return false;
        }
        if (interruptTake !== null) {
          await trx
            .updateTable('recording_takes')
            .set({ end_reason: 'interrupted', remux_status: 'pending' })
            .where('session_id', '=', meta.sessionId)
            .where('take_index', '=', interruptTake)
            .where('end_reason', 'is', null)
            .execute();
        }
        await trx
          .insertInto('recording_segments')
          .values({
            session_id: meta.sessionId,
            take_index: meta.take,
            segment_index: meta.segment,
            first_chunk: meta.firstChunk,
            chunk_count: chunkCount,
            bytes,
            chain_start: meta.chainStart,
            chain_end: meta.chainEnd,
            started_at: Date.parse(meta.startedAt),
            ended_at: Date.parse(meta.endedAt),
            received_at: receivedAt,
          })
          .execute();
        const ended = { end_reason: meta.takeEnd ?? null, remux_status: (meta.takeEnd ? 'pending' : 'recording') as RemuxStatus };
        if (meta.segment === 0) {
          await trx
            .insertInto('recording_takes')
            .values({
              session_id: meta.sessionId,
              take_index: meta.take,
              started_at: Date.parse(meta.startedAt),
              ended_at: Date.parse(meta.endedAt),
              segments: 1,
              chunks: chunkCount,
              bytes,
              duration_ms: null,
              ...ended,
            })
            .execute();
        } else {
          await trx
            .updateTable('recording_takes')
            .set((eb) => ({
              ended_at: Date.parse(meta.endedAt),
              segments: eb('segments', '+', 1),
              chunks: eb('chunks', '+', chunkCount),
              bytes: eb('bytes', '+', bytes),
              ...ended,
            }))
            .where('session_id', '=', meta.sessionId)
            .where('take_index', '=', meta.take)
            .execute();
        }
        return true;
      });
    } catch (error) {
      // Two first segments racing to create the head: the loser is simply out of order.
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async setRemux(sessionId: string, take: number, status: RemuxStatus, durationMs: number | null): Promise<void> {
    await this.db
      .updateTable('recording_takes')
      .set({ remux_status: status, duration_ms: durationMs })
      .where('session_id', '=', sessionId)
      .where('take_index', '=', take)
      .execute();
  }

  /** Takes that ended but were not remuxed yet (the server stopped with them queued). */
  pendingRemux(): Promise<Pick<TakeRow, 'session_id' | 'take_index'>[]> {
    return this.db.selectFrom('recording_takes').select(['session_id', 'take_index']).where('remux_status', '=', 'pending').execute();
  }

  take(sessionId: string, take: number): Promise<TakeRow | undefined> {
    return this.db
      .selectFrom('recording_takes')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('take_index', '=', take)
      .executeTakeFirst();
  }

  async load(sessionId: string): Promise<{ head: string | null; takes: TakeRow[]; segments: SegmentRow[] }> {
    const recording = await this.db.selectFrom('recordings').select('chain_head').where('session_id', '=', sessionId).executeTakeFirst();
    const takes = await this.db.selectFrom('recording_takes').selectAll().where('session_id', '=', sessionId).orderBy('take_index').execute();
    const segments = await this.db
      .selectFrom('recording_segments')
      .selectAll()
      .where('session_id', '=', sessionId)
      .orderBy('first_chunk')
      .orderBy('take_index')
      .orderBy('segment_index')
      .execute();
    return { head: recording?.chain_head ?? null, takes, segments };
  }
}
