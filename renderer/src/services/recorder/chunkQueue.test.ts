import { describe, expect, it } from 'vitest';
import { fail, ok, type Result } from '../../../../shared/result';
import { chunk } from '../../test/fakeMedia';
import { ChunkQueue } from './chunkQueue';

/** A write the test finishes by hand, to see what the queue does meanwhile. */
function heldWrites() {
  const written: number[] = [];
  const pending: Array<(r: Result<unknown>) => void> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const write = (bytes: Uint8Array) =>
    new Promise<Result<unknown>>((resolve) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      pending.push((r) => {
        inFlight--;
        if (r.ok) written.push(bytes[0]!);
        resolve(r);
      });
    });
  const settle = async (r: Result<unknown> = ok({})) => {
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    pending.shift()?.(r);
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { write, settle, written, stats: () => ({ inFlight, maxInFlight, waitingWrites: pending.length }) };
}

describe('ChunkQueue', () => {
  it('writes chunks in order, one at a time, reading each only when its turn comes', async () => {
    const w = heldWrites();
    const failures: string[] = [];
    const queue = new ChunkQueue({ write: w.write, onFailure: (c) => failures.push(c) });
    const blobs = [chunk(1), chunk(2), chunk(3)];
    for (const b of blobs) queue.push(b.asBlob());
    await w.settle();
    // First write finished; the second is in flight; the third has not been read into memory yet.
    expect(w.written).toEqual([1]);
    expect(blobs.map((b) => b.reads)).toEqual([1, 1, 0]);
    expect(queue.inFlight).toBe(1);
    await w.settle();
    await w.settle();
    const drained = queue.drain();
    await drained;
    expect(w.written).toEqual([1, 2, 3]);
    expect(w.stats().maxInFlight).toBe(1);
    expect(blobs.map((b) => b.reads)).toEqual([1, 1, 1]);
    expect(failures).toEqual([]);
  });

  it('after a failed write drops what waits, reports once, and ignores later chunks', async () => {
    const w = heldWrites();
    const failures: string[] = [];
    const queue = new ChunkQueue({ write: w.write, onFailure: (c) => failures.push(c) });
    const later = chunk(3);
    queue.push(chunk(1).asBlob());
    queue.push(chunk(2).asBlob());
    await w.settle(fail('disk_full', 'no space'));
    queue.push(later.asBlob());
    await queue.drain();
    expect(failures).toEqual(['disk_full']);
    expect(w.written).toEqual([]);
    expect(later.reads).toBe(0);
    expect(w.stats().waitingWrites).toBe(0);
  });

  it('gives up instead of growing without bound when the host stops answering', async () => {
    const w = heldWrites();
    const failures: string[] = [];
    const queue = new ChunkQueue({ write: w.write, onFailure: (c) => failures.push(c), maxWaiting: 3 });
    for (let i = 0; i < 5; i++) queue.push(chunk(i).asBlob());
    expect(failures).toEqual(['stalled']);
    expect(queue.waitingCount).toBe(0);
  });

  it('skips empty chunks (MediaRecorder hands one over at stop now and then)', async () => {
    const w = heldWrites();
    const queue = new ChunkQueue({ write: w.write, onFailure: () => undefined });
    queue.push(chunk(1, 0).asBlob());
    await queue.drain();
    expect(w.stats().waitingWrites).toBe(0);
  });
});
