/**
 * Turns what an OCR engine returned for one photo of a government ID into identity fields
 * (DESIGN §4 "Identity"). Engine-neutral and pure: the caller runs OCR (a whole-frame pass for the
 * visual zone, optionally a second pass on the MRZ rectangle) and hands the lines over.
 *
 * Names: a check-digit-valid MRZ is the authority; the visual zone supplies diacritics when it agrees
 * with the MRZ after ICAO folding (`matchName`). Driving licences have no MRZ, so their name comes from
 * the value lines that follow the document number (surname line, then given-names line).
 */
import type { MrzReading, OcrSymbol } from './mrz';
import { readMrz, slotLines } from './mrz';
import { matchName } from './nameMatch';

export interface OcrBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OcrWordIn {
  text: string;
  bbox: OcrBox;
  confidence?: number;
  symbols: OcrSymbol[];
}

export interface OcrLineIn {
  text: string;
  bbox: OcrBox;
  confidence?: number;
  words: OcrWordIn[];
}

export interface IdReading {
  fullName: string | null;
  surname: string | null;
  givenNames: string | null;
  documentNumber: string | null;
  dateOfBirth: string | null;
  expiryDate: string | null;
  mrzValid: boolean;
  mrzLines: string[] | null;
  evidence: string[];
}

export interface VisualFields {
  surname: string | null;
  givenNames: string | null;
  documentNumber: string | null;
  dateOfBirth: string | null;
  expiryDate: string | null;
}

const height = (b: OcrBox) => b.y1 - b.y0;

// ---------------------------------------------------------------------------------------------
// MRZ

