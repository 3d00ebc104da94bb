import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { SegmentMetadata, type SegmentMetadataInput } from '../../shared/api/recording';
import type { Sha256Hex } from '../../shared/domain/hashChain';

/**
 * On-disk format of the recording journal, under `<dataDir>/recordings/<sessionId>/`:
 *
 * - `session.json`   counters that must outlive uploaded (deleted) segments: next take, open take,
 *                    next segment, next chunk, chain head. Replaced atomically at take start/end and
 *                    whenever a segment closes.
 * - `NNNNNN.webm`    a segment's bytes: whole MediaRecorder chunks, appended and fsynced.
 * - `NNNNNN.idx`     JSON lines: a header (take, first chunk, chain start), then one line per chunk
 *                    (index, offset, size, chain head, time), each fsynced after the chunk's bytes.
 * - `NNNNNN.json`    the closed segment's SegmentMetadata as tus Upload-Metadata (all strings),
 *                    written atomically; its presence is what makes a segment closed and uploadable.
 *
 * File numbers run across the whole session (0, 1, 2 ...), so the upload order is the file order; the
 * metadata's `segment` counts within the take (0 starts a take), as the server expects.
 */

export const sha256Hex: Sha256Hex = (parts) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const Count = z.number().int().nonnegative();

export const SessionFile = z.object({
  version: z.literal(1),
  nextTake: Count,
  openTake: z.object({ take: Count, startedAt: z.string() }).nullable(),
  /** Next segment *file* number: segment files are numbered across the session, so file order is upload order. */
  nextSegment: Count,
  /** Segments the open take has closed so far: SegmentMetadata numbers segments within their take. */
  takeSegments: Count.default(0),
  nextChunk: Count,
  chainHead: Hex64,
  /** Where the open take's next segment starts: the take's start, then each closed segment's end. */
  segmentStartsAt: z.string().nullable(),
});
export type SessionFile = z.infer<typeof SessionFile>;

export const SegmentHeader = z.object({
  kind: z.literal('segment'),
  take: Count,
  /** The file number. */
  segment: Count,
  /** The segment's index within its take, as the server numbers it. */
  segmentInTake: Count,
  firstChunk: Count,
  chainStart: Hex64,
  startedAt: z.string(),
});
export type SegmentHeader = z.infer<typeof SegmentHeader>;

export const ChunkRecord = z.object({
  kind: z.literal('chunk'),
  chunk: Count,
  offset: Count,
  size: z.number().int().positive(),
  head: Hex64,
  at: z.string(),
});
export type ChunkRecord = z.infer<typeof ChunkRecord>;

export const encodeLine = (record: SegmentHeader | ChunkRecord): string => `${JSON.stringify(record)}\n`;

export const segmentName = (segment: number): string => String(segment).padStart(6, '0');
export const SEGMENT_FILE = /^(\d{6})\.(webm|idx|json)$/;

export interface SegmentPaths {
  readonly data: string;
  readonly index: string;
  readonly meta: string;
}

export function segmentPaths(sessionDir: string, segment: number): SegmentPaths {
  const name = segmentName(segment);
  return { data: join(sessionDir, `${name}.webm`), index: join(sessionDir, `${name}.idx`), meta: join(sessionDir, `${name}.json`) };
}

export interface ParsedIndex {
  readonly header: SegmentHeader | null;
  /** Bytes of the index up to the end of the header line. */
  readonly headerEnd: number;
  /** Chunk records that are complete lines, valid, and consecutive (index and offset), with where each line ends. */
  readonly chunks: { readonly record: ChunkRecord; readonly end: number }[];
}

const NEWLINE = 0x0a;

/**
 * Reads an index file's bytes. A line counts only if it ends in a newline, parses, and continues the
 * sequence (chunk number and offset); the first line that does not ends the trusted part, because
 * appends are strictly sequential, so anything after it belongs to an append that never resolved.
 */
export function parseIndex(bytes: Buffer): ParsedIndex {
  const chunks: { record: ChunkRecord; end: number }[] = [];
  let header: SegmentHeader | null = null;
  let headerEnd = 0;
  let start = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(NEWLINE, start);
    if (end === -1) break;
    const json = parseJson(bytes.subarray(start, end).toString('utf8'));
    if (header === null) {
      const parsed = SegmentHeader.safeParse(json);
      if (!parsed.success) break;
      header = parsed.data;
      headerEnd = end + 1;
    } else {
      const parsed = ChunkRecord.safeParse(json);
      const previous = chunks.at(-1)?.record;
      const expectedChunk = previous ? previous.chunk + 1 : header.firstChunk;
      const expectedOffset = previous ? previous.offset + previous.size : 0;
      if (!parsed.success || parsed.data.chunk !== expectedChunk || parsed.data.offset !== expectedOffset) break;
      chunks.push({ record: parsed.data, end: end + 1 });
    }
    start = end + 1;
  }
  return { header, headerEnd, chunks };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // fails the schema: the caller treats the line as torn
  }
}

/** The wire form of SegmentMetadata (tus Upload-Metadata values are strings). */
export type WireMetadata = Record<string, string>;

export function toWireMetadata(metadata: SegmentMetadataInput): WireMetadata {
  const wire: WireMetadata = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (value !== undefined) wire[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return wire;
}

/** Validates a meta file read back from disk (files on the learner's machine are input, too). */
export function parseWireMetadata(json: unknown): { wire: WireMetadata; metadata: SegmentMetadata } | null {
  const strings = z.record(z.string(), z.string()).safeParse(json);
  if (!strings.success) return null;
  const parsed = SegmentMetadata.safeParse(strings.data);
  return parsed.success ? { wire: strings.data, metadata: parsed.data } : null;
}
