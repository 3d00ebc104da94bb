/**
 * MRZ glue between OCR and the `mrz` parser.
 *
 * Every OCR engine tried reads the filler `<` as K, L or C and returns over-long lines, so:
 *  1. `slotLines` puts tesseract's symbols onto the fixed-pitch character slots of TD1/TD2/TD3;
 *  2. `repairFillers` turns K/L/C where the layout expects fillers back into `<`;
 *  3. `readMrz` parses with `mrz` (autocorrect on), raw lines first, then repaired ones, and keeps
 *     the first whose check digits validate. Names carry no check digit, so the name line is
 *     always repaired (conservatively) and the visual zone is the cross-check for names.
 */
import type { Details, ParseResult, Range } from 'mrz';
import { parse, states } from 'mrz';

export type MrzFormat = 'TD1' | 'TD2' | 'TD3';

export interface OcrSymbol {
  text: string;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  confidence?: number;
}

export interface MrzReading {
  format: MrzFormat;
  /** All check digits and fields valid (ICAO specimen states accepted). */
  valid: boolean;
  documentNumber: string | null;
  surname: string | null;
  givenNames: string | null;
  /** Given names then surname, single-spaced; null when neither was read. */
  fullName: string | null;
  dateOfBirth: string | null;
  expiryDate: string | null;
  /** ISO 3166 alpha-3 (`D` is returned as `DEU`), or the ICAO specimen `UTO`. */
  nationality: string | null;
  issuingState: string | null;
  /** Labels of the fields that failed, e.g. "Birth date check digit". */
  details: string[];
  /** The lines that gave this reading (raw or repaired). */
  lines: string[];
}

const SHAPES: Record<MrzFormat, { lines: number; chars: number }> = {
  TD1: { lines: 3, chars: 30 },
  TD2: { lines: 2, chars: 36 },
  TD3: { lines: 2, chars: 44 },
};

/** ICAO 9303 specimen codes that `mrz` 5 does not list as states. */
const SPECIMEN_STATES = new Set(['UTO']);

// ---------------------------------------------------------------------------------------------
// 1. Symbols → fixed-pitch lines

/** One OCR character → one MRZ character: uppercase, diacritics dropped, chevron look-alikes → `<`. */
export function normaliseMrzChar(text: string): string {
  const c = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().trim().charAt(0);
  return /[A-Z0-9<]/.test(c) ? c : '<';
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2;
};

function groupLines(symbols: OcrSymbol[]): OcrSymbol[][] {
  const h = median(symbols.map((s) => s.y1 - s.y0));
  const sorted = [...symbols].sort((a, b) => a.y0 + a.y1 - (b.y0 + b.y1));
  const lines: OcrSymbol[][] = [];
  let centre = Number.NEGATIVE_INFINITY;
  for (const s of sorted) {
    const cy = (s.y0 + s.y1) / 2;
    const current = lines[lines.length - 1];
    if (current && cy - centre <= h * 0.6) {
      current.push(s);
      centre = current.reduce((sum, t) => sum + (t.y0 + t.y1) / 2, 0) / current.length;
    } else {
      lines.push([s]);
      centre = cy;
    }
  }
  // Stray marks above or below the MRZ form tiny "lines"; drop them.
  const longest = Math.max(...lines.map((l) => l.length));
  return lines.filter((l) => l.length >= longest * 0.3);
}

function pickFormat(lines: OcrSymbol[][]): MrzFormat | null {
  if (lines.length === 3) return 'TD1';
  if (lines.length !== 2) return null;
  const count = Math.max(...lines.map((l) => l.length));
  const first = normaliseMrzChar([...lines[0]!].sort((a, b) => a.x0 - b.x0)[0]?.text ?? '');
  if (first === 'P') return 'TD3'; // passports are always TD3
  return Math.abs(count - 36) < Math.abs(count - 44) ? 'TD2' : 'TD3';
}

/**
 * Lines of an MRZ from tesseract's symbol-level boxes. Each symbol is placed in the slot its
 * centre falls into (pitch = line span / slot count); the most confident wins a shared slot and
 * an empty slot is a filler. All lines of an MRZ are equally long, so a line whose end symbol was
 * dropped borrows the widest line's span. Null when the symbols do not form 2 or 3 lines.
 */
export function slotLines(symbols: OcrSymbol[], format?: MrzFormat): string[] | null {
  const usable = symbols.filter((s) => s.text.trim() !== '' && s.x1 > s.x0);
  if (usable.length === 0) return null;
  let lines = groupLines(usable);
  const fmt = format ?? pickFormat(lines);
  if (!fmt) return null;
  const { lines: lineCount, chars } = SHAPES[fmt];
  if (lines.length < lineCount) return null;
  lines = lines.slice(lines.length - lineCount); // the MRZ is the bottom of the card

  const lefts = lines.map((l) => Math.min(...l.map((s) => s.x0)));
  const rights = lines.map((l) => Math.max(...l.map((s) => s.x1)));
  const width = Math.max(...rights.map((r, i) => r - lefts[i]!));
  const minLeft = Math.min(...lefts);

  return lines.map((line, i) => {
    const pitch = width / chars;
    let left = lefts[i]!;
    const right = rights[i]!;
    if (right - left < width - pitch / 2 && left - minLeft > pitch / 2) {
      left = right - width; // the first symbol is missing, not the last
    }
    const slots: Array<{ c: string; conf: number } | undefined> = new Array(chars).fill(undefined);
    for (const s of line) {
      const slot = Math.min(chars - 1, Math.max(0, Math.floor(((s.x0 + s.x1) / 2 - left) / pitch)));
      const conf = s.confidence ?? 0;
      const held = slots[slot];
      if (!held || conf > held.conf) slots[slot] = { c: normaliseMrzChar(s.text), conf };
    }
    return slots.map((s) => s?.c ?? '<').join('');
  });
}

