// mediasoup workers, one Router each. A worker that dies is replaced (with backoff) and its router
// recreated; listeners hear `died` at once (everything on that router is gone) and `replaced` when
// the slot has a router again.
import { EventEmitter } from 'node:events';
import type * as MediasoupModule from 'mediasoup';
import type { types } from 'mediasoup';
import { LIVE_MEDIA_CODECS } from './codecs';

type Mediasoup = typeof MediasoupModule;

export interface WorkerPoolOptions {
  readonly workers: number;
  readonly workerBin: string;
  /** Logs of the pool itself: deaths, replacements. */
  readonly log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Backoff before the first replacement attempt; doubles per failed attempt up to `maxBackoffMs`. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
}

interface Slot {
  readonly index: number;
  worker: types.Worker | null;
  router: types.Router | null;
  /** Sessions and staff sockets assigned to this slot's router. */
  load: number;
  /** Replacement attempts in a row that failed, or workers that died soon after starting. */
  failures: number;
  startedAt: number;
  timer: NodeJS.Timeout | null;
}

/** A worker that ran this long before dying is replaced after the base backoff again. */
const STABLE_MS = 60_000;

export interface WorkerPoolEvents {
  died: [slot: number];
  replaced: [slot: number];
}

export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  private readonly slots: Slot[];
  private closed = false;

  private constructor(
    private readonly mediasoup: Mediasoup,
    private readonly options: WorkerPoolOptions,
  ) {
    super();
    this.slots = Array.from({ length: options.workers }, (_, index) => ({ index, worker: null, router: null, load: 0, failures: 0, startedAt: 0, timer: null }));
  }

  /** Starts every worker; rejects only when none starts (a slot that failed is retried with backoff). */
  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    const mediasoup = await import('mediasoup');
    const pool = new WorkerPool(mediasoup, options);
    const results = await Promise.allSettled(pool.slots.map((slot) => pool.fill(slot)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length === results.length) {
      await pool.close();
      throw failed[0]?.reason instanceof Error ? failed[0].reason : new Error(String(failed[0]?.reason));
    }
    for (const slot of pool.slots) if (!slot.router) pool.scheduleReplacement(slot);
    return pool;
  }

  /** The router of a slot, or null while its worker is being replaced. */
  router(slot: number): types.Router | null {
    return this.slots[slot]?.router ?? null;
  }

  /** Any live router (they all have the same RTP capabilities). */
  anyRouter(): types.Router | null {
    return this.slots.find((s) => s.router)?.router ?? null;
  }

  /** The live slot with the least load, counted as taken; null while no worker runs. */
  assign(): number | null {
    let best: Slot | null = null;
    for (const slot of this.slots) if (slot.router && (best === null || slot.load < best.load)) best = slot;
    if (!best) return null;
    best.load += 1;
    return best.index;
  }

  release(slot: number): void {
    const s = this.slots[slot];
    if (s && s.load > 0) s.load -= 1;
  }

  /** Process ids of the running workers, by slot (null while one is replaced). */
  pids(): Array<number | null> {
    return this.slots.map((s) => s.worker?.pid ?? null);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      slot.router = null;
      const worker = slot.worker;
      slot.worker = null;
      worker?.close();
    }
    this.removeAllListeners();
  }

  private async fill(slot: Slot): Promise<void> {
    const worker = await this.mediasoup.createWorker({ workerBin: this.options.workerBin, logLevel: 'warn' });
    if (this.closed) {
      worker.close();
      return;
    }
    let router: types.Router;
    try {
      router = await worker.createRouter({ mediaCodecs: LIVE_MEDIA_CODECS });
    } catch (error) {
      worker.close();
      throw error;
    }
    slot.worker = worker;
    slot.router = router;
    slot.startedAt = Date.now();
    worker.on('died', (error) => this.onDied(slot, worker, error));
  }

  private onDied(slot: Slot, worker: types.Worker, error: Error): void {
    if (this.closed || slot.worker !== worker) return;
    this.options.log.error({ slot: slot.index, pid: worker.pid, err: error }, 'live: mediasoup worker died; replacing it');
    slot.worker = null;
    slot.router = null;
    slot.load = 0;
    slot.failures = Date.now() - slot.startedAt >= STABLE_MS ? 0 : slot.failures + 1;
    this.emit('died', slot.index);
    this.scheduleReplacement(slot);
  }

  private scheduleReplacement(slot: Slot): void {
    if (this.closed || slot.timer) return;
    const base = this.options.backoffMs ?? 1_000;
    const delay = Math.min(base * 2 ** slot.failures, this.options.maxBackoffMs ?? 30_000);
    slot.timer = setTimeout(() => {
      slot.timer = null;
      this.fill(slot).then(
        () => {
          if (this.closed || !slot.router) return;
          this.options.log.info({ slot: slot.index, pid: slot.worker?.pid }, 'live: mediasoup worker replaced');
          this.emit('replaced', slot.index);
        },
        (error: unknown) => {
          slot.failures += 1;
          this.options.log.warn({ slot: slot.index, err: error, failures: slot.failures }, 'live: could not start a mediasoup worker; retrying');
          this.scheduleReplacement(slot);
        },
      );
    }, delay);
    slot.timer.unref();
  }
}
