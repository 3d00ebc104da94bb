import { mkdir, open, readdir, statfs, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { SegmentMetadata, TakeEndReason } from '../../shared/api/recording';
import { chainNext } from '../../shared/domain/hashChain';
import { fail, ok, type Result } from '../../shared/result';
import type { Logger } from '../log';
import { codeOf, syncDirectory } from './durableFs';
import { encodeLine, segmentPaths, sha256Hex, type ChunkRecord, type SegmentHeader, type SessionFile, type WireMetadata } from './recordingFiles';
import { recoverSession } from './recordingRecovery';
import { dataSize, listSegmentFiles, markTakeEnd, readSegmentMeta, removeSegmentFiles, writeSegmentMeta, writeSessionFile } from './recordingStore';
import { KeyedQueue, SAFE_SESSION_ID } from './keyedQueue';

export type RecordingErrorCode = 'invalid_session' | 'take_not_open' | 'invalid_chunk' | 'disk_full';

/** A segment ready to upload: closed, with its metadata as tus will send it. */
export interface ClosedSegment {
  readonly sessionId: string;
  readonly segment: number;
  readonly dataPath: string;
  readonly bytes: number;
  readonly wire: WireMetadata;
  readonly metadata: SegmentMetadata;
}

/**
 * The webcam recording's durable journal on the host. Every chunk is on disk (fsynced, chained) before
 * `appendChunk` resolves; a crash loses at most the chunk being written, and start-up recovery trims
 * it. Disk failures other than a full disk are thrown as Node errors (the IPC dispatcher maps codes).
 */
export interface RecordingJournal {
  checkDisk(requiredBytes: number): Promise<{ freeBytes: number; enough: boolean }>;
  startTake(sessionId: string, startedAt: string): Promise<Result<{ take: number; nextChunk: number }, RecordingErrorCode>>;
  appendChunk(sessionId: string, take: number, data: Uint8Array): Promise<Result<{ chunk: number; segment: number; chainHead: string }, RecordingErrorCode>>;
  endTake(sessionId: string, take: number, reason: TakeEndReason, endedAt: string): Promise<Result<Record<string, never>, RecordingErrorCode>>;
  /** Sessions that have a folder here (recovered on first touch). */
  sessions(): Promise<string[]>;
  /** Closed, not yet removed segments of a session, in upload order. */
  closedSegments(sessionId: string): Promise<Result<ClosedSegment[], RecordingErrorCode>>;
  /** Called once the server confirmed the segment. */
  removeSegment(sessionId: string, segment: number): Promise<void>;
  /** What is being recorded right now (in memory; nothing when the session was never touched). */
  activity(sessionId: string): { openTake: number | null; recordingBytes: number };
  /** Told after a take starts or ends, a chunk is appended, or a segment closes. */
  onChange(listener: (sessionId: string) => void): () => void;
  /** Closes open file handles. Open takes stay open on disk: the next start closes them as interrupted. */
  close(): Promise<void>;
}

export interface FsRecordingJournalOptions {
  readonly dataDir: string;
  readonly now: () => number;
  readonly log: Logger;
  /** A segment closes once it is this old (journal clock) ... */
  readonly segmentMaxMs?: number;
  /** ... or the next chunk would take it past this size. */
  readonly segmentMaxBytes?: number;
  readonly maxChunkBytes?: number;
  /** Appends are refused below this much free space, so closing the take can still be written. */
  readonly diskFloorBytes?: number;
  /** `checkDisk` wants this much on top of what the caller asks for. */
  readonly diskMarginBytes?: number;
  /** Free bytes on the volume holding `path` (injected by tests). */
  readonly freeBytes?: (path: string) => Promise<number>;
}

type Limits = Required<Pick<FsRecordingJournalOptions, 'segmentMaxMs' | 'segmentMaxBytes' | 'maxChunkBytes' | 'diskFloorBytes' | 'diskMarginBytes'>>;

export const RECORDING_DEFAULTS: Readonly<Limits> = {
  segmentMaxMs: 30_000,
  segmentMaxBytes: 8 * 1024 * 1024,
  maxChunkBytes: 16 * 1024 * 1024,
  diskFloorBytes: 64 * 1024 * 1024,
  diskMarginBytes: 256 * 1024 * 1024,
};


export const statfsFreeBytes = async (path: string): Promise<number> => {
  const stats = await statfs(path);
  return Number(stats.bavail) * Number(stats.bsize);
};

interface OpenSegment {
  readonly header: SegmentHeader;
  readonly data: FileHandle;
  readonly index: FileHandle;
  readonly openedAtMs: number;
  dataBytes: number;
  indexBytes: number;
  lastChunkAt: string;
}

interface SessionState {
  readonly dir: string;
  /** Counters; `nextChunk` and `chainHead` run ahead of session.json while a segment is open. */
  file: SessionFile;
  open: OpenSegment | null;
}

export class FsRecordingJournal implements RecordingJournal {
  private readonly root: string;
  private readonly sessionsById = new Map<string, SessionState>();
  private readonly queues = new KeyedQueue();
  private readonly listeners = new Set<(sessionId: string) => void>();
  private readonly limits: Limits;
  private readonly freeBytes: (path: string) => Promise<number>;

  constructor(private readonly options: FsRecordingJournalOptions) {
    this.root = join(options.dataDir, 'recordings');
    this.limits = {
      segmentMaxMs: options.segmentMaxMs ?? RECORDING_DEFAULTS.segmentMaxMs,
      segmentMaxBytes: options.segmentMaxBytes ?? RECORDING_DEFAULTS.segmentMaxBytes,
      maxChunkBytes: options.maxChunkBytes ?? RECORDING_DEFAULTS.maxChunkBytes,
      diskFloorBytes: options.diskFloorBytes ?? RECORDING_DEFAULTS.diskFloorBytes,
      diskMarginBytes: options.diskMarginBytes ?? RECORDING_DEFAULTS.diskMarginBytes,
    };
    this.freeBytes = options.freeBytes ?? statfsFreeBytes;
  }

  async checkDisk(requiredBytes: number) {
    await mkdir(this.root, { recursive: true });
    const freeBytes = Math.max(0, Math.floor(await this.freeBytes(this.root)));
    return { freeBytes, enough: freeBytes >= requiredBytes + this.limits.diskMarginBytes };
  }

  startTake(sessionId: string, startedAt: string) {
    return this.withSession(sessionId, async (state) => {
      if (state.file.openTake !== null) {
        // The renderer started over without ending the take (reload, crash of the page).
        await this.closeTake(sessionId, state, 'interrupted', state.open?.lastChunkAt ?? state.file.openTake.startedAt);
      }
      const take = state.file.nextTake;
      state.file = { ...state.file, nextTake: take + 1, openTake: { take, startedAt }, takeSegments: 0, segmentStartsAt: startedAt };
      await writeSessionFile(state.dir, state.file);
      this.options.log.info('recording journal: take started', { sessionId, take, nextChunk: state.file.nextChunk });
      this.changed(sessionId);
      return ok({ take, nextChunk: state.file.nextChunk });
    });
  }

  appendChunk(sessionId: string, take: number, data: Uint8Array) {
    return this.withSession(sessionId, async (state) => {
      if (state.file.openTake?.take !== take) return fail('take_not_open', `take ${take} is not open; start a new take`);
      if (data.length === 0 || data.length > this.limits.maxChunkBytes) {
        return fail('invalid_chunk', `a chunk must hold 1 to ${this.limits.maxChunkBytes} bytes`);
      }
      const free = await this.freeBytes(this.root);
      if (free - data.length < this.limits.diskFloorBytes) {
        this.options.log.error('recording journal: disk nearly full, chunk refused', { sessionId, take, freeBytes: free });
        return fail('disk_full', 'The disk is nearly full, so recording has stopped. Free some space.');
      }
      const open = state.open;
      if (open && (this.options.now() - open.openedAtMs >= this.limits.segmentMaxMs || open.dataBytes + data.length > this.limits.segmentMaxBytes)) {
        await this.closeSegment(sessionId, state, open.lastChunkAt);
      }
      const segment = state.open ?? (await this.openSegment(state, take));
      const written = await this.writeChunk(sessionId, state, segment, data);
      if (!written.ok) return written;
      this.changed(sessionId);
      return ok({ chunk: written.value.chunk, segment: segment.header.segment, chainHead: written.value.head });
    });
  }

  endTake(sessionId: string, take: number, reason: TakeEndReason, endedAt: string) {
    return this.withSession(sessionId, async (state) => {
      if (state.file.openTake?.take !== take) {
        // Ending a take twice (or one recovery already closed) is harmless; one that never existed is not.
        return take < state.file.nextTake ? ok({}) : fail('take_not_open', `take ${take} was never started`);
      }
      await this.closeTake(sessionId, state, reason, endedAt);
      this.options.log.info('recording journal: take ended', { sessionId, take, reason });
      return ok({});
    });
  }

  async sessions(): Promise<string[]> {
    await mkdir(this.root, { recursive: true });
    const entries = await readdir(this.root, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory() && SAFE_SESSION_ID.test(entry.name)).map((entry) => entry.name);
  }

  closedSegments(sessionId: string) {
    return this.withSession(sessionId, async (state) => {
      const closed: ClosedSegment[] = [];
      for (const files of await listSegmentFiles(state.dir)) {
        if (!files.meta || !files.data) continue;
        const meta = await readSegmentMeta(state.dir, files.segment);
        if (!meta) {
          this.options.log.error('recording journal: segment metadata damaged', { sessionId, segment: files.segment });
          continue;
        }
        const dataPath = segmentPaths(state.dir, files.segment).data;
        closed.push({ sessionId, segment: files.segment, dataPath, bytes: await dataSize(state.dir, files.segment), ...meta });
      }
      return ok(closed);
    });
  }

  async removeSegment(sessionId: string, segment: number): Promise<void> {
    await this.withSession(sessionId, async (state) => {
      await removeSegmentFiles(state.dir, segment);
      await syncDirectory(state.dir);
      return ok(undefined);
    });
  }

  activity(sessionId: string) {
    const state = this.sessionsById.get(sessionId);
    return { openTake: state?.file.openTake?.take ?? null, recordingBytes: state?.open?.dataBytes ?? 0 };
  }

  onChange(listener: (sessionId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.queues.idle();
    for (const state of this.sessionsById.values()) {
      if (state.open) await closeHandles(state.open);
      state.open = null;
    }
    this.sessionsById.clear();
  }

  private async openSegment(state: SessionState, take: number): Promise<OpenSegment> {
    const header: SegmentHeader = {
      kind: 'segment',
      take,
      segment: state.file.nextSegment,
      segmentInTake: state.file.takeSegments,
      firstChunk: state.file.nextChunk,
      chainStart: state.file.chainHead,
      startedAt: state.file.segmentStartsAt ?? new Date(this.options.now()).toISOString(),
    };
    const paths = segmentPaths(state.dir, header.segment);
    const data = await open(paths.data, 'w');
    const index = await open(paths.index, 'w').catch(async (error: unknown) => {
      await data.close();
      throw error;
    });
    const line = Buffer.from(encodeLine(header));
    const segment: OpenSegment = { header, data, index, openedAtMs: this.options.now(), dataBytes: 0, indexBytes: 0, lastChunkAt: header.startedAt };
    try {
      await writeAll(index, line, 0);
      await index.datasync();
      await syncDirectory(state.dir);
    } catch (error) {
      await closeHandles(segment);
      await removeSegmentFiles(state.dir, header.segment).catch(() => undefined);
      throw error;
    }
    segment.indexBytes = line.length;
    state.open = segment;
    return segment;
  }

  private async writeChunk(sessionId: string, state: SessionState, open: OpenSegment, data: Uint8Array): Promise<Result<ChunkRecord, RecordingErrorCode>> {
    const head = chainNext(sha256Hex, state.file.chainHead, data);
    const record: ChunkRecord = {
      kind: 'chunk',
      chunk: state.file.nextChunk,
      offset: open.dataBytes,
      size: data.length,
      head,
      at: new Date(this.options.now()).toISOString(),
    };
    const line = Buffer.from(encodeLine(record));
    try {
      // Bytes first, then the index line that vouches for them: an index line never points at missing data.
      await writeAll(open.data, data, open.dataBytes);
      await open.data.datasync();
      await writeAll(open.index, line, open.indexBytes);
      await open.index.datasync();
    } catch (error) {
      await this.undoPartialWrite(sessionId, state, open);
      if (isDiskFull(error)) {
        this.options.log.error('recording journal: disk full while writing a chunk', { sessionId, chunk: record.chunk });
        return fail('disk_full', 'The disk is full, so recording has stopped. Free some space.');
      }
      throw error;
    }
    open.dataBytes += data.length;
    open.indexBytes += line.length;
    open.lastChunkAt = record.at;
    state.file = { ...state.file, nextChunk: record.chunk + 1, chainHead: head };
    return ok(record);
  }

  /** Cuts both files back to the last complete chunk, so a failed append leaves nothing half-written. */
  private async undoPartialWrite(sessionId: string, state: SessionState, open: OpenSegment): Promise<void> {
    try {
      await open.data.truncate(open.dataBytes);
      await open.index.truncate(open.indexBytes);
      await open.data.datasync();
      await open.index.datasync();
    } catch (undo) {
      this.options.log.error('recording journal: could not undo a failed append', { sessionId, code: codeOf(undo) });
      // Forget the session: the next call reloads it, and recovery trims whatever is torn.
      await closeHandles(open).catch(() => undefined);
      state.open = null;
      this.sessionsById.delete(sessionId);
    }
  }

  private async closeSegment(sessionId: string, state: SessionState, endedAt: string, takeEnd?: TakeEndReason): Promise<void> {
    const open = state.open;
    if (!open) return;
    await closeHandles(open);
    state.open = null;
    const metadata = await writeSegmentMeta(sessionId, state.dir, open.header, { chainEnd: state.file.chainHead, endedAt, takeEnd });
    state.file = { ...state.file, nextSegment: open.header.segment + 1, takeSegments: open.header.segmentInTake + 1, segmentStartsAt: metadata.endedAt };
    await writeSessionFile(state.dir, state.file);
    this.options.log.info('recording journal: segment closed', { sessionId, take: metadata.take, segment: metadata.segment, chunks: metadata.chunkSizes.length, bytes: open.dataBytes });
    this.changed(sessionId);
  }

  private async closeTake(sessionId: string, state: SessionState, reason: TakeEndReason, endedAt: string): Promise<void> {
    const take = state.file.openTake?.take;
    if (take === undefined) return;
    if (state.open) await this.closeSegment(sessionId, state, endedAt, reason);
    else if (state.file.nextSegment > 0) await markTakeEnd(state.dir, state.file.nextSegment - 1, take, reason);
    state.file = { ...state.file, openTake: null, segmentStartsAt: null };
    await writeSessionFile(state.dir, state.file);
    this.changed(sessionId);
  }

  private changed(sessionId: string): void {
    for (const listener of this.listeners) {
      try {
        listener(sessionId);
      } catch (error) {
        this.options.log.error('recording journal: change listener threw', { error: error instanceof Error ? error.name : typeof error });
      }
    }
  }

  private withSession<T>(sessionId: string, run: (state: SessionState) => Promise<Result<T, RecordingErrorCode>>): Promise<Result<T, RecordingErrorCode>> {
    if (!SAFE_SESSION_ID.test(sessionId)) {
      return Promise.resolve(fail('invalid_session', 'sessionId may contain only letters, digits, "-" and "_"'));
    }
    return this.queues.run(sessionId, async () => run(this.sessionsById.get(sessionId) ?? (await this.load(sessionId))));
  }

  private async load(sessionId: string): Promise<SessionState> {
    const dir = join(this.root, sessionId);
    await mkdir(dir, { recursive: true });
    const file = await recoverSession(sessionId, dir, this.options.log);
    const state: SessionState = { dir, file, open: null };
    this.sessionsById.set(sessionId, state);
    return state;
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

async function closeHandles(open: OpenSegment): Promise<void> {
  await Promise.allSettled([open.data.close(), open.index.close()]);
}

const isDiskFull = (error: unknown): boolean => codeOf(error) === 'ENOSPC' || codeOf(error) === 'EDQUOT';