// ---------------------------------------------------------------------------------------------
// 2. Filler repair

const toFillers = (s: string): string => '<'.repeat(s.length);
const replaceRange = (line: string, start: number, end: number, text: string): string =>
  line.slice(0, start) + text + line.slice(end);

/** Trailing K/L/C/`<` of a free-form data field → fillers (check digits decide if that was right). */
function trimTrailing(line: string, start: number, end: number): string {
  const field = line.slice(start, end);
  const m = /[KLC<]+$/.exec(field);
  return m ? replaceRange(line, start + m.index, end, toFillers(m[0])) : line;
}

/** A state code like `DKL` → `D<<` when only the filler version is a known state. */
function repairState(line: string, start: number): string {
  const code = line.slice(start, start + 3);
  const known = (c: string) => c in states || SPECIMEN_STATES.has(c);
  if (known(code)) return line;
  for (const keep of [2, 1]) {
    const candidate = code.slice(0, keep) + '<'.repeat(3 - keep);
    if (/^[KLC<]*$/.test(code.slice(keep)) && known(candidate.replace(/<+$/, ''))) {
      return replaceRange(line, start, start + 3, candidate);
    }
  }
  return line;
}

function repairNames(field: string): string {
  let out = field;
  // Trailing fillers. Letters before the first real `<` belong to the name (MITCHELL<<<KK); with no
  // `<` at all, a run shorter than 3 may be a name ending, and LL/CK (-ELL, -ICK) are kept.
  const m = /[KLC<]+$/.exec(out);
  if (m) {
    const run = m[0];
    const firstFiller = run.indexOf('<');
    const keep = firstFiller >= 0 ? firstFiller : run.length < 3 ? run.length : /^(LL|CK)/.test(run) ? 2 : 0;
    out = out.slice(0, m.index + keep) + toFillers(run.slice(keep));
  }
  // The surname/given-name separator: with no `<<`, a pair like `<K` or `L<` is the separator.
  const body = out.replace(/<+$/, '');
  if (!body.includes('<<')) {
    const sep = /<[KLC]|[KLC]</.exec(body);
    if (sep && sep.index > 0) out = replaceRange(out, sep.index, sep.index + 2, '<<');
  }
  return out;
}

/**
 * Conservative filler repair of one MRZ line (its role is read from its length and content: a
 * data line holds check digits, a name line does not). Real letters inside names are left alone;
 * the result is a candidate for `readMrz`, whose check digits are the arbiter for data lines.
 */
export function repairFillers(line: string): string {
  const hasDigits = /[0-9]/.test(line);
  let out = line;
  if (!hasDigits) {
    // TD1 line 3 is all names; TD2/TD3 line 1 is document code + state + names.
    if (line.length === 30) return repairNames(line);
    out = /^[A-Z][KLC]/.test(out) ? replaceRange(out, 1, 2, '<') : out;
    out = repairState(out, 2);
    return out.slice(0, 5) + repairNames(out.slice(5));
  }
  const sex = (i: number) => (/[KLC]/.test(out.charAt(i)) ? replaceRange(out, i, i + 1, '<') : out);
  if (line.length === 30 && /^[0-9]{6}/.test(line.replace(/[OIZSBG]/g, '0'))) {
    // TD1 line 2: birth, sex, expiry, nationality, optional 2 (18–29), composite.
    out = sex(7);
    out = repairState(out, 15);
    return trimTrailing(out, 18, 29);
  }
  if (line.length === 30) {
    // TD1 line 1: document code, state, number, check, optional 1 (15–30).
    out = /^[A-Z][KLC]/.test(out) ? replaceRange(out, 1, 2, '<') : out;
    out = repairState(out, 2);
    return trimTrailing(out, 15, 30);
  }
  // TD2/TD3 line 2: number, check, nationality, birth, sex, expiry, optional, (check,) composite.
  out = sex(20);
  out = repairState(out, 10);
  return line.length === 44 ? trimTrailing(out, 28, 42) : trimTrailing(out, 28, 35);
}

// ---------------------------------------------------------------------------------------------
// 3. Parsing

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** YYMMDD → YYYY-MM-DD. Birth: the latest century not in the future. */
export function birthDate(yymmdd: string | null | undefined, today: Date): string | null {
  const p = splitDate(yymmdd);
  if (!p) return null;
  const now = iso(today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate());
  const recent = iso(2000 + p.yy, p.mm, p.dd);
  return recent <= now ? recent : iso(1900 + p.yy, p.mm, p.dd);
}

