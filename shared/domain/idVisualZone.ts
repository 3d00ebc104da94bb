/**
 * The visual (printed) zone of an ID: labelled name fields, dates and the document number, read
 * from OCR lines. Driving licences have no MRZ, so their identity comes from here alone; on
 * passports and ID cards it supplies the diacritics the MRZ cannot carry.
 */
import { isMrzLike } from './mrz';
import { spellings, tokenize } from './nameMatch';
import { boxHeight as height, type OcrLineIn } from './ocrLines';

export interface VisualFields {
  surname: string | null;
  givenNames: string | null;
  documentNumber: string | null;
  dateOfBirth: string | null;
  expiryDate: string | null;
}

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

// The dashed form has no left boundary: label debris often sticks to it ("1L94-75-8604").
const DOC_NUMBER = /([A-Z]?\d{2,3}-\d{2,4}-\d{3,4}\b|\b[A-Z]\d{7,8}\b|\b\d{9}\b|\b[A-Z]{1,3}\d{6,8}\b)/;

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
  let tokens = kept.map((w) => w.text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '').replace(/^\p{Ll}+(?=\p{Lu}{2,}$)/u, ''));
  // A value printed in capitals: a short mixed-case token beside it is label debris ("Ww LI").
  if (tokens.some((t) => t.length >= 2 && t === t.toUpperCase())) tokens = tokens.filter((t) => t === t.toUpperCase() || t.length > 2);
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

const squashForms = (text: string): string[] => spellings(tokenize(text).join(''));
const nameWords = (text: string): string[] =>
  text
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''))
    .filter((w) => NAME_TOKEN.test(w));

/**
 * Licences repeat the whole name in large print, given names first. When only one name value was
 * read, a line made of that value plus more name words tells which part it was and supplies the other.
 */
export function splitFullNameLine(lines: OcrLineIn[], known: string): { surname: string; givenNames: string } | null {
  const key = squashForms(known);
  for (const line of lines) {
    const words = nameWords(line.text);
    for (let k = 1; k < words.length; k++) {
      const head = words.slice(0, k).join(' ');
      const tail = words.slice(k).join(' ');
      if (squashForms(head).some((f) => key.includes(f))) return { givenNames: head, surname: tail };
      if (squashForms(tail).some((f) => key.includes(f))) return { givenNames: head, surname: tail };
    }
  }
  return null;
}

/** Fields of the visual zone (labels differ by issuer and language; layout: number, surname, given names, …, dates). */
export function readVisual(lines: OcrLineIn[], today: Date = new Date()): VisualFields {
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
    // Only the column under the number: the photo beside it yields tall garbage lines.
    const column = sorted.slice(numberIndex + 1).filter((l) => Math.abs(l.bbox.x0 - anchor.x0) <= (anchor.x1 - anchor.x0) * 0.6);
    for (const [i, line] of column.entries()) {
      if (values.length === 2) break;
      if (/\d{2,}/.test(line.text)) break; // the address or dates: the names are over (a lone digit is label debris)
      const next = column[i + 1];
      if (next && height(line.bbox) < height(next.bbox) * 0.6) continue; // a garbled label above its value
      const v = nameValue(line, valueHeight);
      if (v && !v.split(' ').every(isLabelWord)) values.push(v);
    }
    if (!surname) surname = values[0] ?? null;
    if (!givenNames) givenNames = values.find((v) => v !== surname) ?? null;
  }
  const half = surname && !givenNames ? surname : !surname && givenNames ? givenNames : null;
  if (half) {
    const whole = splitFullNameLine(sorted, half);
    if (whole) ({ surname, givenNames } = whole);
  }
  return {
    surname,
    givenNames,
    documentNumber,
    // A birth date lies in the past: a misread future date (an expiry, a garbled year) is not one.
    dateOfBirth: dates.find((d) => d < today.toISOString().slice(0, 10)) ?? null,
    expiryDate: dates.length > 1 ? dates[dates.length - 1]! : null,
  };
}

/**
 * ICAO 9303 cuts a name that does not fit the MRZ line ("KATHERINE<ANNE<VICT"). A visual line whose
 * letters start with the cut name and go on supplies the whole of it; null when none does.
 */
export function completeTruncated(mrzName: string, visual: OcrLineIn[]): string | null {
  const key = tokenize(mrzName).join('');
  if (key.length < 3) return null;
  for (const line of visual) {
    if (isMrzLike(line.text)) continue;
    const words = line.text
      .split(/\s+/)
      .map((w) => w.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''))
      .filter((w) => NAME_TOKEN.test(w));
    for (let start = 0; start < words.length; start++) {
      for (let end = start + 1; end <= words.length; end++) {
        const candidate = words.slice(start, end).join(' ');
        const forms = spellings(tokenize(candidate).join(''));
        if (forms.some((f) => f.length > key.length && f.startsWith(key))) return candidate;
        if (forms.every((f) => f.length >= key.length)) break; // longer spans only add words after the name
      }
    }
  }
  return null;
}
