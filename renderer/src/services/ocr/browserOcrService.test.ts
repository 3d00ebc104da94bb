import type { LoggerMessage, Page, Worker, WorkerOptions } from 'tesseract.js';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../logger';
import { BrowserOcrService, type CreateOcrWorker } from './browserOcrService';
import type { OcrProgress } from './ocrService';

const ASSETS = { tesseractWorker: 'app://invigil/vendor/tesseract/worker.min.js', tesseractCore: 'app://invigil/vendor/tesseract-core', tessdata: 'app://invigil/vendor/tessdata' };

/** A page as tesseract.js returns it: one block, one paragraph, one line per text, 24-px glyphs. */
function page(texts: string[]): Page {
  const lines = texts.map((text, i) => {
    const y = 100 + i * 40;
    let x = 100;
    const words = text.split(' ').map((w) => {
      const symbols = [...w].map((c, k) => ({ text: c, confidence: 90, bbox: { x0: x + k * 14, y0: y, x1: x + k * 14 + 13, y1: y + 24 } }));
      const bbox = { x0: x, y0: y, x1: x + w.length * 14, y1: y + 24 };
      x = bbox.x1 + 14;
      return { text: w, confidence: 90, bbox, symbols };
    });
    return { text, confidence: 90, bbox: { x0: 100, y0: y, x1: x - 14, y1: y + 24 }, words };
  });
  return { blocks: [{ paragraphs: [{ lines }] }], rotateRadians: 0 } as unknown as Page;
}

const LICENCE = page(['DRIVER LICENSE', 'DL 022348177', 'LN Carter', 'FN Emily', '4008 Elm Ct', 'DOB 03/14/1990 EXP 03/14/2030']);

interface FakeEngine {
  create: CreateOcrWorker;
  created: Partial<WorkerOptions>[];
  terminated: number;
  recognizeCalls: string[];
  /** Most recognitions running at once. */
  maxInFlight: number;
  failNextStart?: boolean;
  failNextRecognize?: boolean;
  /** When set, each recognition waits for this promise. */
  gate?: Promise<void>;
}

function fakeEngine(result: Page = LICENCE): FakeEngine {
  const engine: FakeEngine = {
    created: [],
    terminated: 0,
    recognizeCalls: [],
    maxInFlight: 0,
    create: async (_langs, _oem, options) => {
      engine.created.push(options);
      const logger = options.logger as (m: LoggerMessage) => void;
      const say = (status: string, progress: number) => logger({ status, progress, jobId: 'j', userJobId: 'j', workerId: 'w' });
      say('loading tesseract core', 0);
      say('initializing tesseract', 1);
      say('loading language traineddata', 0.5);
      say('initializing api', 1);
      await Promise.resolve();
      if (engine.failNextStart) {
        engine.failNextStart = false;
        throw new Error('TypeError: Failed to fetch worker.min.js');
      }
      let inFlight = 0;
      const worker = {
        setParameters: async () => ({ jobId: 'p', data: {} }),
        recognize: async (image: unknown) => {
          // jsdom's Blob has no text(): the tests label their stills by MIME type.
          engine.recognizeCalls.push(image instanceof Blob ? image.type : String(image));
          inFlight += 1;
          engine.maxInFlight = Math.max(engine.maxInFlight, inFlight);
          try {
            await engine.gate;
            say('recognizing text', 0.5);
            if (engine.failNextRecognize) {
              engine.failNextRecognize = false;
              throw 'RuntimeError: memory access out of bounds';
            }
            return { jobId: 'r', data: result };
          } finally {
            inFlight -= 1;
          }
        },
        terminate: async () => {
          engine.terminated += 1;
          return { jobId: 't', data: {} };
        },
      };
      return worker as unknown as Worker;
    },
  };
  return engine;
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const put = (m: string, f?: Record<string, unknown>) => lines.push(`${m} ${JSON.stringify(f ?? {})}`);
  return { lines, info: put, warn: put, error: put };
}

function service(engine: FakeEngine, log: Logger = recordingLogger()) {
  let t = 0;
  // Each reading of the clock moves it on 10 ms, so durations are known and non-zero.
  return new BrowserOcrService({ log, createWorker: engine.create, assets: ASSETS, now: () => (t += 10), warmUpImage: async () => new Blob(['line'], { type: WARM_UP }) });
}

const WARM_UP = 'image/png;name=warm-up';
const still = (label: string) => new Blob([label], { type: `image/jpeg;name=${label}` });
const SIZE = { width: 1280, height: 720 };

