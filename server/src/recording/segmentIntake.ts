import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { SegmentMetadata } from '../../../shared/api';
import { ApiError } from '../errors';
import { ChainHasher } from './chainHasher';
import { KeyedMutex } from './keyedMutex';
import type { RecordingFiles } from './recordingFiles';
import type { RecordingRepo } from './recordingRepo';
import { placeSegment } from './segmentOrder';
import { fileBeginsWithMagic, mustBeginWithMagic, notWebm } from './webmMagic';

export interface FinishedUpload {
  /** The tus file holding exactly the segment's bytes. */
  readonly path: string;
  readonly size: number;
  readonly meta: SegmentMetadata;
  /** The chain head computed while the bytes arrived (null: they did not fit the declared sizes); absent when nobody hashed them yet. */
  readonly hashed?: string | null | undefined;
}

export interface SegmentIntakeOptions {
  readonly repo: RecordingRepo;
  readonly files: RecordingFiles;
  readonly clock: () => number;
  readonly log: FastifyBaseLogger;
  /** Called when a take has ended and its file is complete. */
  readonly takeEnded: (sessionId: string, take: number) => void;
}

/** Large reads: the fallback hash is sequential and the only per-byte work. */
const READ_HIGH_WATER_MARK = 1024 * 1024;

/**
 * Accepts a finished segment upload: checks that the attempt's upload window is open, that a take's
 * first segment begins with the EBML magic, its place in the session's chain and its chain head, then
 * moves the upload file (same filesystem, no copy) to the take's folder as its segment file, fsyncs
 * the file and the folder, and only then moves the head in the database. Nothing is renamed before
 * the checks pass, so a refused segment never reaches the take. Throws an ApiError on refusal; the
 * caller deletes what is left of the upload whatever happens.
 */
export class SegmentIntake {
  private readonly mutex = new KeyedMutex();

  constructor(private readonly o: SegmentIntakeOptions) {}

  accept(upload: FinishedUpload): Promise<'stored' | 'duplicate'> {
    return this.mutex.run(upload.meta.sessionId, () => this.acceptInOrder(upload));
  }

  private async acceptInOrder({ path, size, meta, hashed }: FinishedUpload): Promise<'stored' | 'duplicate'> {
    const started = this.o.clock();
    const ids = { sessionId: meta.sessionId, take: meta.take, segment: meta.segment };
    // Checked again inside the commit's transaction; this one spares the hashing of a refused segment.
    await this.o.repo.requireOpenWindow(meta.sessionId);
    if (mustBeginWithMagic(meta.segment) && !(await fileBeginsWithMagic(path))) {
      this.o.log.warn({ ...ids, bytes: size }, 'segment refused: a take that does not begin as WebM');
      throw notWebm(meta.take);
    }
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

    // The normal case hashed the bytes as they arrived; an upload finished by the start-up sweep or
    // resumed after the server lost its place is hashed from disk once.
    const chainEnd = hashed !== undefined ? hashed : await hashFile(path, meta);
    if (chainEnd !== meta.chainEnd) {
      this.o.log.warn({ ...ids, bytes: size }, 'segment refused: chain mismatch');
      throw new ApiError('segment_chain_mismatch', 'The bytes received do not match the segment’s hash chain; the segment was discarded.');
    }

    const target = this.o.files.segmentFile(meta.sessionId, meta.take, meta.segment);
    const takeDir = dirname(target);
    const created = await mkdir(takeDir, { recursive: true, mode: 0o700 });
    // The client deletes its copy once we answer: the bytes and the name must both be on disk first.
    await syncPath(path, 'r+');
    // A file left here by a crash between rename and commit is not in the database; it is replaced.
    await rename(path, target);
    await syncPath(takeDir, 'r');
    if (created !== undefined) {
      await syncPath(dirname(takeDir), 'r');
      await syncPath(dirname(dirname(takeDir)), 'r');
    }
    let kept = false;
    try {
      const committed = await this.o.repo.commit({ meta, bytes: size, receivedAt: this.o.clock(), interruptTake: verdict.interruptTake });
      if (!committed) {
        throw new ApiError('segment_out_of_order', 'Another segment took this place in the chain first. Upload the segments in order.');
      }
      kept = true;
    } finally {
      if (!kept) await rm(target, { force: true });
    }
    this.o.log.info({ ...ids, bytes: size, chunks: meta.chunkSizes.length, ms: this.o.clock() - started, takeEnd: meta.takeEnd ?? null }, 'segment stored');
    if (verdict.interruptTake !== null) this.o.takeEnded(meta.sessionId, verdict.interruptTake);
    if (meta.takeEnd) this.o.takeEnded(meta.sessionId, meta.take);
    return 'stored';
  }
}

/** Recomputes the chain over the upload file; null when its bytes do not match the declared sizes. */
async function hashFile(source: string, meta: SegmentMetadata): Promise<string | null> {
  const hasher = new ChainHasher(meta.chainStart, meta.chunkSizes);
  for await (const chunk of createReadStream(source, { highWaterMark: READ_HIGH_WATER_MARK })) hasher.update(chunk as Buffer);
  return hasher.finish();
}

async function syncPath(path: string, flags: 'r' | 'r+'): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
