import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { SegmentMetadata } from '../../../shared/api';
import { ApiError } from '../errors';
import { ChainHasher } from './chainHasher';
import { KeyedMutex } from './keyedMutex';
import type { RecordingFiles } from './recordingFiles';
import type { RecordingRepo } from './recordingRepo';
import { placeSegment } from './segmentOrder';

export interface FinishedUpload {
  /** The tus file holding exactly the segment's bytes. */
  readonly path: string;
  readonly size: number;
  readonly meta: SegmentMetadata;
}

export interface SegmentIntakeOptions {
  readonly repo: RecordingRepo;
  readonly files: RecordingFiles;
  readonly clock: () => number;
  readonly log: FastifyBaseLogger;
  /** Called when a take has ended and its file is complete. */
  readonly takeEnded: (sessionId: string, take: number) => void;
}

/** Large reads: the copy is sequential and the hash is the only per-byte work. */
const COPY_HIGH_WATER_MARK = 1024 * 1024;

/**
 * Accepts a finished segment upload: checks its place in the session's chain, then in one pass over
 * the file recomputes the chain and appends the bytes to the take file, fsyncs, and only then moves the
 * head in the database. The take file is first cut back to the length the database vouches for, so a
 * crash between append and commit never leaves stray bytes in a take. Throws an ApiError on refusal;
 * the caller deletes the upload whatever happens.
 */
export class SegmentIntake {
  private readonly mutex = new KeyedMutex();

  constructor(private readonly o: SegmentIntakeOptions) {}

  accept(upload: FinishedUpload): Promise<'stored' | 'duplicate'> {
    return this.mutex.run(upload.meta.sessionId, () => this.acceptInOrder(upload));
  }

  private async acceptInOrder({ path, size, meta }: FinishedUpload): Promise<'stored' | 'duplicate'> {
    const started = this.o.clock();
    const ids = { sessionId: meta.sessionId, take: meta.take, segment: meta.segment };
    const state = await this.o.repo.state(meta.sessionId);
    const verdict = placeSegment(meta, state, await this.o.repo.segment(meta.sessionId, meta.take, meta.segment));
    if (verdict.kind === 'duplicate') {
      this.o.log.info({ ...ids, bytes: size }, 'segment already stored; replay discarded');
      return 'duplicate';
    }
    if (verdict.kind === 'out_of_order') {
      this.o.log.warn({ ...ids, why: verdict.why }, 'segment refused: out of order');
      throw new ApiError('segment_out_of_order', `This segment is out of order: ${verdict.why}. Upload the segments in order.`);
    }

    const takePath = this.o.files.takeFile(meta.sessionId, meta.take);
    await mkdir(dirname(takePath), { recursive: true });
    const take = await open(takePath, 'a');
    let kept = false;
    try {
      await take.truncate(verdict.takeBytes);
      const chainEnd = await appendHashing(path, take, meta);
      if (chainEnd !== meta.chainEnd) {
        this.o.log.warn({ ...ids, bytes: size }, 'segment refused: chain mismatch');
        throw new ApiError(
          'segment_chain_mismatch',
          'The bytes received do not match the segment’s hash chain; the segment was discarded.',
        );
      }
      await take.sync();
      const committed = await this.o.repo.commit({ meta, bytes: size, receivedAt: this.o.clock(), interruptTake: verdict.interruptTake });
      if (!committed) {
        throw new ApiError('segment_out_of_order', 'Another segment took this place in the chain first. Upload the segments in order.');
      }
      kept = true;
    } finally {
      if (!kept) await take.truncate(verdict.takeBytes);
      await take.close();
      // A refused first segment leaves no empty take file behind.
      if (!kept && verdict.takeBytes === 0) await rm(takePath, { force: true });
    }
    this.o.log.info({ ...ids, bytes: size, chunks: meta.chunkSizes.length, ms: this.o.clock() - started, takeEnd: meta.takeEnd ?? null }, 'segment stored');
    if (verdict.interruptTake !== null) this.o.takeEnded(meta.sessionId, verdict.interruptTake);
    if (meta.takeEnd) this.o.takeEnded(meta.sessionId, meta.take);
    return 'stored';
  }
}

/** Streams the segment onto the end of the take while hashing it; returns the chain head, or null on a size mismatch. */
async function appendHashing(source: string, take: FileHandle, meta: SegmentMetadata): Promise<string | null> {
  const hasher = new ChainHasher(meta.chainStart, meta.chunkSizes);
  for await (const chunk of createReadStream(source, { highWaterMark: COPY_HIGH_WATER_MARK })) {
    hasher.update(chunk as Buffer);
    await take.write(chunk as Buffer);
  }
  return hasher.finish();
}
