/**
 * Turns what an OCR engine returned for one photo of a government ID into identity fields.
 * Engine-neutral and pure: the caller runs OCR (a whole-frame pass for the
 * visual zone, optionally a second pass on the MRZ rectangle) and hands the lines over.
 *
 * Names: a check-digit-valid MRZ is the authority; the visual zone supplies diacritics when it agrees
 * with the MRZ after ICAO folding (`matchName`). Driving licences have no MRZ, so their name comes from
 * the value lines that follow the document number (surname line, then given-names line).
 */
import type { MrzReading } from './mrz';
import { isMrzLike, readMrz, slotLines } from './mrz';
import { completeTruncated, readVisual } from './idVisualZone';
import { matchName, spellings, tokenize } from './nameMatch';
import { boxHeight as height, type OcrBox, type OcrLineIn } from './ocrLines';

export type { OcrBox, OcrLineIn, OcrWordIn } from './ocrLines';
export { completeTruncated, findDates, readVisual, splitFullNameLine, type VisualFields } from './idVisualZone';
export { isMrzLike } from './mrz';

export interface IdReading {
  fullName: string | null;
  surname: string | null;
  givenNames: string | null;
  documentNumber: string | null;
  dateOfBirth: string | null;
  expiryDate: string | null;
  mrzValid: boolean;
  /** Labels of the MRZ checks that failed (empty when it validated or there is none). */
  mrzFailures: string[];
  mrzLines: string[] | null;
  /** Which zone gave the name: the MRZ, the visual zone, both agreeing, or neither. */
  nameSource: NameSource;
  /** What the engine read (visual lines, then the MRZ lines used), for the proctor; capped at `MAX_ID_TEXT`. */
  text: string;
  evidence: string[];
}

export type NameSource = 'mrz' | 'visual' | 'both' | 'none';

/** The cap of `IdReading.text` (the `IdFields.text` limit of shared/api/identity.ts). */
export const MAX_ID_TEXT = 8000;

function readText(visual: OcrLineIn[], mrzLines: string[] | null): string {
  const sorted = [...visual].sort((a, b) => a.bbox.y0 - b.bbox.y0 || a.bbox.x0 - b.bbox.x0);
  // With a read MRZ, its repaired lines stand in for the raw ones of the visual pass.
  const lines = sorted.filter((l) => mrzLines === null || !isMrzLike(l.text)).map((l) => l.text.trim()).filter((t) => t !== '');
  return [...lines, ...(mrzLines ?? [])].join('\n').slice(0, MAX_ID_TEXT);
}


// ---------------------------------------------------------------------------------------------
// MRZ

/** Rectangle around the MRZ-like lines, widened so a whole MRZ fits; null when there are none. */
export function mrzRegion(lines: OcrLineIn[], image: { width: number; height: number }): OcrBox | null {
  const mrz = lines.filter((l) => isMrzLike(l.text));
  if (mrz.length === 0) return null;
  const x0 = Math.min(...mrz.map((l) => l.bbox.x0));
  const x1 = Math.max(...mrz.map((l) => l.bbox.x1));
  const y0 = Math.min(...mrz.map((l) => l.bbox.y0));
  const y1 = Math.max(...mrz.map((l) => l.bbox.y1));
  const h = Math.max(...mrz.map((l) => height(l.bbox)));
  // A partly read MRZ misses its first or last line and some width: pad generously.
  const padX = Math.max(h * 1.5, (x1 - x0) * 0.08);
  const padY = h * 1.2;
  return {
    x0: Math.max(0, Math.round(x0 - padX)),
    y0: Math.max(0, Math.round(y0 - padY)),
    x1: Math.min(image.width, Math.round(x1 + padX)),
    y1: Math.min(image.height, Math.round(y1 + padY)),
  };
}

/**
 * Skew of the MRZ as dy/dx (image y points down), fitted per line through the symbols' bottoms of
 * the MRZ-like lines and pooled. Webcam cards are tilted a few degrees; deskewing the second pass
 * keeps tesseract's lines from spanning two MRZ rows. 0 when no line has enough symbols.
 */
