import { createWorker as tesseractCreateWorker, OEM } from 'tesseract.js';
import type { LoggerMessage, Worker, WorkerOptions } from 'tesseract.js';
import { fail, ok, type Result } from '../../../../shared/result';
import type { IdReading } from '../../../../shared/domain/idReading';
import type { Logger } from '../logger';
import { vendorAssets } from '../vendorAssets';
import { idFieldsOf } from '../../../../shared/ocr/idFields';
import { readIdImage, type ReadStage } from '../../../../shared/ocr/idReader';
import type { IdRead, OcrErrorCode, OcrProgress, OcrService } from './ocrService';

/** tesseract.js's `createWorker` (injected so tests run a fake engine). */
export type CreateOcrWorker = (langs: string, oem: OEM, options: Partial<WorkerOptions>) => Promise<Worker>;

export interface BrowserOcrServiceDeps {
  readonly log: Logger;
  readonly createWorker?: CreateOcrWorker;
  /** Where the worker script, cores and language data are served from (never a CDN). */
  readonly assets?: { readonly tesseractWorker: string; readonly tesseractCore: string; readonly tessdata: string };
  readonly now?: () => number;
  /**
   * A small still read once when the worker starts, so the first ID read does not pay for the
   * engine's first run (in Chromium the first read took 1.3 s, later ones 0.2 s on the same card).
   * Null skips it. Default: a line of print drawn on a canvas.
   */
  readonly warmUpImage?: () => Promise<Blob | null>;
}

type Listener = (p: OcrProgress) => void;

// tesseract.js reports these statuses while it starts; anything else while starting is engine loading.
const LANGUAGE_STATUSES = new Set(['loading language traineddata', 'initializing api']);
const RECOGNIZING = 'recognizing text';

const ENGINE_UNAVAILABLE = 'The ID reader could not start on this computer. Restart the app; if it happens again, contact support.';
const READ_FAILED = 'The ID reader could not read this photo. Take the photo again.';

/**
 * The app's offline ID reader: one long-lived tesseract.js worker (started by `warm()` or by the
 * first read), its worker script, LSTM core and English data from the app's own `vendor/` folder.
 * Reads share the one worker and run one at a time, in the order they were asked for.
 */
export class BrowserOcrService implements OcrService {
  private readonly createWorker: CreateOcrWorker;
  private readonly assets: NonNullable<BrowserOcrServiceDeps['assets']>;
  private readonly now: () => number;
  private readonly warmUpImage: () => Promise<Blob | null>;
  private worker: Promise<Worker> | null = null;
  /** Who hears progress now: the caller of `warm()` while starting, then the read in progress. */
  private listener: Listener | null = null;
  private stage: ReadStage = 'reading';
  /** While the worker starts (and reads its warm-up line), every engine message is a loading stage. */
  private starting = false;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(private readonly deps: BrowserOcrServiceDeps) {
    this.createWorker = deps.createWorker ?? (tesseractCreateWorker as CreateOcrWorker);
    this.assets = deps.assets ?? vendorAssets;
    this.now = deps.now ?? (() => performance.now());
    this.warmUpImage = deps.warmUpImage ?? drawnLine;
  }

  async warm(onProgress?: Listener): Promise<Result<{ ms: number }, OcrErrorCode>> {
    return this.serially(async () => {
      const started = this.now();
      const worker = await this.startedWorker(onProgress);
      return worker.ok ? ok({ ms: Math.round(this.now() - started) }) : worker;
    });
  }

