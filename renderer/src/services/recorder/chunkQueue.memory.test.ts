import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ok } from '../../../../shared/result';
import { FakeBlob } from '../../test/fakeMedia';
import { ChunkQueue } from './chunkQueue';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

// A two-hour exam at a 3 s timeslice is 2,400 MediaRecorder chunks of about 200 KB (0.5 Mbit/s).
// Accelerated: every chunk pushed as fast as the (fake, instant) host takes it. (jsdom's Blob cannot
// read itself back, so the chunks are the suite's FakeBlob, which like a real Blob hands out a copy.)
describe('ChunkQueue over a simulated two-hour recording', () => {
  it('keeps the renderer heap flat: nothing recorded stays in memory', { timeout: 120_000 }, async () => {
    let written = 0;
    const queue = new ChunkQueue({ write: async (bytes) => ((written += bytes.byteLength), ok(null)), onFailure: () => undefined });
    const chunk = new Uint8Array(200 * 1024).fill(7);
    // Warm up (JIT, Blob internals) before the baseline.
    for (let i = 0; i < 50; i++) {
      queue.push(new FakeBlob(chunk.slice()) as unknown as Blob);
      if (i % 10 === 0) await queue.drain(); // a real recorder delivers a chunk every 3 s: never 20 waiting
    }
    await queue.drain();
    const before = heapAfterGc();
    for (let i = 0; i < 2_400; i++) {
      queue.push(new FakeBlob(chunk.slice()) as unknown as Blob);
      if (i % 10 === 0) await queue.drain();
    }
    await queue.drain();
    const growthMb = (heapAfterGc() - before) / 1024 / 1024;
    expect(written).toBe(2_450 * 200 * 1024);
    console.log(`[memory] renderer chunk queue: ${(2_400 * 200) / 1024} MB recorded, heap growth ${growthMb.toFixed(2)} MB`);
    expect(growthMb).toBeLessThan(50);
  });
});
