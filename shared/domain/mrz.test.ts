import { describe, expect, it } from 'vitest';
import type { OcrSymbol } from './mrz';
import { birthDate, expiryDate, normaliseMrzChar, readMrz, repairFillers, slotLines } from './mrz';

const today = new Date('2026-11-28T12:00:00Z');

// ICAO 9303 specimens.
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];

// Two cases from the dev set's truth (copied as literals: tests do not read fixtures).
const GERMAN_TD1 = ['I<UTOASM4181312<<<<<<<<<<<<<<<', '0511106M2802079D<<<<<<<<<<<<<0', 'GROSS<<JUERGEN<<<<<<<<<<<<<<<<'];
const OPTIONAL_TD1 = ['I<UTOT7841189185010658<<<<<<<<', '9909209M2706144USA<<<<<<<<<<<3', 'JACKSON<<DANDRE<<<<<<<<<<<<<<<'];

describe('readMrz on ICAO specimens', () => {
  it('reads the TD3 passport specimen, accepting the specimen state UTO', () => {
    expect(readMrz(TD3, today)).toMatchObject({
      format: 'TD3',
      valid: true,
      documentNumber: 'L898902C3',
      surname: 'ERIKSSON',
      givenNames: 'ANNA MARIA',
      fullName: 'ANNA MARIA ERIKSSON',
      dateOfBirth: '1974-08-12',
      expiryDate: '2012-04-15',
      nationality: 'UTO',
      issuingState: 'UTO',
      details: [],
    });
  });

  it('reads the TD1 identity card specimen', () => {
    expect(readMrz(TD1, today)).toMatchObject({
      format: 'TD1',
      valid: true,
      documentNumber: 'D23145890',
      fullName: 'ANNA MARIA ERIKSSON',
      dateOfBirth: '1974-08-12',
      expiryDate: '2012-04-15',
      issuingState: 'UTO',
    });
  });

  it('reads the TD2 specimen', () => {
    expect(readMrz(TD2, today)).toMatchObject({ format: 'TD2', valid: true, documentNumber: 'D23145890', surname: 'ERIKSSON' });
  });

  it('reports which check digit failed', () => {
    const broken = [TD3[0]!, TD3[1]!.replace('7408122', '7408123')];
    const r = readMrz(broken, today);
    expect(r?.valid).toBe(false);
    expect(r?.details).toContain('Birth date check digit');
    expect(r?.details).not.toContain('Issuing state');
  });

  it('returns null for lines that are not an MRZ layout', () => {
    expect(readMrz(['HELLO', 'WORLD'], today)).toBeNull();
    expect(readMrz([], today)).toBeNull();
  });
});

describe('readMrz on dev-set truth', () => {
  it('reads a German card whose nationality is the one-letter code D', () => {
    expect(readMrz(GERMAN_TD1, today)).toMatchObject({
      valid: true,
      documentNumber: 'ASM418131',
      fullName: 'JUERGEN GROSS',
      dateOfBirth: '2005-11-10',
      expiryDate: '2028-02-07',
      nationality: 'DEU',
    });
  });

  it('keeps the document number apart from optional data', () => {
    expect(readMrz(OPTIONAL_TD1, today)).toMatchObject({
      valid: true,
      documentNumber: 'T78411891',
      fullName: 'DANDRE JACKSON',
      dateOfBirth: '1999-09-20',
      expiryDate: '2027-06-14',
      nationality: 'USA',
    });
  });
});

describe('filler repair', () => {
  it('leaves correct lines unchanged', () => {
    for (const line of [...TD3, ...TD1, ...TD2, ...GERMAN_TD1, ...OPTIONAL_TD1]) expect(repairFillers(line)).toBe(line);
  });

  it('repairs a TD3 passport whose fillers were read as K, L and C', () => {
    const misread = ['P<UTOERIKSSON<KANNA<MARIA<<KLC<<KKLLCC<KLLKC', 'L898902C36UTO7408122F1204159ZE184226BKLCKK10'];
    expect(repairFillers(misread[0]!)).toBe(TD3[0]);
    const r = readMrz(misread, today);
    expect(r).toMatchObject({ valid: true, surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'L898902C3' });
    expect(r?.lines).toEqual(TD3);
  });

  it('repairs a TD1 card with misread fillers, a misread document type and German D<<', () => {
    const misread = ['ICUTOASM4181312KKL<<CCLLKKK<LC', '0511106M2802079DKLLKCCLLKKLLC0', 'GROSSK<JUERGEN<CKKLCCLLKKCLKLK'];
    const r = readMrz(misread, today);
    expect(r).toMatchObject({ valid: true, documentNumber: 'ASM418131', fullName: 'JUERGEN GROSS', nationality: 'DEU' });
  });

  it('keeps real letters of names that end in K, L or C', () => {
    expect(repairFillers('MITCHELL<<PATRICK<<<KKLC<<KLC')).toBe('MITCHELL<<PATRICK<<<<<<<<<<<<');
    expect(repairFillers('P<UTOHALL<<ERIK<<<<<<<<<<<<<<<<<<<<<<<<<<<<')).toBe('P<UTOHALL<<ERIK<<<<<<<<<<<<<<<<<<<<<<<<<<<<');
    // With no surviving `<`, an -ELL ending is kept; a short run might be the name itself.
    expect(repairFillers('RUSSELLKKKLCKKLKCLCLKKKLCKKKLC')).toBe('RUSSELL<<<<<<<<<<<<<<<<<<<<<<<');
    expect(repairFillers('NG<<ERIK<<<<<<<<<<<<<<<<<<<<CK')).toBe('NG<<ERIK<<<<<<<<<<<<<<<<<<<<<<');
    expect(repairFillers('NG<<ERICK')).toBe('NG<<ERICK');
  });

  it('keeps the raw reading when the repair would break a valid check digit', () => {
    // A personal number that really ends in K: repair trims it, the composite check then fails.
    const lines = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226K<<<<<08'];
    expect(repairFillers(lines[1]!)).not.toBe(lines[1]);
    expect(readMrz(lines, today)).toMatchObject({ valid: true, lines });
  });
});

