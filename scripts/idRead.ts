/**
 * Evaluation CLI (issue 4): `npm run --silent id:read -- [--manifest FILE] [IMAGE...]` prints one JSON line
 * per image. One long-lived tesseract.js worker, fully offline (language data from
 * `@tesseract.js-data/eng`). Pass 1: whole frame, PSM 3, Sauvola thresholding (the default Otsu loses
 * low-contrast passport pages). Pass 2, when pass 1 saw MRZ-like lines: the MRZ rectangle, PSM 6,
 * whitelist `A-Z0-9<`, whose symbol boxes go to `slotLines`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createWorker, OEM, PSM } from 'tesseract.js';
import type { Line, Page, Worker } from 'tesseract.js';
import type { IdReading, OcrLineIn } from '../shared/domain/idReading';
import { deskewRegion, estimateSkew, mrzRegion, readIdentity } from '../shared/domain/idReading';
import { matchName } from '../shared/domain/nameMatch';

interface ManifestEntry {
  file: string;
  registeredName?: string;
}

const MRZ_WHITELIST = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

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

function toLines(page: Page): OcrLineIn[] {
  const lines: Line[] = (page.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((p) => p.lines));
  return lines.map((l) => ({
    text: l.text.trim(),
    bbox: l.bbox,
    confidence: l.confidence,
    words: l.words.map((w) => ({
      text: w.text,
      bbox: w.bbox,
      confidence: w.confidence,
      symbols: w.symbols.map((s) => ({ text: s.text, confidence: s.confidence, ...s.bbox })),
    })),
  }));
}

interface Pass {
  lines: OcrLineIn[];
  /** The turn tesseract applied (`rotateAuto`); the lines' boxes are in the turned frame. */
  rotateRadians: number;
}

async function wholeFrame(worker: Worker, buf: Buffer, thresholding: string): Promise<Pass> {
  await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO, tessedit_char_whitelist: '', thresholding_method: thresholding });
  // rotateAuto levels a tilted card before layout analysis; without it, passports tilted a few
  // degrees often yield no text lines below the header.
  const { data } = await worker.recognize(buf, { rotateAuto: true }, { blocks: true, text: false });
  return { lines: toLines(data), rotateRadians: data.rotateRadians ?? 0 };
}

async function readImage(worker: Worker, file: string): Promise<IdReading> {
  const buf = readFileSync(file);
  const size = jpegSize(buf) ?? { width: 1 << 15, height: 1 << 15 };
  const passes = [await wholeFrame(worker, buf, '2')];
  const first = passes[0]!.lines;
  if (first.length < 4 || (!mrzRegion(first, size) && readIdentity({ visual: first, mrz: null }).fullName === null)) {
    // Sauvola sometimes finds no text blocks, or neither an MRZ nor a name; Otsu then often does.
    // (A licence whose name was read needs no second whole-frame pass: it has no MRZ to find.)
    passes.push(await wholeFrame(worker, buf, '0'));
  }
  // Two passes' lines would duplicate every field; the Otsu lines stand in only when Sauvola found almost nothing.
  const visual = passes[0]!.lines.length >= 4 ? passes[0]!.lines : passes.flatMap((p) => p.lines);
  const located = passes.map((p) => ({ pass: p, region: mrzRegion(p.lines, size) })).find((x) => x.region !== null);
  if (!located?.region) return readIdentity({ visual, mrz: null });
  // Level what rotateAuto left: on the dev set, deskewing took check-digit-valid MRZs from 9 of 36 located to 29.
  const { rotateRadians, box } = deskewRegion(located.region, estimateSkew(located.pass.lines), size);
  const rectangle = { left: box.x0, top: box.y0, width: box.x1 - box.x0, height: box.y1 - box.y0 };
  const turn = located.pass.rotateRadians + rotateRadians;
  let best: IdReading | null = null;
  // Two binarisations of the MRZ rectangle; the first with valid check digits wins.
  for (const thresholding of ['2', '0']) {
    await worker.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_BLOCK, tessedit_char_whitelist: MRZ_WHITELIST, thresholding_method: thresholding });
    const mrz = toLines((await worker.recognize(buf, { rectangle, rotateRadians: turn }, { blocks: true, text: false })).data);
    const reading = readIdentity({ visual, mrz });
    if (reading.mrzValid) return reading;
    // Neither validates: the reading with fewer failed MRZ checks (a named one over an unnamed one).
    const rank = (r: IdReading) => (r.fullName === null ? 100 : 0) + r.mrzFailures.length;
    if (!best || rank(reading) < rank(best)) best = reading;
  }
  return best ?? readIdentity({ visual, mrz: null });
}

async function main(): Promise<void> {
  const { manifest, images } = parseArgs(process.argv.slice(2));
  const entries = manifest ? readManifest(manifest) : [];
  const registered = new Map(entries.map((e) => [e.file, e.registeredName]));
  const files = images.length > 0 ? images : entries.map((e) => e.file);
  const req = createRequire(import.meta.url);
  const langPath = join(dirname(req.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
  const worker = await createWorker('eng', OEM.LSTM_ONLY, { langPath, cacheMethod: 'none', gzip: true });
  try {
    for (const file of files) {
      const started = performance.now();
      const r = await readImage(worker, file);
      const name = registered.get(file);
      const nameVerdict = name === undefined ? undefined : matchName(name, { fullName: r.fullName, surname: r.surname, givenNames: r.givenNames }).verdict;
      const line = {
        file,
        fullName: r.fullName,
        surname: r.surname,
        givenNames: r.givenNames,
        documentNumber: r.documentNumber,
        dateOfBirth: r.dateOfBirth,
        expiryDate: r.expiryDate,
        mrzValid: r.mrzValid,
        ...(nameVerdict ? { nameVerdict } : {}),
        ms: Math.round(performance.now() - started),
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  } finally {
    await worker.terminate();
  }
}

await main();
