/**
 * Evaluation CLI: `npm run --silent id:read -- [--manifest FILE] [IMAGE...]` prints one JSON line
 * per image, read by the app's own pipeline (`shared/ocr/idReader.ts`) on one
 * long-lived tesseract.js worker, fully offline (language data from `@tesseract.js-data/eng`).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { matchName } from '../shared/domain/nameMatch';
import { readIdImage } from '../shared/ocr/idReader';

interface ManifestEntry {
  file: string;
  registeredName?: string;
}

function parseArgs(argv: string[]): { manifest: string | null; images: string[] } {
  const images: string[] = [];
  let manifest: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--manifest') manifest = argv[++i] ?? null;
    else if (a !== '--') images.push(a);
  }
  return { manifest, images };
}

function readManifest(path: string): ManifestEntry[] {
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(raw)) throw new Error(`manifest ${path} is not a JSON array`);
  return raw.flatMap((e: unknown) => {
    if (typeof e !== 'object' || e === null) return [];
    const { file, registeredName } = e as Record<string, unknown>;
    if (typeof file !== 'string') return [];
    return [{ file, ...(typeof registeredName === 'string' ? { registeredName } : {}) }];
  });
}

/** Width and height from a JPEG's SOF marker (tesseract.js decodes the image itself; this only bounds the MRZ rectangle). */
function jpegSize(buf: Buffer): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < buf.length) {
    if (buf[i] !== 0xff) return null;
    const marker = buf[i + 1]!;
    const len = buf.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    }
    i += 2 + len;
  }
  return null;
}

/** The reader's worker as the CLI runs it: LSTM only, English best_int data from npm, nothing cached on disk. */
export async function createIdWorker(): Promise<Worker> {
  const req = createRequire(import.meta.url);
  const langPath = join(dirname(req.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
  return createWorker('eng', OEM.LSTM_ONLY, { langPath, cacheMethod: 'none', gzip: true });
}

/** One image through the app's pipeline: the CLI's output line (without `nameVerdict`). */
export async function readIdFile(worker: Worker, file: string) {
  const started = performance.now();
  const buf = readFileSync(file);
  const r = await readIdImage(worker, buf, jpegSize(buf) ?? { width: 1 << 15, height: 1 << 15 });
  return {
    reading: r,
    line: {
      file,
      fullName: r.fullName,
      surname: r.surname,
      givenNames: r.givenNames,
      documentNumber: r.documentNumber,
      dateOfBirth: r.dateOfBirth,
      expiryDate: r.expiryDate,
      mrzValid: r.mrzValid,
      nameSource: r.nameSource,
      ms: Math.round(performance.now() - started),
    },
  };
}

async function main(): Promise<void> {
  const { manifest, images } = parseArgs(process.argv.slice(2));
  const entries = manifest ? readManifest(manifest) : [];
  const registered = new Map(entries.map((e) => [e.file, e.registeredName]));
  const files = images.length > 0 ? images : entries.map((e) => e.file);
  const worker = await createIdWorker();
  try {
    for (const file of files) {
      const { reading: r, line } = await readIdFile(worker, file);
      const name = registered.get(file);
      const nameVerdict = name === undefined ? undefined : matchName(name, { fullName: r.fullName, surname: r.surname, givenNames: r.givenNames }).verdict;
      process.stdout.write(`${JSON.stringify({ ...line, ...(nameVerdict ? { nameVerdict } : {}) })}\n`);
    }
  } finally {
    await worker.terminate();
  }
}

// Run as the CLI, not when the bench imports the reader from here.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
