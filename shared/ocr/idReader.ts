/**
 * The ID reader's OCR pipeline, one code path for the app (a browser tesseract.js worker), the
 * `id:read` CLI and the review server (Node workers), on one long-lived engine each. Engine-neutral:
 * each caller supplies its tesseract.js worker as an `OcrEngine`.
 *  1. The whole frame, levelled by tesseract (`rotateAuto`), PSM 3, Sauvola thresholding (Otsu loses
 *     low-contrast pages); the whole frame again with Otsu only when Sauvola found no text or neither
 *     an MRZ nor a name (2 of 60 dev frames).
 *  2. The MRZ: when step 1's own MRZ passed its check digits and the visual zone shows the same name,
 *     nothing more; when it passed them otherwise, the name line alone again (the check digits do not
 *     cover it); else the MRZ rectangle, deskewed, PSM 6, whitelist `A-Z0-9<`, symbol boxes to
 *     `slotLines`, Sauvola then Otsu.
 * Reading the fields from the OCR lines is pure code in `shared/domain/idReading.ts`.
 *
 * Measured on the dev set and dropped: recognising only the text region found by a layout-only pass
 * (layout on the unlevelled frame misses up to 90 % of a tilted card, and with a perfect crop the
 * saving was under 20 %); dictionaries off and noise removal off (no measurable change).
 */
import type { IdReading, OcrBox, OcrLineIn } from '../domain/idReading';
import { deskewRegion, estimateSkew, isMrzLike, mrzRegion, readIdentity } from '../domain/idReading';

/** tesseract's page segmentation modes used here (tesseract.js `PSM_AUTO`, `PSM_SINGLE_BLOCK`). */
const PSM_AUTO = '3';
const PSM_SINGLE_BLOCK = '6';

/** The engine parameters the pipeline sets before each pass. */
export interface OcrPassParameters {
  readonly tessedit_pageseg_mode: string;
  readonly tessedit_char_whitelist: string;
  readonly thresholding_method: string;
  readonly tessedit_do_invert: string;
}

interface EngineBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The part of a tesseract.js page (`output: { blocks: true }`) the pipeline reads. */
export interface OcrPage {
  readonly blocks: readonly {
    readonly paragraphs: readonly {
      readonly lines: readonly {
        readonly text: string;
        readonly bbox: EngineBox;
        readonly confidence: number;
        readonly words: readonly {
          readonly text: string;
          readonly bbox: EngineBox;
          readonly confidence: number;
          readonly symbols: readonly { readonly text: string; readonly confidence: number; readonly bbox: EngineBox }[];
        }[];
      }[];
    }[];
  }[] | null;
  readonly rotateRadians?: number | null;
}

/**
 * One OCR engine (a tesseract.js `Worker` satisfies it as it is): parameters, then recognition of an
 * image, a rectangle of it, optionally turned. `Image` is whatever that engine's `recognize` takes.
 */
export interface OcrEngine<Image> {
  setParameters(params: Partial<OcrPassParameters>): Promise<unknown>;
  recognize(
    image: Image,
    options: { rotateAuto?: boolean; rectangle?: { left: number; top: number; width: number; height: number }; rotateRadians?: number },
    output: { blocks: true; text: false },
  ): Promise<{ data: OcrPage }>;
}

const MRZ_WHITELIST = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

/** The stages a caller can show: `reading` is step 1, `checking_mrz` step 2. */
export type ReadStage = 'reading' | 'checking_mrz';

export interface ReadOptions {
  /** Called before each engine pass. */
  onStage?: (stage: ReadStage) => void;
}

// Parameters every pass sets: LSTM lines whose confidence is low are otherwise read a second time
// inverted (light text on dark); names, dates and MRZs are dark on light, and that retry of every
// background line cost ~6 % of the time on the dev set.
const COMMON = { tessedit_do_invert: '0' };

