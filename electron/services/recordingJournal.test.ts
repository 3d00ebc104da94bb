import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHAIN_GENESIS, chainOver } from '../../shared/domain/hashChain';
import type { Logger, LogFields } from '../log';
import { sha256Hex } from './recordingFiles';
import { FsRecordingJournal, type ClosedSegment, type FsRecordingJournalOptions } from './recordingJournal';

let dataDir: string;
let clock: number;
let warnings: { msg: string; fields?: LogFields }[];
const log: Logger = {
  info: () => undefined,
  warn: (msg, fields) => warnings.push({ msg, fields }),
  error: (msg, fields) => warnings.push({ msg, fields }),
};
const T0 = Date.parse('2026-03-01T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const sessionDir = () => join(dataDir, 'recordings', 's1');

function journal(options: Partial<FsRecordingJournalOptions> = {}): FsRecordingJournal {
  return new FsRecordingJournal({ dataDir, now: () => clock, log, freeBytes: async () => 10 * 1024 ** 3, ...options });
}

/** Deterministic, distinct chunk contents. */
const chunkOf = (n: number, size = 1000 + (n % 7) * 100) => Uint8Array.from({ length: size }, (_, i) => (n * 31 + i) % 256);

async function unwrap<T>(promise: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function closed(j: FsRecordingJournal): Promise<ClosedSegment[]> {
  return unwrap(j.closedSegments('s1'));
}

/** Everything the uploader would send for the session, concatenated, plus the metadata. */
async function uploaded(j: FsRecordingJournal) {
  const segments = await closed(j);
  const bytes = Buffer.concat(await Promise.all(segments.map((s) => readFile(s.dataPath))));
  return { segments, bytes };
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'invigil-recording-'));
  clock = T0;
  warnings = [];
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('FsRecordingJournal', () => {
  it('journals chunks with the shared hash chain and closes the take into one uploadable segment', async () => {
    const j = journal();
    expect(await unwrap(j.startTake('s1', iso(T0)))).toEqual({ take: 0, nextChunk: 0 });
    const chunks = [chunkOf(0), chunkOf(1), chunkOf(2)];
    const replies = [];
    for (const chunk of chunks) {
      clock += 2000;
      replies.push(await unwrap(j.appendChunk('s1', 0, chunk)));
    }
    expect(replies.map((r) => r.chunk)).toEqual([0, 1, 2]);
    expect(replies[2]?.chainHead).toBe(chainOver(sha256Hex, CHAIN_GENESIS, chunks));
    expect(j.activity('s1')).toEqual({ openTake: 0, recordingBytes: chunks.reduce((n, c) => n + c.length, 0) });
    expect(await closed(j)).toEqual([]); // still recording: nothing to upload yet

    await unwrap(j.endTake('s1', 0, 'submitted', iso(clock + 500)));
    const { segments, bytes } = await uploaded(j);
    expect(bytes.equals(Buffer.concat(chunks))).toBe(true);
    expect(segments.map((s) => s.wire)).toEqual([
      {
        sessionId: 's1',
        take: '0',
        segment: '0',
        firstChunk: '0',
        chunkSizes: chunks.map((c) => c.length).join(','),
        chainStart: CHAIN_GENESIS,
        chainEnd: replies[2]?.chainHead,
        startedAt: iso(T0),
        endedAt: iso(T0 + 6500),
        takeEnd: 'submitted',
      },
    ]);
    expect(j.activity('s1')).toEqual({ openTake: null, recordingBytes: 0 });
    await j.close();
  });

  it('rolls segments over by size and by age, and the chain runs across them and across takes', async () => {
    const j = journal({ segmentMaxBytes: 3000, segmentMaxMs: 10_000 });
    await unwrap(j.startTake('s1', iso(T0)));
    const all: Uint8Array[] = [];
    for (let n = 0; n < 5; n++) {
      clock += 1000;
      all.push(chunkOf(n, 1200)); // two fit in 3000 bytes, the third rolls over
      await unwrap(j.appendChunk('s1', 0, all.at(-1)!));
    }
    await unwrap(j.endTake('s1', 0, 'camera_lost', iso(clock)));
    expect(await unwrap(j.startTake('s1', iso(clock + 5000)))).toEqual({ take: 1, nextChunk: 5 });
    for (let n = 5; n < 8; n++) {
      clock += 6000; // by age: the third chunk arrives 12 s after the segment opened
      all.push(chunkOf(n, 100));
      await unwrap(j.appendChunk('s1', 1, all.at(-1)!));
    }
    await unwrap(j.endTake('s1', 1, 'submitted', iso(clock)));

    const { segments, bytes } = await uploaded(j);
    expect(bytes.equals(Buffer.concat(all))).toBe(true);
    const meta = segments.map((s) => s.metadata);
    expect(meta.map((m) => [m.take, m.segment, m.firstChunk, m.chunkSizes.length, m.takeEnd])).toEqual([
      [0, 0, 0, 2, undefined],
      [0, 1, 2, 2, undefined],
      [0, 2, 4, 1, 'camera_lost'],
      [1, 0, 5, 2, undefined], // segments count within their take; files count across the session
      [1, 1, 7, 1, 'submitted'],
    ]);
    let head = CHAIN_GENESIS;
    for (const segment of segments) {
      expect(segment.metadata.chainStart).toBe(head);
      const data = await readFile(segment.dataPath);
      let offset = 0;
      const pieces = segment.metadata.chunkSizes.map((size) => data.subarray(offset, (offset += size)));
      head = chainOver(sha256Hex, head, pieces);
      expect(segment.metadata.chainEnd).toBe(head);
    }
    // Segments of a take tile its time: each starts where the previous one ended.
    expect(meta[1]?.startedAt).toBe(meta[0]?.endedAt);
    await j.close();
  });

  it('recovers from a crash mid-append: trims the torn write, closes the take as interrupted, and the next take continues the chain', async () => {
    const before = journal();
    await unwrap(before.startTake('s1', iso(T0)));
    const kept = [chunkOf(0), chunkOf(1)];
    for (const chunk of kept) {
      clock += 3000;
      await unwrap(before.appendChunk('s1', 0, chunk));
    }
    const lastChunkAt = clock;
    // The process dies while writing chunk 2: part of its bytes and half its index line reach the disk.
    await appendFile(join(sessionDir(), '000000.webm'), chunkOf(2).subarray(0, 333));
    await appendFile(join(sessionDir(), '000000.idx'), '{"kind":"chunk","chunk":2,"offs');
    await before.close();

    clock += 60_000;
    const after = journal();
    const { segments, bytes } = await uploaded(after);
    expect(bytes.equals(Buffer.concat(kept))).toBe(true);
    expect(segments.map((s) => [s.metadata.takeEnd, s.metadata.endedAt, s.metadata.chunkSizes])).toEqual([
      ['interrupted', iso(lastChunkAt), kept.map((c) => c.length)],
    ]);
    expect(warnings.map((w) => w.msg)).toContain('recording journal: trimmed a torn write');

    expect(await unwrap(after.startTake('s1', iso(clock)))).toEqual({ take: 1, nextChunk: 2 });
    const next = chunkOf(9);
    const reply = await unwrap(after.appendChunk('s1', 1, next));
    expect(reply).toEqual({ chunk: 2, segment: 1, chainHead: chainOver(sha256Hex, CHAIN_GENESIS, [...kept, next]) });
    await after.close();
  });

  it('trims chunk bytes whose index line never made it, and an index line whose bytes are not all there', async () => {
    const before = journal();
    await unwrap(before.startTake('s1', iso(T0)));
    await unwrap(before.appendChunk('s1', 0, chunkOf(0)));
    await before.close();
    // A whole chunk's bytes written, then death before its index line: that append never resolved.
    await appendFile(join(sessionDir(), '000000.webm'), chunkOf(1));
    const after = journal();
    const { bytes } = await uploaded(after);
    expect(bytes.equals(Buffer.from(chunkOf(0)))).toBe(true);
    await after.close();

    // An index line that claims bytes the data file lacks (a disk that reordered writes) is not trusted either.
    const again = journal();
    await unwrap(again.startTake('s1', iso(T0)));
    await unwrap(again.appendChunk('s1', 1, chunkOf(1)));
    await again.close();
    await writeFile(join(sessionDir(), '000001.webm'), Buffer.from(chunkOf(1)).subarray(0, 10));
    const last = journal();
    const segments = await closed(last);
    expect(segments.map((s) => s.segment)).toEqual([0]); // the damaged open segment held no chunk that verifies
    expect(await unwrap(last.startTake('s1', iso(T0)))).toEqual({ take: 2, nextChunk: 1 });
    await last.close();
  });

  it('closes a take left open with no chunks, and a crash right after a rollover marks the last segment', async () => {
    const first = journal({ segmentMaxBytes: 1500 });
    await unwrap(first.startTake('s1', iso(T0)));
    await unwrap(first.appendChunk('s1', 0, chunkOf(0, 1000)));
    await unwrap(first.appendChunk('s1', 0, chunkOf(1, 1000))); // rolls: segment 0 closes without a take end
    await first.close();
    // Simulate dying between closing segment 0 and writing segment 1's header.
    await rm(join(sessionDir(), '000001.webm'));
    await rm(join(sessionDir(), '000001.idx'));

    const second = journal();
    const segments = await closed(second);
    expect(segments.map((s) => [s.segment, s.metadata.takeEnd])).toEqual([[0, 'interrupted']]);
    expect(await unwrap(second.startTake('s1', iso(T0)))).toEqual({ take: 1, nextChunk: 1 });
    await second.close();

    const third = journal();
    expect(await unwrap(third.startTake('s1', iso(T0)))).toEqual({ take: 2, nextChunk: 1 });
    expect(warnings.map((w) => w.msg)).toContain('recording journal: closed a take left open');
    await third.close();
  });

  it('refuses a chunk with disk_full when free space drops below the floor, keeping what was written', async () => {
    let free = 10 * 1024 ** 3;
    const j = journal({ freeBytes: async () => free, diskFloorBytes: 50 * 1024 ** 2, diskMarginBytes: 100 * 1024 ** 2 });
    expect(await j.checkDisk(1024 ** 3)).toEqual({ freeBytes: free, enough: true });
    expect((await j.checkDisk(free)).enough).toBe(false);

    await unwrap(j.startTake('s1', iso(T0)));
    await unwrap(j.appendChunk('s1', 0, chunkOf(0)));
    free = 50 * 1024 ** 2 + 10;
    const refused = await j.appendChunk('s1', 0, chunkOf(1));
    expect(refused.ok ? null : refused.error.code).toBe('disk_full');
    await unwrap(j.endTake('s1', 0, 'disk_full', iso(T0 + 1000)));
    const { segments, bytes } = await uploaded(j);
    expect(bytes.equals(Buffer.from(chunkOf(0)))).toBe(true);
    expect(segments[0]?.metadata.takeEnd).toBe('disk_full');
    expect(segments[0]?.metadata.chainEnd).toBe(chainOver(sha256Hex, CHAIN_GENESIS, [chunkOf(0)]));
    await j.close();
  });

  it('refuses unsafe session ids, chunks for a take that is not open, and empty chunks', async () => {
    const j = journal();
    const unsafe = await j.startTake('../x', iso(T0));
    expect(unsafe.ok ? null : unsafe.error.code).toBe('invalid_session');
    const early = await j.appendChunk('s1', 0, chunkOf(0));
    expect(early.ok ? null : early.error.code).toBe('take_not_open');
    await unwrap(j.startTake('s1', iso(T0)));
    const empty = await j.appendChunk('s1', 0, new Uint8Array(0));
    expect(empty.ok ? null : empty.error.code).toBe('invalid_chunk');
    expect((await j.endTake('s1', 7, 'submitted', iso(T0))).ok).toBe(false);
    await unwrap(j.endTake('s1', 0, 'submitted', iso(T0)));
    expect((await j.endTake('s1', 0, 'submitted', iso(T0))).ok).toBe(true); // idempotent
    await j.close();
  });

  it('removes an uploaded segment for good, even when the removal was cut short', async () => {
    const j = journal({ segmentMaxBytes: 1500 });
    await unwrap(j.startTake('s1', iso(T0)));
    await unwrap(j.appendChunk('s1', 0, chunkOf(0, 1000)));
    await unwrap(j.appendChunk('s1', 0, chunkOf(1, 1000)));
    await unwrap(j.endTake('s1', 0, 'submitted', iso(T0)));
    await j.removeSegment('s1', 0);
    await j.close();
    // Segment 1's removal died after the data went but before its metadata did.
    await rm(join(sessionDir(), '000001.webm'));
    const after = journal();
    expect(await closed(after)).toEqual([]);
    expect(await readdir(sessionDir())).toEqual(['session.json']);
    expect((await stat(join(sessionDir(), 'session.json'))).size).toBeGreaterThan(0);
    expect(await unwrap(after.startTake('s1', iso(T0)))).toEqual({ take: 1, nextChunk: 2 });
    await after.close();
  });
});
