import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorker, OEM, type Worker } from 'tesseract.js';

/** Starts one engine; injected so the pool's own behaviour can be tested without tesseract. */
export type StartOcrWorker = () => Promise<Worker>;

export interface OcrPoolLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * A tesseract.js worker as the `id:read` CLI runs it: LSTM only, English best_int data from the
 * `@tesseract.js-data/eng` package folder, nothing fetched and nothing cached on disk.
 */
export function startNodeOcrWorker(log: OcrPoolLog): Promise<Worker> {
  const req = createRequire(import.meta.url);
  const langPath = join(dirname(req.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
  return createWorker('eng', OEM.LSTM_ONLY, {
    langPath,
    cacheMethod: 'none',
    gzip: true,
    // Without a handler tesseract.js rethrows a failed job from its message handler (uncaught).
    errorHandler: (error: unknown) => log.warn({ error: String(error) }, 'OCR engine reported an error'),
  });
}

interface Slot {
  worker: Promise<Worker> | null;
  busy: boolean;
}

/**
 * A fixed number of long-lived tesseract.js workers (each a Node worker thread), started on first
 * use. A job waits for a free worker; a job that throws leaves its worker in an unknown state, so
 * that worker is ended and the next job on its slot starts a fresh one. How many jobs may wait is
 * the caller's decision (IdentityInspector refuses beyond its bound).
 */
export class OcrPool {
  private readonly slots: Slot[];
  private readonly waiting: ((slot: Slot) => void)[] = [];
  private closed = false;

  constructor(
    private readonly o: { readonly size: number; readonly start: StartOcrWorker; readonly log: OcrPoolLog },
  ) {
    if (!Number.isInteger(o.size) || o.size < 1) throw new Error(`OCR pool size must be a positive integer, not ${o.size}`);
    this.slots = Array.from({ length: o.size }, () => ({ worker: null, busy: false }));
  }

  /** Starts every worker now (without waiting for a job); errors are logged, the next job retries. */
  warm(): Promise<void> {
    return Promise.all(
      this.slots.map((slot) =>
        this.workerOf(slot).then(
          () => undefined,
          (error: unknown) => this.o.log.warn({ error: String(error) }, 'OCR engine failed to start'),
        ),
      ),
    ).then(() => undefined);
  }

  async run<T>(job: (worker: Worker) => Promise<T>): Promise<T> {
    const slot = await this.acquire();
    try {
      const worker = await this.workerOf(slot);
      return await job(worker);
    } catch (error) {
      await this.drop(slot);
      throw error;
    } finally {
      this.release(slot);
    }
  }

  /** Ends every worker; jobs still waiting are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake({ worker: null, busy: true });
    await Promise.all(this.slots.map((slot) => this.drop(slot)));
  }

  private acquire(): Promise<Slot> {
    if (this.closed) return Promise.reject(new Error('the OCR pool is closed'));
    const free = this.slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve, reject) => {
      this.waiting.push((slot) => (this.closed ? reject(new Error('the OCR pool is closed')) : resolve(slot)));
    });
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next && !this.closed) next(slot);
    else slot.busy = false;
  }

  private workerOf(slot: Slot): Promise<Worker> {
    if (this.closed) return Promise.reject(new Error('the OCR pool is closed'));
    if (!slot.worker) {
      const started = performance.now();
      const starting = this.o.start();
      slot.worker = starting;
      starting.then(
        () => this.o.log.info({ ms: Math.round(performance.now() - started) }, 'OCR engine ready'),
        () => {
          if (slot.worker === starting) slot.worker = null;
        },
      );
    }
    return slot.worker;
  }

  private async drop(slot: Slot): Promise<void> {
    const worker = slot.worker;
    slot.worker = null;
    if (!worker) return;
    try {
      await (await worker).terminate();
    } catch (error) {
      this.o.log.warn({ error: String(error) }, 'OCR engine did not stop cleanly');
    }
  }
}
