/**
 * Test helpers for the recording pipeline: a real WebM made by ffmpeg (streamed to a pipe, so like
 * MediaRecorder's it has neither duration nor cues), cut into chunks and segments with their hash
 * chain, and tus uploads both through tus-js-client (as the desktop uploader does) and by hand.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as tus from 'tus-js-client';
import { MAX_SEGMENT_BYTES, type SegmentMetadataInput, type TakeEndReason, UPLOAD_PATH } from '../../shared/api';
import { CHAIN_GENESIS, chainOver } from '../../shared/domain/hashChain';
import { sha256Hex } from '../src/recording/chainHasher';

/** Why ffmpeg-based cases cannot run here, or null when they can. */
export function ffmpegMissing(): string | null {
  for (const tool of ['ffmpeg', 'ffprobe']) {
    const probe = spawnSync(tool, ['-version'], { stdio: 'ignore' });
    if (probe.error || probe.status !== 0) return `${tool} is not installed (apt-get install ffmpeg)`;
  }
  return null;
}

/** A VP8 WebM of `seconds` seconds written to a pipe: no Duration, no Cues, like a browser recording. */
export function liveWebm(seconds: number): Buffer {
  return execFileSync(
    'ffmpeg',
    ['-v', 'error', '-f', 'lavfi', '-i', `testsrc=size=320x240:rate=15`, '-t', String(seconds), '-c:v', 'libvpx', '-b:v', '300k', '-f', 'webm', 'pipe:1'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
}

export function probeDurationMs(file: string): number {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file]).toString();
  return Number.parseFloat(out) * 1000;
}

/** Matroska's Cues element ID: present once a file has a seek index. */
export const CUES_ID = Buffer.from([0x1c, 0x53, 0xbb, 0x6b]);

/** Cuts bytes into chunks of uneven sizes (as MediaRecorder's timeslices are), deterministically. */
export function cutChunks(bytes: Buffer, seed = 7): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  let state = seed;
  while (at < bytes.length) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const size = 500 + (state % 6_000);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

export interface PlannedSegment {
  readonly meta: SegmentMetadataInput;
  readonly bytes: Buffer;
}

export interface TakePlan {
  readonly segments: PlannedSegment[];
  readonly chainEnd: string;
  readonly nextChunk: number;
}

/**
 * Groups chunks into segments of `perSegment` chunks each, chaining from `chainStart`; times run from
 * `startedAtMs` over `durationMs`. The last segment carries `takeEnd` when given.
 */
export function planTake(
  chunks: readonly Buffer[],
  o: { sessionId: string; take: number; perSegment: number; chainStart?: string; firstChunk?: number; startedAtMs: number; durationMs: number; takeEnd?: TakeEndReason },
): TakePlan {
  let head = o.chainStart ?? CHAIN_GENESIS;
  let chunkIndex = o.firstChunk ?? 0;
  const segments: PlannedSegment[] = [];
  const groups = Math.ceil(chunks.length / o.perSegment);
  for (let g = 0; g < groups; g += 1) {
    const own = chunks.slice(g * o.perSegment, (g + 1) * o.perSegment);
    const end = chainOver(sha256Hex, head, own);
    const iso = (fraction: number) => new Date(o.startedAtMs + Math.round(o.durationMs * fraction)).toISOString();
    segments.push({
      bytes: Buffer.concat(own),
      meta: {
        sessionId: o.sessionId,
        take: o.take,
        segment: g,
        firstChunk: chunkIndex,
        chunkSizes: own.map((c) => c.length).join(','),
        chainStart: head,
        chainEnd: end,
        startedAt: iso(g / groups),
        endedAt: iso((g + 1) / groups),
        ...(o.takeEnd && g === groups - 1 ? { takeEnd: o.takeEnd } : {}),
      },
    });
    head = end;
    chunkIndex += own.length;
  }
  return { segments, chainEnd: head, nextChunk: chunkIndex };
}

const metaStrings = (meta: SegmentMetadataInput): Record<string, string> =>
  Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, String(v)]));

/** Uploads one segment with tus-js-client in small PATCHes; rejects with the server's status and body. */
export function uploadWithTusClient(baseUrl: string, token: string, segment: PlannedSegment, chunkSize = 64 * 1024): Promise<void> {
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(segment.bytes, {
      endpoint: `${baseUrl}${UPLOAD_PATH}`,
      headers: { Authorization: `Bearer ${token}` },
      metadata: metaStrings(segment.meta),
      chunkSize,
      retryDelays: null,
      onError: reject,
      onSuccess: () => resolve(),
    });
    upload.start();
  });
}

export function encodeMetadata(meta: Record<string, string>): string {
  return Object.entries(meta)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');
}

export interface RawReply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary error fields
  body: any;
}

async function reply(response: Response): Promise<RawReply> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body };
}

/** A tus creation request by hand, so each header can be wrong on purpose. */
export async function createUpload(
  baseUrl: string,
  o: { token?: string; meta?: SegmentMetadataInput; length?: number; tusResumable?: string | null },
): Promise<RawReply> {
  const headers: Record<string, string> = {};
  if (o.tusResumable !== null) headers['Tus-Resumable'] = o.tusResumable ?? '1.0.0';
  if (o.token) headers['Authorization'] = `Bearer ${o.token}`;
  if (o.meta) headers['Upload-Metadata'] = encodeMetadata(metaStrings(o.meta));
  headers['Upload-Length'] = String(o.length ?? 0);
  return reply(await fetch(`${baseUrl}${UPLOAD_PATH}`, { method: 'POST', headers }));
}

export async function patchUpload(location: string, token: string, bytes: Buffer, offset = 0): Promise<RawReply> {
  return reply(
    await fetch(location, {
      method: 'PATCH',
      headers: {
        'Tus-Resumable': '1.0.0',
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/offset+octet-stream',
        'Upload-Offset': String(offset),
      },
      body: new Uint8Array(bytes),
    }),
  );
}

/** Create + one PATCH with all bytes; returns the PATCH's reply (or the creation's, if that failed). */
export async function uploadByHand(baseUrl: string, token: string, segment: PlannedSegment): Promise<RawReply> {
  const created = await createUpload(baseUrl, { token, meta: segment.meta, length: segment.bytes.length });
  if (created.status !== 201) return created;
  return patchUpload(created.headers.get('location')!, token, segment.bytes);
}

export const OVERSIZED = MAX_SEGMENT_BYTES + 1;
