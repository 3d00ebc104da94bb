import { describe, expect, it } from 'vitest';
import type { OcrLineIn } from './idReading';
import { findDates, isMrzLike, mrzRegion, readIdentity } from './idReading';

const TODAY = new Date('2026-11-28T00:00:00Z');

/** A hand-made OCR line at row `y`, words laid out left to right with `h`-pixel glyphs and one symbol per character. */
function line(text: string, y: number, h = 20, x = 100): OcrLineIn {
  const pitch = h * 0.6;
  let cursor = x;
  const words = text.split(' ').map((w) => {
    const symbols = [...w].map((c, i) => ({ text: c, x0: cursor + i * pitch, x1: cursor + (i + 1) * pitch - 1, y0: y, y1: y + h, confidence: 90 }));
    const bbox = { x0: cursor, y0: y, x1: cursor + w.length * pitch, y1: y + h };
    cursor = bbox.x1 + pitch;
    return { text: w, bbox, confidence: 90, symbols };
  });
  return { text, bbox: { x0: x, y0: y, x1: cursor - pitch, y1: y + h }, confidence: 90, words };
}

describe('readIdentity', () => {
  it('reads a driving licence from the values under its labels', () => {
    const visual = [
      line('STATE OF NEW AVALON DRIVER LICENSE', 50, 30, 50),
      line('LICENSE NO.', 140, 10),
      line('H507-9643-3612', 155, 24),
      line('LASTNAVE', 190, 10),
      line("O'Donnell", 203, 24),
      line('FIRST NAME', 240, 10),
      line('Seán Patrick', 251, 24),
      line('1896 Lakeview Dr', 283, 18),
      line('DATE OF BIRTH EXPIRES', 321, 10),
      line('08/26/1999 06/09/2023', 342, 22),
      line('06/09/2019 M 5-08" BLU D', 380, 18),
    ];
    const r = readIdentity({ visual, mrz: null }, TODAY);
    expect(r).toMatchObject({
      fullName: "Seán Patrick O'Donnell",
      surname: "O'Donnell",
      givenNames: 'Seán Patrick',
      documentNumber: 'H507-9643-3612',
      dateOfBirth: '1999-08-26',
      expiryDate: '2023-06-09',
      mrzValid: false,
      mrzLines: null,
    });
  });

  it('drops short inline labels in front of licence values', () => {
    const visual = [line('DL 022348177', 186, 24), line('LN Carter', 222, 24), line('FN Emily', 253, 24), line('4008 Elm Ct', 282, 16)];
    const r = readIdentity({ visual, mrz: null }, TODAY);
    expect(r.surname).toBe('Carter');
    expect(r.givenNames).toBe('Emily');
    expect(r.documentNumber).toBe('022348177');
  });

  it('takes a valid MRZ and keeps the visual diacritics when both agree', () => {
    const visual = [line('Apellidos / Surname', 100, 10), line('GROSS', 112, 22), line('Nombres / Given names', 140, 10), line('JÜRGEN', 152, 22)];
    const mrz = [
      line('I<UTOASM4181312<<<<<<<<<<<<<<<', 400),
      line('0511106M2802079D<<<<<<<<<<<<<0', 430),
      line('GROSS<<JUERGEN<<<<<<<<<<<<<<<<', 460),
    ];
    const r = readIdentity({ visual, mrz }, TODAY);
    expect(r.mrzValid).toBe(true);
    expect(r.documentNumber).toBe('ASM418131');
    expect(r.dateOfBirth).toBe('2005-11-10');
    expect(r.expiryDate).toBe('2028-02-07');
    expect(r.fullName).toBe('JÜRGEN GROSS');
  });

  it('prefers the valid MRZ name when the visual name disagrees', () => {
    const visual = [line('Surname', 100, 10), line('RAGHUNATHEN', 112, 22), line('Given names', 140, 10), line('PRIYA', 152, 22)];
    const mrz = [line('P<UTORAGHUNATHAN<<PRIYA<<<<<<<<<<<<<<<<<<<<<', 400), line('2108317910IND5610152F3307216<<<<<<<<<<<<<<<4', 430)];
    const r = readIdentity({ visual, mrz }, TODAY);
    expect(r.mrzValid).toBe(true);
    expect(r.fullName).toBe('PRIYA RAGHUNATHAN');
    expect(r.evidence.join(' ')).toMatch(/mismatch|partial/);
  });

  it('cuts fillers misread as letters off the given names', () => {
    const mrz = [line('P<UTORAGHUNATHAN<<PRIYA<<<<<<LLLLLLLLLLLLRL', 400), line('2108317910IND5610152F3307216<<<<<<<<<<<<<<<4', 430)];
    const r = readIdentity({ visual: [], mrz }, TODAY);
    expect(r.givenNames).toBe('PRIYA');
    expect(r.surname).toBe('RAGHUNATHAN');
  });

  it('reports nothing it did not read', () => {
    const r = readIdentity({ visual: [line('REPUBLIC OF UTOPIA', 50)], mrz: null }, TODAY);
    expect(r).toMatchObject({ fullName: null, documentNumber: null, dateOfBirth: null, expiryDate: null, mrzValid: false });
  });
});

describe('MRZ location and dates', () => {
  it('recognises MRZ-like lines and bounds them inside the image', () => {
    expect(isMrzLike('P<UTORAGHUNATHAN<<PRIYA<<<<')).toBe(true);
    expect(isMrzLike('REPUBLIC OF UTOPIA')).toBe(false);
    const region = mrzRegion([line('REPUBLIC', 10), line('0511106M2802079D<<<<<<<<<<<<<0', 690)], { width: 1280, height: 720 });
    expect(region).not.toBeNull();
    expect(region!.y1).toBe(720);
    expect(region!.y0).toBeLessThan(690);
    expect(mrzRegion([line('REPUBLIC', 10)], { width: 1280, height: 720 })).toBeNull();
  });

  it('reads US, day-first and month-name dates', () => {
    expect(findDates('08/26/1999 06/09/2023')).toEqual(['1999-08-26', '2023-06-09']);
    expect(findDates('26.08.1999')).toEqual(['1999-08-26']);
    expect(findDates('15 OCT/OCT 1956')).toEqual(['1956-10-15']);
  });
});