  async readId(
    image: Blob | HTMLCanvasElement,
    size: { readonly width: number; readonly height: number },
    onProgress?: Listener,
  ): Promise<Result<IdRead, OcrErrorCode>> {
    return this.serially(async () => {
      const worker = await this.startedWorker(onProgress);
      if (!worker.ok) return worker;
      const started = this.now();
      let still: Blob;
      try {
        // A canvas would be encoded again for every pass; one PNG (lossless) serves them all.
        still = image instanceof Blob ? image : await canvasToPng(image);
      } catch (err) {
        this.deps.log.error('ID still could not be encoded', { error: errorText(err) });
        return fail('read_failed', READ_FAILED);
      }
      this.listener = onProgress ?? null;
      try {
        const reading = await readIdImage(worker.value, still, { width: size.width, height: size.height }, {
          onStage: (stage) => {
            this.stage = stage;
            this.listener?.({ stage: stage === 'checking_mrz' ? 'checking_mrz' : 'reading', fraction: 0 });
          },
        });
        const ms = Math.round(this.now() - started);
        this.deps.log.info('ID read', { ms, mrzValid: reading.mrzValid, nameSource: reading.nameSource, width: size.width, height: size.height });
        return ok(toIdRead(reading, ms));
      } catch (err) {
        this.deps.log.error('ID read failed', { error: errorText(err), ms: Math.round(this.now() - started) });
        // An engine that threw mid-read may be in any state: the next read starts a fresh one.
        await this.dropWorker();
        return fail('read_failed', READ_FAILED);
      } finally {
        this.listener = null;
        this.stage = 'reading';
      }
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue;
    await this.dropWorker();
  }

  /** Runs `task` after every task asked for before it (one worker, one job at a time). */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async startedWorker(onProgress?: Listener): Promise<Result<Worker, OcrErrorCode>> {
    if (this.disposed) return fail('engine_unavailable', ENGINE_UNAVAILABLE);
    if (!this.worker) {
      const started = this.now();
      this.listener = onProgress ?? null;
      this.starting = true;
      this.listener?.({ stage: 'loading_engine', fraction: 0 });
      const creating = this.createWorker('eng', OEM.LSTM_ONLY, {
        workerPath: this.assets.tesseractWorker,
        corePath: this.assets.tesseractCore,
        langPath: this.assets.tessdata,
        // The CSP allows workers only from 'self': no blob: worker, and nothing cached in IndexedDB.
        workerBlobURL: false,
        cacheMethod: 'none',
        gzip: true,
        logger: (m) => this.onEngineMessage(m),
        // Without a handler tesseract.js rethrows a failed job from its message handler (uncaught).
        errorHandler: (e: unknown) => this.deps.log.warn('OCR engine reported an error', { error: errorText(e) }),
      });
      this.worker = creating;
      try {
        const worker = await creating;
        try {
          const sample = await this.warmUpImage();
          if (sample) await worker.recognize(sample, {}, { blocks: true, text: false });
        } catch (err) {
          await worker.terminate().catch(() => undefined);
          throw err;
        }
        this.deps.log.info('OCR engine ready', { ms: Math.round(this.now() - started) });
      } catch (err) {
        this.worker = null;
        this.deps.log.error('OCR engine failed to start', { error: errorText(err) });
        return fail('engine_unavailable', ENGINE_UNAVAILABLE);
      } finally {
        this.listener = null;
        this.starting = false;
      }
    }
    return ok(await this.worker);
  }

  private onEngineMessage(m: LoggerMessage): void {
    const listener = this.listener;
    if (!listener) return;
    const fraction = Number.isFinite(m.progress) ? Math.min(1, Math.max(0, m.progress)) : null;
    if (m.status === RECOGNIZING && !this.starting) listener({ stage: this.stage === 'checking_mrz' ? 'checking_mrz' : 'reading', fraction });
    // The warm-up read comes after the language data: it stays in that last loading stage.
    else listener({ stage: LANGUAGE_STATUSES.has(m.status) || m.status === RECOGNIZING ? 'loading_language' : 'loading_engine', fraction });
  }

  private async dropWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    try {
      await (await worker).terminate();
    } catch (err) {
      this.deps.log.warn('OCR engine did not stop cleanly', { error: errorText(err) });
    }
  }
}

function toIdRead(r: IdReading, ms: number): IdRead {
  return { fields: idFieldsOf(r), mrzFailures: r.mrzFailures, ms };
}

/** Dark print on white, the kind of line an ID holds, for the warm-up read; null without a 2-D canvas. */
async function drawnLine(): Promise<Blob | null> {
  const canvas = document.createElement('canvas');
  canvas.width = 480;
  canvas.height = 96;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#111';
  ctx.font = '28px sans-serif';
  ctx.fillText('SURNAME Given Names 01/02/1990', 12, 40);
  ctx.font = '24px monospace';
  ctx.fillText('P<UTOSURNAME<<GIVEN<<<<<<<<', 12, 80);
  return canvasToPng(canvas);
}

function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas could not be encoded'))), 'image/png');
  });
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