export function estimateSkew(lines: OcrLineIn[]): number {
  let num = 0;
  let den = 0;
  for (const l of lines.filter((x) => isMrzLike(x.text))) {
    const symbols = l.words.flatMap((w) => w.symbols).filter((s) => s.x1 > s.x0);
    if (symbols.length < 5) continue;
    const xs = symbols.map((s) => (s.x0 + s.x1) / 2);
    const ys = symbols.map((s) => s.y1);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    xs.forEach((x, i) => {
      num += (x - mx) * (ys[i]! - my);
      den += (x - mx) ** 2;
    });
  }
  const skew = den > 0 ? num / den : 0;
  return Math.abs(skew) < 0.005 ? 0 : skew;
}

/**
 * The second pass on a deskewed image: tesseract.js `rotateRadians` turns the frame about its centre
 * (same size), so the MRZ rectangle moves with it; measured on the dev set, `rotateRadians = -atan(skew)`
 * levels the text. Returns that angle and the region's bounding box in the turned frame.
 */
export function deskewRegion(region: OcrBox, skew: number, image: { width: number; height: number }): { rotateRadians: number; box: OcrBox } {
  const theta = Math.atan(skew);
  const cx = image.width / 2;
  const cy = image.height / 2;
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const corners = [[region.x0, region.y0], [region.x1, region.y0], [region.x0, region.y1], [region.x1, region.y1]] as const;
  const xs = corners.map(([x, y]) => cx + (x - cx) * c - (y - cy) * s);
  const ys = corners.map(([x, y]) => cy + (x - cx) * s + (y - cy) * c);
  return {
    rotateRadians: -theta,
    box: {
      x0: Math.max(0, Math.round(Math.min(...xs))),
      y0: Math.max(0, Math.round(Math.min(...ys))),
      x1: Math.min(image.width, Math.round(Math.max(...xs))),
      y1: Math.min(image.height, Math.round(Math.max(...ys))),
    },
  };
}