describe('BrowserOcrService', () => {
  it('starts one offline worker from the app’s own assets and reports loading stages', async () => {
    const engine = fakeEngine();
    const ocr = service(engine);
    const progress: OcrProgress[] = [];
    const warmed = await ocr.warm((p) => progress.push(p));
    expect(warmed).toEqual({ ok: true, value: { ms: expect.any(Number) } });
    expect(warmed.ok && warmed.value.ms).toBeGreaterThan(0);
    expect(engine.created).toHaveLength(1);
    expect(engine.created[0]).toMatchObject({
      workerPath: ASSETS.tesseractWorker,
      corePath: ASSETS.tesseractCore,
      langPath: ASSETS.tessdata,
      workerBlobURL: false,
      cacheMethod: 'none',
      gzip: true,
    });
    // Core, then language data, then the warm-up read (still "loading" for the learner).
    expect(progress.map((p) => p.stage)).toEqual(['loading_engine', 'loading_engine', 'loading_engine', 'loading_language', 'loading_language', 'loading_language']);
    expect(progress.at(-1)).toEqual({ stage: 'loading_language', fraction: 0.5 });
    expect(engine.recognizeCalls).toEqual([WARM_UP]);
    expect(await ocr.warm()).toMatchObject({ ok: true });
    expect(engine.created).toHaveLength(1);
    expect(engine.recognizeCalls).toEqual([WARM_UP]);
  });

  it('reads an ID into the fields the server takes, with reading progress', async () => {
    const engine = fakeEngine();
    const log = recordingLogger();
    const ocr = service(engine, log);
    const progress: OcrProgress[] = [];
    const read = await ocr.readId(still('card'), SIZE, (p) => progress.push(p));
    if (!read.ok) throw new Error(read.error.message);
    expect(read.value.fields).toMatchObject({ fullName: 'Emily Carter', surname: 'Carter', givenNames: 'Emily', documentNumber: '022348177', mrzValid: false, nameSource: 'visual' });
    expect(read.value.fields.text).toContain('LN Carter');
    expect(read.value.ms).toBeGreaterThan(0);
    expect(progress).toContainEqual({ stage: 'reading', fraction: 0.5 });
    expect(progress.some((p) => p.stage === 'loading_engine')).toBe(true);
    // Durations and outcomes are logged, never what the card says.
    expect(log.lines.join('\n')).not.toContain('Carter');
  });

  it('runs concurrent reads one after the other on the one worker', async () => {
    const engine = fakeEngine();
    const ocr = service(engine);
    await ocr.warm();
    let open!: () => void;
    engine.gate = new Promise((resolve) => (open = resolve));
    const first = ocr.readId(still('first'), SIZE);
    const second = ocr.readId(still('second'), SIZE);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(engine.recognizeCalls).toEqual([WARM_UP, 'image/jpeg;name=first']);
    open();
    const [a, b] = await Promise.all([first, second]);
    expect(a.ok && b.ok).toBe(true);
    expect(engine.maxInFlight).toBe(1);
    expect(engine.created).toHaveLength(1);
    const lastFirst = engine.recognizeCalls.lastIndexOf('image/jpeg;name=first');
    expect(engine.recognizeCalls.indexOf('image/jpeg;name=second')).toBeGreaterThan(lastFirst);
  });

  it('says engine_unavailable when the worker cannot start, and tries again next time', async () => {
    const engine = fakeEngine();
    engine.failNextStart = true;
    const ocr = service(engine);
    const warmed = await ocr.warm();
    expect(warmed).toMatchObject({ ok: false, error: { code: 'engine_unavailable' } });
    const read = await ocr.readId(still('card'), SIZE);
    expect(read.ok).toBe(true);
    expect(engine.created).toHaveLength(2);
  });

  it('says engine_unavailable when the started engine cannot read its warm-up line, and stops it', async () => {
    const engine = fakeEngine();
    engine.failNextRecognize = true;
    const ocr = service(engine);
    expect(await ocr.warm()).toMatchObject({ ok: false, error: { code: 'engine_unavailable' } });
    expect(engine.terminated).toBe(1);
    expect((await ocr.readId(still('card'), SIZE)).ok).toBe(true);
  });

  it('says read_failed when the engine fails mid-read, and starts a fresh worker for the next read', async () => {
    const engine = fakeEngine();
    const ocr = service(engine);
    await ocr.warm();
    engine.failNextRecognize = true;
    const failed = await ocr.readId(still('card'), SIZE);
    expect(failed).toMatchObject({ ok: false, error: { code: 'read_failed' } });
    expect(engine.terminated).toBe(1);
    const again = await ocr.readId(still('card'), SIZE);
    expect(again.ok).toBe(true);
    expect(engine.created).toHaveLength(2);
  });

  it('reads a canvas through one PNG encoding', async () => {
    const engine = fakeEngine();
    const ocr = service(engine);
    const canvas = document.createElement('canvas');
    let encodings = 0;
    canvas.toBlob = (done: BlobCallback, type?: string) => {
      encodings += 1;
      done(new Blob(['png bytes'], { type }));
    };
    const read = await ocr.readId(canvas, SIZE);
    expect(read.ok).toBe(true);
    expect(encodings).toBe(1);
    const reads = engine.recognizeCalls.filter((c) => c !== WARM_UP);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((c) => c === 'image/png')).toBe(true);
  });

  it('stops the worker on dispose, after the read in progress, and refuses later work', async () => {
    const engine = fakeEngine();
    let open!: () => void;
    engine.gate = new Promise((resolve) => (open = resolve));
    const ocr = service(engine);
    const reading = ocr.readId(still('card'), SIZE);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const disposing = ocr.dispose();
    open();
    expect((await reading).ok).toBe(true);
    await disposing;
    expect(engine.terminated).toBe(1);
    expect(await ocr.readId(still('card'), SIZE)).toMatchObject({ ok: false, error: { code: 'engine_unavailable' } });
    expect(await ocr.warm()).toMatchObject({ ok: false, error: { code: 'engine_unavailable' } });
    expect(engine.created).toHaveLength(1);
  });
});