/** YYMMDD → YYYY-MM-DD. Expiry: 20YY unless that is more than 20 years after today (expired documents stay in the past). */
export function expiryDate(yymmdd: string | null | undefined, today: Date): string | null {
  const p = splitDate(yymmdd);
  if (!p) return null;
  const limit = iso(today.getUTCFullYear() + 20, today.getUTCMonth() + 1, today.getUTCDate());
  const recent = iso(2000 + p.yy, p.mm, p.dd);
  return recent <= limit ? recent : iso(1900 + p.yy, p.mm, p.dd);
}

function splitDate(yymmdd: string | null | undefined): { yy: number; mm: number; dd: number } | null {
  if (!yymmdd || !/^[0-9]{6}$/.test(yymmdd)) return null;
  const [yy, mm, dd] = [0, 2, 4].map((i) => Number(yymmdd.slice(i, i + 2))) as [number, number, number];
  return mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31 ? { yy, mm, dd } : null;
}

// `mrz` documents `raw` (the field's autocorrected text) on each range, but its types omit it.
const rawOf = (d: Details | undefined) => (d?.ranges[0] as (Range & { raw?: string }) | undefined)?.raw?.replace(/<+$/, '') ?? null;
const isSpecimenState = (d: Details) =>
  (d.field === 'issuingState' || d.field === 'nationality') && SPECIMEN_STATES.has(rawOf(d) ?? '');

function tryParse(lines: string[]): ParseResult | null {
  try {
    return parse(lines, { autocorrect: true });
  } catch {
    // `mrz` throws only for an unrecognised layout (wrong line count or length): not an MRZ.
    return null;
  }
}

function toReading(result: ParseResult, lines: string[], today: Date): MrzReading | null {
  if (result.format !== 'TD1' && result.format !== 'TD2' && result.format !== 'TD3') return null;
  const failed = result.details.filter((d) => !d.valid && !isSpecimenState(d));
  const state = (field: 'issuingState' | 'nationality'): string | null => {
    const d = result.details.find((x) => x.field === field);
    const code = result.fields[field] ?? (d && isSpecimenState(d) ? rawOf(d) : null);
    return code === 'D' ? 'DEU' : (code ?? null);
  };
  const surname = result.fields.lastName?.trim() || null;
  const givenNames = result.fields.firstName?.replace(/\s+/g, ' ').trim() || null;
  return {
    format: result.format,
    valid: failed.length === 0,
    documentNumber: result.documentNumber ?? result.fields.documentNumber ?? null,
    surname,
    givenNames,
    fullName: [givenNames, surname].filter(Boolean).join(' ').replace(/\s+/g, ' ') || null,
    dateOfBirth: birthDate(result.fields.birthDate, today),
    expiryDate: expiryDate(result.fields.expirationDate, today),
    nationality: state('nationality'),
    issuingState: state('issuingState'),
    details: failed.map((d) => d.label),
    lines,
  };
}

const DIGIT_AS_LETTER: Record<string, string> = { '0': 'O', '1': 'I', '2': 'Z', '4': 'A', '5': 'S', '6': 'G', '8': 'B' };

/**
 * Parses MRZ lines (TD1/TD2/TD3). Name lines are always filler-repaired (names have no check
 * digit); data lines are tried raw first, then repaired, and the first valid reading wins. When
 * neither validates, the one with fewer failed fields is returned (repaired on a tie). Null when
 * the lines are not an MRZ layout.
 */
export function readMrz(lines: string[], today: Date = new Date()): MrzReading | null {
  // The name line is known by position (TD1: the third, TD2/TD3: the first) and holds no digits, so
  // digits in it are misread letters (B0 for BO); it must not be mistaken for a data line.
  const nameIndex = lines.length === 3 ? 2 : 0;
  const clean = lines.map((l, i) => {
    const upper = l.trim().toUpperCase();
    return i === nameIndex ? upper.replace(/[0-9]/g, (d) => DIGIT_AS_LETTER[d] ?? '<') : upper;
  });
  const names = clean.map((l, i) => (i === nameIndex ? repairFillers(l) : l));
  const candidates = [names, clean.map(repairFillers)];
  let best: MrzReading | null = null;
  for (const candidate of candidates) {
    const result = tryParse(candidate);
    const reading = result ? toReading(result, candidate, today) : null;
    if (reading?.valid) return reading;
    if (reading && (!best || reading.details.length <= best.details.length)) best = reading;
  }
  return best;
}

/** A line that looks like (part of) an MRZ: a `<` run, or a long run of MRZ characters with a filler. */
export function isMrzLike(text: string): boolean {
  const t = text.replace(/\s+/g, '');
  if (/<{2,}/.test(t) && t.length >= 8) return true;
  return t.length >= 20 && /^[A-Z0-9<KLC«]+$/.test(t) && t.includes('<');
}