/** Reads an MRZ from the lines of an OCR pass: symbol boxes onto fixed slots first, then the plain text. */
export function readMrzLines(lines: OcrLineIn[], today: Date): MrzReading | null {
  const mrz = lines.filter((l) => l.text.replace(/\s+/g, '').length >= 20 && isMrzLike(l.text) || /^[A-Z0-9<]{28,}$/.test(l.text.replace(/\s+/g, '')));
  if (mrz.length < 2) return null;
  const candidates: MrzReading[] = [];
  const symbols = mrz.flatMap((l) => l.words.flatMap((w) => w.symbols));
  const slotted = slotLines(symbols);
  if (slotted) {
    const r = readMrz(slotted, today);
    if (r) candidates.push(r);
  }
  // Plain text, cut or padded to the nearest MRZ width.
  const texts = mrz.map((l) => l.text.replace(/\s+/g, '').toUpperCase().replace(/«/g, '<'));
  const longest = Math.max(...texts.map((t) => t.length));
  // Two lines of about 30 are a TD1 missing a line, not a TD2: better no plain reading than a wrong layout.
  const n = texts.length >= 3 || longest <= 33 ? 30 : longest > 40 ? 44 : 36;
  const fitted = texts.slice(-(n === 30 ? 3 : 2)).map((t) => (t.length > n ? t.slice(0, n) : t.padEnd(n, '<')));
  const plain = readMrz(fitted, today);
  if (plain) candidates.push(plain);
  candidates.sort((a, b) => Number(b.valid) - Number(a.valid) || a.details.length - b.details.length);
  const best = candidates[0];
  if (!best) return null;
  // On a deskewed MRZ tesseract's own character sequence keeps every letter of the name line, while
  // slotting can drop one into a neighbour's slot (OKAFOR → OK<FOR). Check digits do not cover that line.
  const nameIndex = best.lines.length === 3 ? 2 : 0;
  const plainName = fitted.length === best.lines.length ? fitted[nameIndex] : undefined;
  if (plainName !== undefined && plainName.length === best.lines[nameIndex]!.length) {
    const alt = readMrz(best.lines.map((l, i) => (i === nameIndex ? plainName : l)), today);
    if (alt && alt.valid === best.valid && alt.surname) return alt;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Cross-check

/** Fillers read as letters survive repair as tokens like `LLLLLL` or `CKL`; a name ends at the first such token. */
function cleanMrzNames(mrz: MrzReading): { surname: string | null; givenNames: string | null } {
  const cut = (names: string | null): string | null => {
    if (!names) return null;
    const tokens = names.split(' ');
    const fillerLike = (t: string) => t.length >= 3 && t.replace(/[^KLC]/g, '').length >= t.length * 0.7;
    const end = tokens.findIndex(fillerLike);
    return (end >= 0 ? tokens.slice(0, end) : tokens).join(' ') || null;
  };
  return { surname: cut(mrz.surname), givenNames: cut(mrz.givenNames) };
}

/**
 * Whether the visual zone shows every token of an MRZ name, in some spelling (Ø as OE, …). Passports
 * print the name in the visual zone though their labels often defeat `readVisual`; single letters
 * prove nothing (a misread filler is a lone C or K, and a card has stray letters).
 */
export function nameSeenInVisual(name: string, visual: OcrLineIn[]): boolean {
  const tokens = tokenize(name);
  if (tokens.length === 0 || tokens.some((t) => t.length < 2)) return false;
  const seen = new Set(visual.filter((l) => !isMrzLike(l.text)).flatMap((l) => tokenize(l.text).flatMap(spellings)));
  return tokens.every((t) => seen.has(t));
}

const join = (given: string | null, surname: string | null) => [given, surname].filter(Boolean).join(' ') || null;

/**
 * Combines the visual zone (`visual`, the whole-frame pass) and the MRZ (`mrz`, a pass on its
 * rectangle, or null when the document has none).
 */
export function readIdentity(input: { visual: OcrLineIn[]; mrz: OcrLineIn[] | null }, today: Date = new Date()): IdReading {
  const evidence: string[] = [];
  const visual = readVisual(input.visual, today);
  const mrz = (input.mrz && readMrzLines(input.mrz, today)) ?? readMrzLines(input.visual, today);
  if (!mrz) {
    evidence.push('no MRZ; visual zone only');
    const fullName = join(visual.givenNames, visual.surname);
    return {
      fullName,
      surname: visual.surname,
      givenNames: visual.givenNames,
      documentNumber: visual.documentNumber,
      dateOfBirth: visual.dateOfBirth,
      expiryDate: visual.expiryDate,
      mrzValid: false,
      mrzFailures: [],
      mrzLines: null,
      nameSource: fullName ? 'visual' : 'none',
      text: readText(input.visual, null),
      evidence,
    };
  }
  const cleaned = cleanMrzNames(mrz);
  evidence.push(`MRZ ${mrz.format} ${mrz.valid ? 'valid' : `invalid: ${mrz.details.join(', ')}`}`);
  let { surname, givenNames } = cleaned;
  let nameSource: NameSource = join(givenNames, surname) ? 'mrz' : 'none';
  const visualName = join(visual.givenNames, visual.surname);
  if (visualName && mrz.fullName) {
    const agreement = matchName(visualName, cleaned);
    if (agreement.verdict === 'match') {
      evidence.push('visual name agrees with MRZ');
      nameSource = 'both';
      surname = visual.surname ?? surname;
      givenNames = visual.givenNames ?? givenNames;
    } else {
      evidence.push(`visual name ${agreement.verdict} vs MRZ: ${agreement.reason}`);
    }
  } else if (!mrz.fullName && visualName) {
    surname = visual.surname;
    givenNames = visual.givenNames;
    nameSource = 'visual';
  }
  if (nameSource === 'mrz' && nameSeenInVisual(join(cleaned.givenNames, cleaned.surname) ?? '', input.visual)) {
    evidence.push('every MRZ name token appears in the visual zone');
    nameSource = 'both';
  }
  const nameLine = mrz.lines[mrz.lines.length === 3 ? 2 : 0] ?? '';
  if (nameLine !== '' && !nameLine.endsWith('<')) {
    const cut = givenNames ?? surname;
    const whole = cut ? completeTruncated(cut, input.visual) : null;
    if (whole) {
      evidence.push(`MRZ name cut at the line end; completed from the visual zone: ${whole}`);
      if (givenNames) givenNames = whole;
      else surname = whole;
    }
  }
  const prefer = <T>(m: T | null, v: T | null): T | null => (mrz.valid ? (m ?? v) : (v ?? m));
  return {
    fullName: join(givenNames, surname),
    surname,
    givenNames,
    documentNumber: prefer(mrz.documentNumber, visual.documentNumber),
    dateOfBirth: prefer(mrz.dateOfBirth, visual.dateOfBirth),
    expiryDate: prefer(mrz.expiryDate, visual.expiryDate),
    mrzValid: mrz.valid,
    mrzFailures: mrz.details,
    mrzLines: mrz.lines,
    nameSource,
    text: readText(input.visual, mrz.lines),
    evidence,
  };
}
