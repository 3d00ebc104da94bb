import { open, readFile, rename, truncate } from 'node:fs/promises';
import { chainNext } from '../../shared/domain/hashChain';
import type { Logger } from '../log';
import { codeOf, syncDirectory } from './durableFs';
import { parseIndex, segmentPaths, sha256Hex, type ChunkRecord, type SessionFile } from './recordingFiles';
import {
  freshSession,
  listSegmentFiles,
  markTakeEnd,
  readSegmentMeta,
  readSessionFile,
  removeSegmentFiles,
  SessionFileDamaged,
  writeSegmentMeta,
  writeSessionFile,
} from './recordingStore';

/**
 * Start-up recovery of one session folder, before the journal or the uploader touches it:
 * - closed segments whose upload finished but whose removal was interrupted are removed;
 * - the counters catch up with the newest closed segment (a crash between closing it and saving them);
 * - the open segment (data without metadata) is checked line by line against its bytes and the chain;
 *   anything after the last chunk that verifies is a torn write, trimmed; the rest is closed as the end
 *   of an `interrupted` take, at the time of its last chunk;
 * - a take still marked open is closed as `interrupted`.
 * Returns the session's counters as they now stand on disk.
 */
export async function recoverSession(sessionId: string, dir: string, log: Logger): Promise<SessionFile> {
  let file: SessionFile;
  let changed = false;
  try {
    file = (await readSessionFile(dir)) ?? freshSession();
  } catch (error) {
    if (!(error instanceof SessionFileDamaged)) throw error;
    // Never silently restart the chain over data that is still here: rebuild from the segments below.
    log.error('recording journal: session file damaged, rebuilding counters from segments', { sessionId });
    file = freshSession();
    changed = true;
  }

  for (const files of await listSegmentFiles(dir)) {
    if (files.meta && !files.data) {
      await removeSegmentFiles(dir, files.segment); // uploaded; only its removal was cut short
      continue;
    }
    if (files.meta) {
      const meta = await readSegmentMeta(dir, files.segment);
      if (!meta) {
        log.error('recording journal: segment metadata damaged', { sessionId, segment: files.segment });
        continue;
      }
      const { metadata } = meta;
      if (files.segment >= file.nextSegment) {
        file = {
          ...file,
          nextSegment: files.segment + 1,
          takeSegments: metadata.segment + 1,
          nextChunk: metadata.firstChunk + metadata.chunkSizes.length,
          chainHead: metadata.chainEnd,
          nextTake: Math.max(file.nextTake, metadata.take + 1),
          segmentStartsAt: metadata.endedAt,
          openTake: metadata.takeEnd !== undefined && file.openTake?.take === metadata.take ? null : file.openTake,
        };
        changed = true;
      }
      continue;
    }
    const recovered = await recoverOpenSegment(sessionId, dir, files.segment, file, log);
    if (recovered !== file) {
      file = recovered;
      changed = true;
    }
  }

  if (file.openTake !== null) {
    // No open segment was left (the take had no chunks, or ended between segments).
    if (file.nextSegment > 0) await markTakeEnd(dir, file.nextSegment - 1, file.openTake.take, 'interrupted');
    log.warn('recording journal: closed a take left open', { sessionId, take: file.openTake.take });
    file = { ...file, openTake: null, segmentStartsAt: null };
    changed = true;
  }
  if (changed) await writeSessionFile(dir, file);
  return file;
}

async function recoverOpenSegment(sessionId: string, dir: string, segment: number, file: SessionFile, log: Logger): Promise<SessionFile> {
  const paths = segmentPaths(dir, segment);
  const indexBytes = await readFile(paths.index).catch(() => Buffer.alloc(0));
  const parsed = parseIndex(indexBytes);
  const { header } = parsed;
  if (header === null) {
    // The header is written before any chunk: without it no chunk was ever promised.
    await removeSegmentFiles(dir, segment);
    return file;
  }
  if (header.segment !== segment || header.firstChunk !== file.nextChunk || header.chainStart !== file.chainHead) {
    // It does not continue the chain we hold; keep the bytes for a human, out of the upload's way.
    log.error('recording journal: open segment does not continue the chain, set aside', { sessionId, segment });
    for (const path of [paths.data, paths.index]) await rename(path, `${path}.damaged`).catch(() => undefined);
    return file;
  }

  const verified = await verifiedChunks(paths.data, file.chainHead, parsed.chunks.map(({ record }) => record));
  const last = verified.at(-1);
  const dataEnd = last ? last.offset + last.size : 0;
  const indexEnd = verified.length > 0 ? parsed.chunks[verified.length - 1]!.end : parsed.headerEnd;
  if (indexEnd < indexBytes.length || verified.length < parsed.chunks.length) {
    log.warn('recording journal: trimmed a torn write', { sessionId, segment, indexBytes: indexBytes.length - indexEnd });
  }
  await truncateAndSync(paths.data, dataEnd);
  await truncateAndSync(paths.index, indexEnd);
  if (!last) {
    await removeSegmentFiles(dir, segment);
    await syncDirectory(dir);
    return file;
  }
  await writeSegmentMeta(sessionId, dir, header, { chainEnd: last.head, endedAt: last.at, takeEnd: 'interrupted' });
  log.warn('recording journal: closed an interrupted take', { sessionId, take: header.take, segment, chunks: verified.length });
  return {
    ...file,
    nextSegment: segment + 1,
    nextChunk: last.chunk + 1,
    chainHead: last.head,
    nextTake: Math.max(file.nextTake, header.take + 1),
    openTake: null,
    segmentStartsAt: null,
  };
}

/** The index records whose bytes are all present and chain correctly, read one chunk at a time. */
async function verifiedChunks(dataPath: string, chainStart: string, records: readonly ChunkRecord[]): Promise<ChunkRecord[]> {
  const good: ChunkRecord[] = [];
  const handle = await open(dataPath, 'r').catch(() => null);
  if (!handle) return good;
  try {
    let head = chainStart;
    for (const record of records) {
      const buffer = Buffer.alloc(record.size);
      const { bytesRead } = await handle.read(buffer, 0, record.size, record.offset);
      if (bytesRead < record.size) break;
      head = chainNext(sha256Hex, head, buffer);
      if (head !== record.head) break;
      good.push(record);
    }
  } finally {
    await handle.close();
  }
  return good;
}

async function truncateAndSync(path: string, length: number): Promise<void> {
  try {
    await truncate(path, length);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return; // a header-only segment may have no data file yet
    throw error;
  }
  const handle = await open(path, 'r+').catch(() => null);
  if (handle) {
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