describe('name line', () => {
  it('repairs a name line with a digit for a letter instead of taking it for a data line', () => {
    // Read from a tilted webcam frame: O as 0, trailing fillers as L and K.
    const r = readMrz([TD1[0]!, TD1[1]!, 'ERIKSS0N<<ANNA<MARIA<<<L<LKLLL'], today);
    expect(r).toMatchObject({ valid: true, surname: 'ERIKSSON', givenNames: 'ANNA MARIA' });
    expect(readMrz(['P<UT0ERIKSSON<<ANNA<MAR1A<<<<<<<<LLLLKLLLLLL', TD3[1]!], today)).toMatchObject({ valid: true, givenNames: 'ANNA MARIA' });
  });
});

describe('dates', () => {
  it('puts birth dates in the past', () => {
    expect(birthDate('051110', today)).toBe('2005-11-10');
    expect(birthDate('261127', today)).toBe('2026-11-27');
    expect(birthDate('261129', today)).toBe('1926-11-29');
    expect(birthDate('300101', today)).toBe('1930-01-01');
  });

  it('puts expiry dates at most 20 years ahead, keeping expired documents in the past', () => {
    expect(expiryDate('120415', today)).toBe('2012-04-15');
    expect(expiryDate('460101', today)).toBe('2046-01-01');
    expect(expiryDate('470101', today)).toBe('1947-01-01');
  });

  it('rejects impossible dates', () => {
    expect(birthDate('741312', today)).toBeNull();
    expect(expiryDate('12O415', today)).toBeNull();
    expect(expiryDate(null, today)).toBeNull();
  });
});

/** Symbols for `lines` at a fixed pitch, as tesseract would report them. */
function symbolsFor(lines: string[], pitch = 20, left = 100): OcrSymbol[] {
  return lines.flatMap((line, row) =>
    [...line].map((text, i) => ({ text, x0: left + i * pitch + 2, x1: left + (i + 1) * pitch - 2, y0: 400 + row * 40, y1: 430 + row * 40, confidence: 90 })),
  );
}

describe('slotLines', () => {
  it('reads evenly spaced symbols and picks the format from the shape', () => {
    expect(slotLines(symbolsFor(TD3))).toEqual(TD3);
    expect(slotLines(symbolsFor(TD1))).toEqual(TD1);
    expect(slotLines(symbolsFor(TD2))).toEqual(TD2);
  });

  it('folds an over-long line back into its slots, keeping the most confident symbol', () => {
    const symbols = symbolsFor(TD3);
    // The engine split two fillers into two narrow low-confidence glyphs each: 46 symbols on line 2.
    const line2 = symbols.filter((s) => s.y0 === 440);
    for (const i of [38, 40]) {
      const s = line2[i]!;
      symbols.push({ ...s, text: 'K', x0: s.x0, x1: s.x0 + 6, confidence: 40 });
    }
    expect(symbols.filter((s) => s.y0 === 440)).toHaveLength(46);
    expect(slotLines(symbols)).toEqual(TD3);
  });

  it('lets the confident symbol win when two share a slot', () => {
    const symbols = symbolsFor(TD1);
    const first = symbols.findIndex((s) => s.y0 === 480 && s.text === 'E');
    symbols.push({ ...symbols[first]!, text: 'F', confidence: 95 });
    expect(slotLines(symbols)?.[2]).toBe('FRIKSSON<<ANNA<MARIA<<<<<<<<<<');
  });

  it('leaves a filler where a symbol was dropped, also at the start of a line', () => {
    const symbols = symbolsFor(TD1).filter((s, i) => i !== 35 && i !== 60); // line 2 slot 5, line 3 slot 0
    expect(slotLines(symbols)).toEqual([TD1[0], '74081<2F1204159UTO<<<<<<<<<<<6', '<RIKSSON<<ANNA<MARIA<<<<<<<<<<']);
    const passport = symbolsFor(TD3).filter((_, i) => i !== 44); // line 2 slot 0
    expect(slotLines(passport)?.[1]).toBe('<' + TD3[1]!.slice(1));
  });

  it('normalises look-alikes and lowercase, and ignores stray marks above the MRZ', () => {
    const symbols = symbolsFor(TD2).map((s) => (s.text === '<' ? { ...s, text: '«' } : s.text === 'E' ? { ...s, text: 'e' } : s));
    symbols.push({ text: '.', x0: 300, x1: 304, y0: 100, y1: 104, confidence: 10 });
    expect(slotLines(symbols)).toEqual(TD2);
    expect(normaliseMrzChar('é')).toBe('E');
    expect(normaliseMrzChar('‹')).toBe('<');
  });

  it('honours an explicit format and returns null without enough lines', () => {
    expect(slotLines(symbolsFor(TD3), 'TD1')).toBeNull();
    expect(slotLines([], 'TD3')).toBeNull();
    expect(slotLines(symbolsFor([TD3[0]!]))).toBeNull();
  });
});