/** A line that looks like (part of) an MRZ: a `<` run, or a long run of MRZ characters with a filler. */
export function isMrzLike(text: string): boolean {
  const t = text.replace(/\s+/g, '');
  if (/<{2,}/.test(t) && t.length >= 8) return true;
  return t.length >= 20 && /^[A-Z0-9<KLC«]+$/.test(t) && t.includes('<');
}

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
  const n = texts.length >= 3 ? 30 : Math.max(...texts.map((t) => t.length)) > 40 ? 44 : 36;
  const fitted = texts.slice(-(n === 30 ? 3 : 2)).map((t) => (t.length > n ? t.slice(0, n) : t.padEnd(n, '<')));
  const plain = readMrz(fitted, today);
  if (plain) candidates.push(plain);
  candidates.sort((a, b) => Number(b.valid) - Number(a.valid) || a.details.length - b.details.length);
  return candidates[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Visual zone

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** All dates in a text: MM/DD/YYYY (DD/MM when the first part exceeds 12), DD.MM.YYYY and `15 OCT/OCT 1956`. */
export function findDates(text: string): string[] {
  const out: string[] = [];
  const t = text.toUpperCase().replace(/[OQ](?=\d)|(?<=\d)[OQ]/g, '0');
  for (const m of t.matchAll(/(\d{2})\s?([/.-])\s?(\d{2})\s?[/.-]\s?(\d{4})/g)) {
    let a = Number(m[1]);
    let b = Number(m[3]);
    if (m[2] === '.' || a > 12) [a, b] = [b, a];
    if (a >= 1 && a <= 12 && b >= 1 && b <= 31) out.push(`${m[4]}-${pad2(a)}-${pad2(b)}`);
  }
  for (const m of t.matchAll(/(\d{1,2})\s+([A-Z]{3})(?:\s*\/\s*[A-Z]{3,4})?\s+(\d{4})/g)) {
    const month = MONTHS.indexOf(m[2]!) + 1;
    const day = Number(m[1]);
    if (month > 0 && day >= 1 && day <= 31) out.push(`${m[3]}-${pad2(month)}-${pad2(day)}`);
  }
  return out;
}

const DOC_NUMBER = /\b([A-Z]?\d{3}-\d{2,4}-\d{3,4}|[A-Z]\d{7,8}|\d{9}|[A-Z]{1,3}\d{6,8})\b/;

function documentNumberIn(text: string): string | null {
  const t = text.toUpperCase().replace(/[.,]/g, '-').replace(/(?<=\d)[OQ]|[OQ](?=\d)/g, '0');
  const m = DOC_NUMBER.exec(t);
  return m ? m[1]! : null;
}

const LABEL_WORDS = [
  'SURNAME', 'LASTNAME', 'LAST', 'NAME', 'NAMES', 'FIRST', 'FIRSTNAME', 'GIVEN', 'GIVENNAMES', 'APELLIDOS', 'NOMBRES',
  'NOM', 'PRENOMS', 'LN', 'FN', 'DL', 'LICENSE', 'LICENCE', 'NO', 'ADDRESS', 'DOB', 'EXP', 'ISS', 'SEX',
];

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function isLabelWord(word: string): boolean {
  const w = word.toUpperCase().replace(/[^A-Z]/g, '');
  if (w.length === 0) return true;
  return LABEL_WORDS.some((l) => (l.length <= 3 ? w === l : editDistance(w, l) <= (l.length >= 7 ? 2 : 1)));
}

const NAME_TOKEN = /^[\p{L}][\p{L}'’-]*$/u;

/** The name value of a line: its name-like tokens after any leading label debris; null when it has none. */
function nameValue(line: OcrLineIn, valueHeight: number): string | null {
  const words = line.words.length > 0 ? line.words : line.text.split(/\s+/).map((text) => ({ text, bbox: line.bbox, symbols: [] }));
  const kept = words.filter((w) => {
    const text = w.text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
    // Labels are printed smaller than values; tiny words in a value line are label debris ("LN", "«~").
    return NAME_TOKEN.test(text) && height(w.bbox) >= valueHeight * 0.6 && !(text.length <= 2 && text === text.toUpperCase() && isLabelWord(text) && height(w.bbox) < valueHeight * 0.85);
  });
  const tokens = kept.map((w) => w.text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''));
  // An inline label in front of the value ("LN Carter") when OCR kept it the value's height.
  if (tokens.length > 1 && tokens[0]!.length <= 3 && tokens[0] === tokens[0]!.toUpperCase() && isLabelWord(tokens[0]!)) tokens.shift();
  if (tokens.length === 0 || tokens.every((t) => isLabelWord(t) && t.length > 2)) return null;
  return tokens.join(' ');
}

function findLabelled(lines: OcrLineIn[], labels: string[], valueHeight: number): string | null {
  for (let i = 0; i < lines.length; i++) {
    const squashed = lines[i]!.text.toUpperCase().replace(/[^A-Z/]/g, '');
    const parts = squashed.split('/');
    // Tight: FRSTNAME is two edits from LASTNAME.
    if (!parts.some((p) => labels.some((l) => editDistance(p, l) <= (l.length > 8 ? 2 : 1)))) continue;
    const next = lines[i + 1];
    if (next) return nameValue(next, valueHeight);
  }
  return null;
}

/** Fields of the visual zone (labels differ by issuer and language; layout: number, surname, given names, …, dates). */
export function readVisual(lines: OcrLineIn[]): VisualFields {
  const sorted = [...lines].filter((l) => !isMrzLike(l.text)).sort((a, b) => a.bbox.y0 - b.bbox.y0);
  const dates = sorted.flatMap((l) => findDates(l.text)).sort();
  let documentNumber: string | null = null;
  let numberIndex = -1;
  for (let i = 0; i < sorted.length && documentNumber === null; i++) {
    if (findDates(sorted[i]!.text).length > 0) continue;
    documentNumber = documentNumberIn(sorted[i]!.text);
    if (documentNumber) numberIndex = i;
  }
  const heights = sorted.map((l) => height(l.bbox)).sort((a, b) => a - b);
  const valueHeight = heights[Math.floor(heights.length / 2)] ?? 0;

  let surname = findLabelled(sorted, ['SURNAME', 'APELLIDOSSURNAME', 'LASTNAME', 'NOMSURNAME'], valueHeight);
  let givenNames = findLabelled(sorted, ['GIVENNAMES', 'NOMBRESGIVENNAMES', 'FIRSTNAME', 'PRENOMSGIVENNAMES'], valueHeight);
  if (surname !== null && surname === givenNames) givenNames = null;
  if ((!surname || !givenNames) && numberIndex >= 0) {
    // Driving licences: the two name values follow the number, each maybe under a small label line.
    const anchor = sorted[numberIndex]!.bbox;
    const values: string[] = [];
    for (const line of sorted.slice(numberIndex + 1)) {
      if (values.length === 2) break;
      if (Math.abs(line.bbox.x0 - anchor.x0) > (anchor.x1 - anchor.x0) * 0.6) continue;
      if (/\d/.test(line.text)) break; // the address or dates: the names are over
      const v = nameValue(line, valueHeight);
      if (v && !v.split(' ').every(isLabelWord)) values.push(v);
    }
    if (!surname) surname = values[0] ?? null;
    if (!givenNames) givenNames = values.find((v) => v !== surname) ?? null;
  }
  return {
    surname,
    givenNames,
    documentNumber,
    dateOfBirth: dates[0] ?? null,
    expiryDate: dates.length > 1 ? dates[dates.length - 1]! : null,
  };
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

const join = (given: string | null, surname: string | null) => [given, surname].filter(Boolean).join(' ') || null;

/**
 * Combines the visual zone (`visual`, the whole-frame pass) and the MRZ (`mrz`, a pass on its
 * rectangle, or null when the document has none).
 */
export function readIdentity(input: { visual: OcrLineIn[]; mrz: OcrLineIn[] | null }, today: Date = new Date()): IdReading {
  const evidence: string[] = [];
  const visual = readVisual(input.visual);
  const mrz = (input.mrz && readMrzLines(input.mrz, today)) ?? readMrzLines(input.visual, today);
  if (!mrz) {
    evidence.push('no MRZ; visual zone only');
    return {
      fullName: join(visual.givenNames, visual.surname),
      surname: visual.surname,
      givenNames: visual.givenNames,
      documentNumber: visual.documentNumber,
      dateOfBirth: visual.dateOfBirth,
      expiryDate: visual.expiryDate,
      mrzValid: false,
      mrzLines: null,
      evidence,
    };
  }
  const cleaned = cleanMrzNames(mrz);
  evidence.push(`MRZ ${mrz.format} ${mrz.valid ? 'valid' : `invalid: ${mrz.details.join(', ')}`}`);
  let { surname, givenNames } = cleaned;
  const visualName = join(visual.givenNames, visual.surname);
  if (visualName && mrz.fullName) {
    const agreement = matchName(visualName, cleaned);
    if (agreement.verdict === 'match') {
      evidence.push('visual name agrees with MRZ');
      surname = visual.surname ?? surname;
      givenNames = visual.givenNames ?? givenNames;
    } else {
      evidence.push(`visual name ${agreement.verdict} vs MRZ: ${agreement.reason}`);
    }
  } else if (!mrz.fullName && visualName) {
    surname = visual.surname;
    givenNames = visual.givenNames;
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
    mrzLines: mrz.lines,
    evidence,
  };
}
