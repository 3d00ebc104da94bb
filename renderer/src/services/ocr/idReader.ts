/**
 * The ID reader's OCR pipeline (issue 4), one code path for the app (a browser tesseract.js worker)
 * and the `id:read` CLI (a Node worker). One long-lived worker. Pass 1: whole frame, PSM 3, Sauvola
 * thresholding (the default Otsu loses low-contrast passport pages). Pass 2, when pass 1 saw MRZ-like
 * lines: the MRZ rectangle, PSM 6, whitelist `A-Z0-9<`, whose symbol boxes go to `slotLines`.
 * Reading the fields from the OCR lines is pure code in `shared/domain/idReading.ts`.
 */
import { PSM } from 'tesseract.js';
import type { ImageLike, Line, Page, Worker } from 'tesseract.js';
import type { IdReading, OcrLineIn } from '../../../../shared/domain/idReading';
import { deskewRegion, estimateSkew, mrzRegion, readIdentity } from '../../../../shared/domain/idReading';

const MRZ_WHITELIST = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';




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

async function wholeFrame(worker: Worker, buf: ImageLike, thresholding: string): Promise<Pass> {
  await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO, tessedit_char_whitelist: '', thresholding_method: thresholding });
  // rotateAuto levels a tilted card before layout analysis; without it, passports tilted a few
  // degrees often yield no text lines below the header.
  const { data } = await worker.recognize(buf, { rotateAuto: true }, { blocks: true, text: false });
  return { lines: toLines(data), rotateRadians: data.rotateRadians ?? 0 };
}

/**
 * Reads one ID image with the app's pipeline. `image` is anything tesseract.js's `recognize` takes
 * (a Buffer in Node; a canvas, Blob or ImageData in the browser); `size` bounds the MRZ rectangle.
 */
export async function readIdImage(worker: Worker, image: ImageLike, size: { width: number; height: number }): Promise<IdReading> {
  const buf = image;
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
