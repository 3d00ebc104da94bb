import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { silentLogger } from '../log';
import { FsRecordingJournal } from './recordingJournal';

// A two-hour exam, accelerated: one 4 KiB chunk per simulated second (7,200 chunks, 240 segments of
// 30 s), each fsynced for real. The journal must hold nothing per chunk: heap growth stays flat.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

it('keeps memory flat over a simulated two-hour recording', { timeout: 300_000 }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'invigil-recording-memory-'));
  let clock = Date.parse('2026-03-01T09:00:00.000Z');
  const journal = new FsRecordingJournal({ dataDir, now: () => clock, log: silentLogger });
  try {
    const take = await journal.startTake('s1', new Date(clock).toISOString());
    if (!take.ok) throw new Error(take.error.message);
    const chunk = new Uint8Array(4096).fill(7);
    const latencies: number[] = [];
    let baseline = 0;
    for (let second = 0; second < 7200; second++) {
      if (second === 300) baseline = heapAfterGc(); // after warm-up (JIT, first segments)
      clock += 1000;
      const started = performance.now();
      const appended = await journal.appendChunk('s1', take.value.take, chunk);
      latencies.push(performance.now() - started);
      if (!appended.ok) throw new Error(appended.error.message);
    }
    await journal.endTake('s1', take.value.take, 'submitted', new Date(clock).toISOString());
    const growth = heapAfterGc() - baseline;
    const segments = await journal.closedSegments('s1');
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.floor(q * (latencies.length - 1))]!.toFixed(2);
    process.stdout.write(
      `recording journal, 7200 fsynced appends: heap growth ${(growth / 1024 / 1024).toFixed(2)} MB; ` +
        `append latency median ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms\n`,
    );
    expect(segments.ok && segments.value.length).toBe(240);
    expect(growth).toBeLessThan(10 * 1024 * 1024);
  } finally {
    await journal.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