function toLines(page: OcrPage): OcrLineIn[] {
  const lines = (page.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((p) => p.lines));
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

const rect = (b: OcrBox) => ({ left: b.x0, top: b.y0, width: b.x1 - b.x0, height: b.y1 - b.y0 });

interface Pass {
  lines: OcrLineIn[];
  /** The turn tesseract applied (`rotateAuto`); the lines' boxes are in the turned frame. */
  rotateRadians: number;
}

async function wholeFrame<Image>(worker: OcrEngine<Image>, image: Image, thresholding: string): Promise<Pass> {
  await worker.setParameters({ ...COMMON, tessedit_pageseg_mode: PSM_AUTO, tessedit_char_whitelist: '', thresholding_method: thresholding });
  // rotateAuto levels a tilted card before layout analysis; without it, passports tilted a few
  // degrees often yield no text lines below the header.
  const { data } = await worker.recognize(image, { rotateAuto: true }, { blocks: true, text: false });
  return { lines: toLines(data), rotateRadians: data.rotateRadians ?? 0 };
}

/**
 * A second look at the MRZ name line alone, when step 1's MRZ passed its check digits: they cover the
 * data lines but not the name, and one line costs a third to a half of the whole MRZ. Null when step
 * 1's MRZ rows do not match the reading's lines, or the look found no name line.
 */
async function nameLineLook<Image>(
  worker: OcrEngine<Image>,
  image: Image,
  size: { width: number; height: number },
  pass: Pass,
  mrzLines: string[],
  visual: OcrLineIn[],
): Promise<IdReading | null> {
  const rows = pass.lines.filter((l) => l.text.replace(/\s+/g, '').length >= 20 && isMrzLike(l.text)).sort((a, b) => a.bbox.y0 - b.bbox.y0);
  if (rows.length !== mrzLines.length) return null;
  const nameIndex = mrzLines.length === 3 ? 2 : 0; // TD1: the third line; TD2/TD3: the first
  const row = rows[nameIndex]!.bbox;
  const h = row.y1 - row.y0;
  const x0 = Math.min(...rows.map((l) => l.bbox.x0));
  const x1 = Math.max(...rows.map((l) => l.bbox.x1));
  const padX = Math.max(h * 1.5, (x1 - x0) * 0.08);
  const region = {
    x0: Math.max(0, Math.round(x0 - padX)),
    y0: Math.max(0, Math.round(row.y0 - h * 0.5)),
    x1: Math.min(size.width, Math.round(x1 + padX)),
    y1: Math.min(size.height, Math.round(row.y1 + h * 0.5)),
  };
  const { rotateRadians, box } = deskewRegion(region, estimateSkew(pass.lines), size);
  // PSM 6 as for the whole MRZ: a single-line PSM 7 read worse names on the dev set.
  await worker.setParameters({ ...COMMON, tessedit_pageseg_mode: PSM_SINGLE_BLOCK, tessedit_char_whitelist: MRZ_WHITELIST, thresholding_method: '2' });
  const read = toLines((await worker.recognize(image, { rectangle: rect(box), rotateRadians: pass.rotateRadians + rotateRadians }, { blocks: true, text: false })).data);
  // A name line holds no digits: a neighbouring data line caught by the rectangle is not it.
  const text = read
    .map((l) => l.text.replace(/\s+/g, ''))
    .filter((t) => !/\d/.test(t))
    .sort((a, b) => b.length - a.length)[0];
  if (!text || text.length < 10) return null;
  const n = mrzLines[nameIndex]!.length;
  const lines = mrzLines.map((l, i) => (i === nameIndex ? (text.length > n ? text.slice(0, n) : text.padEnd(n, '<')) : l));
  // As OCR lines of text alone (no symbols), so `readIdentity` reads them as the plain MRZ text.
  return readIdentity({ visual, mrz: lines.map((t, i) => ({ text: t, bbox: { x0: 0, y0: i, x1: n, y1: i + 1 }, words: [] })) });
}

/**
 * Reads one ID image with the pipeline. `image` is anything the engine's `recognize` takes (for
 * tesseract.js a Buffer in Node; a canvas, Blob or ImageData in the browser); `size` is its width and height.
 */
export async function readIdImage<Image>(worker: OcrEngine<Image>, image: Image, size: { width: number; height: number }, options: ReadOptions = {}): Promise<IdReading> {
  const { onStage } = options;
  onStage?.('reading');
  const passes = [await wholeFrame(worker, image, '2')];
  const first = passes[0]!.lines;
  if (first.length < 4 || (!mrzRegion(first, size) && readIdentity({ visual: first, mrz: null }).fullName === null)) {
    // Sauvola sometimes finds no text blocks, or neither an MRZ nor a name; Otsu then often does.
    passes.push(await wholeFrame(worker, image, '0'));
  }
  // Two passes' lines would duplicate every field; the Otsu lines stand in only when Sauvola found almost nothing.
  const visual = passes[0]!.lines.length >= 4 ? passes[0]!.lines : passes.flatMap((p) => p.lines);
  const located = passes.map((p) => ({ pass: p, region: mrzRegion(p.lines, size) })).find((x) => x.region !== null);
  const plain = readIdentity({ visual, mrz: null });
  if (!located?.region) return plain;
  // The read's own MRZ, check digits valid and its name confirmed by the visual zone, needs no second look.
  if (plain.mrzValid && plain.nameSource === 'both') return plain;
  onStage?.('checking_mrz');
  if (plain.mrzValid && plain.mrzLines) {
    const named = await nameLineLook(worker, image, size, located.pass, plain.mrzLines, visual);
    if (named?.mrzValid && named.fullName) return named;
  }
  // Level what the first turn left: deskewing took check-digit-valid MRZs on the dev set from 9 of 36 located to 29.
  const { rotateRadians, box } = deskewRegion(located.region, estimateSkew(located.pass.lines), size);
  const turn = located.pass.rotateRadians + rotateRadians;
  let best: IdReading | null = null;
  const rank = (r: IdReading) => (r.fullName === null ? 100 : 0) + r.mrzFailures.length;
  // Two binarisations of the MRZ rectangle; the first with valid check digits wins.
  for (const thresholding of ['2', '0']) {
    await worker.setParameters({ ...COMMON, tessedit_pageseg_mode: PSM_SINGLE_BLOCK, tessedit_char_whitelist: MRZ_WHITELIST, thresholding_method: thresholding });
    const mrz = toLines((await worker.recognize(image, { rectangle: rect(box), rotateRadians: turn }, { blocks: true, text: false })).data);
    const reading = readIdentity({ visual, mrz });
    if (reading.mrzValid) return reading;
    // Neither validates: the reading with fewer failed MRZ checks (a named one over an unnamed one).
    if (!best || rank(reading) < rank(best)) best = reading;
  }
  // The first read's MRZ validated though its name was not confirmed, and no second look did better.
  return plain.mrzValid ? plain : (best ?? plain);
}
