import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CHAIN_GENESIS } from '../../shared/domain/hashChain';
import type { TakeEndReason } from '../../shared/api/recording';
import { codeOf, writeFileAtomically } from './durableFs';
import {
  parseIndex,
  parseWireMetadata,
  SEGMENT_FILE,
  segmentPaths,
  SessionFile,
  toWireMetadata,
  type SegmentHeader,
  type WireMetadata,
} from './recordingFiles';
import type { SegmentMetadata } from '../../shared/api/recording';

/** File-level helpers of the recording journal: the session file, segment listings, closing a segment. */

export const freshSession = (): SessionFile => ({
  version: 1,
  nextTake: 0,
  openTake: null,
  nextSegment: 0,
  takeSegments: 0,
  nextChunk: 0,
  chainHead: CHAIN_GENESIS,
  segmentStartsAt: null,
});

const sessionPath = (dir: string): string => join(dir, 'session.json');

/** null when there is no file; throws `SessionFileDamaged` when it does not parse. */
export async function readSessionFile(dir: string): Promise<SessionFile | null> {
  let text: string;
  try {
    text = await readFile(sessionPath(dir), 'utf8');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SessionFileDamaged();
  }
  const parsed = SessionFile.safeParse(json);
  if (!parsed.success) throw new SessionFileDamaged();
  return parsed.data;
}

export class SessionFileDamaged extends Error {
  constructor() {
    super('session.json of a recording is damaged');
    this.name = 'SessionFileDamaged';
  }
}

export async function writeSessionFile(dir: string, file: SessionFile): Promise<void> {
  await writeFileAtomically(sessionPath(dir), `${JSON.stringify(file)}\n`, 'write');
}

export interface SegmentFiles {
  readonly segment: number;
  readonly data: boolean;
  readonly index: boolean;
  readonly meta: boolean;
}

/** The session folder's segment files, grouped by segment number, ascending. */
export async function listSegmentFiles(dir: string): Promise<SegmentFiles[]> {
  const found = new Map<number, { data: boolean; index: boolean; meta: boolean }>();
  for (const name of await readdir(dir)) {
    const match = SEGMENT_FILE.exec(name);
    if (!match) continue;
    const segment = Number(match[1]);
    const entry = found.get(segment) ?? { data: false, index: false, meta: false };
    if (match[2] === 'webm') entry.data = true;
    else if (match[2] === 'idx') entry.index = true;
    else entry.meta = true;
    found.set(segment, entry);
  }
  return [...found.entries()].sort(([a], [b]) => a - b).map(([segment, entry]) => ({ segment, ...entry }));
}

export async function readSegmentMeta(dir: string, segment: number): Promise<{ wire: WireMetadata; metadata: SegmentMetadata } | null> {
  try {
    return parseWireMetadata(JSON.parse(await readFile(segmentPaths(dir, segment).meta, 'utf8')));
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

export async function dataSize(dir: string, segment: number): Promise<number> {
  return (await stat(segmentPaths(dir, segment).data)).size;
}

/**
 * Makes a segment closed: its SegmentMetadata, with the chunk sizes read back from its index (so
 * they are never held in memory), written atomically beside it.
 */
export async function writeSegmentMeta(
  sessionId: string,
  dir: string,
  header: SegmentHeader,
  end: { chainEnd: string; endedAt: string; takeEnd?: TakeEndReason },
): Promise<SegmentMetadata> {
  const paths = segmentPaths(dir, header.segment);
  const { chunks } = parseIndex(await readFile(paths.index));
  const wire = toWireMetadata({
    sessionId,
    take: header.take,
    segment: header.segmentInTake,
    firstChunk: header.firstChunk,
    chunkSizes: chunks.map(({ record }) => record.size).join(','),
    chainStart: header.chainStart,
    chainEnd: end.chainEnd,
    startedAt: header.startedAt,
    endedAt: end.endedAt < header.startedAt ? header.startedAt : end.endedAt,
    takeEnd: end.takeEnd,
  });
  const parsed = parseWireMetadata(wire);
  if (!parsed) throw new Error('the journal built invalid segment metadata'); // a bug, not an expected failure
  await writeFileAtomically(paths.meta, `${JSON.stringify(wire)}\n`, 'close');
  return parsed.metadata;
}

/** Adds a take's end reason to an already closed segment that lacks it (a take ended between segments). */
export async function markTakeEnd(dir: string, segment: number, take: number, reason: TakeEndReason): Promise<boolean> {
  const meta = await readSegmentMeta(dir, segment).catch(() => null);
  if (!meta || meta.metadata.take !== take || meta.metadata.takeEnd !== undefined) return false;
  await writeFileAtomically(segmentPaths(dir, segment).meta, `${JSON.stringify({ ...meta.wire, takeEnd: reason })}\n`, 'mark');
  return true;
}

/** Deletes a segment's files; the meta goes last, so an interrupted removal never looks like an open segment. */
export async function removeSegmentFiles(dir: string, segment: number): Promise<void> {
  const paths = segmentPaths(dir, segment);
  await rm(paths.data, { force: true });
  await rm(paths.index, { force: true });
  await rm(paths.meta, { force: true });
}
