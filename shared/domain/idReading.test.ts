import { describe, expect, it } from 'vitest';
import type { OcrLineIn } from './idReading';
import { completeTruncated, deskewRegion, estimateSkew, findDates, isMrzLike, MAX_ID_TEXT, mrzRegion, nameSeenInVisual, readIdentity, splitFullNameLine } from './idReading';

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

/** `line` on a card tilted by `slope` (dy/dx, image y down): every symbol drops by slope × its x. */
function tilted(text: string, y: number, slope: number, h = 20, x = 100): OcrLineIn {
  const flat = line(text, y, h, x);
  const words = flat.words.map((w) => ({ ...w, symbols: w.symbols.map((s) => ({ ...s, y0: s.y0 + slope * s.x0, y1: s.y1 + slope * s.x0 })) }));
  return { ...flat, words, bbox: { ...flat.bbox, y1: flat.bbox.y1 + slope * flat.bbox.x1 } };
}

const TD3_SPECIMEN = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

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
    expect(r).toMatchObject({ fullName: null, documentNumber: null, dateOfBirth: null, expiryDate: null, mrzValid: false, nameSource: 'none' });
  });
});

describe('where the name came from, and the text for the proctor', () => {
  const TD3 = [line('P<UTORAGHUNATHAN<<PRIYA<<<<<<<<<<<<<<<<<<<<<', 400), line('2108317910IND5610152F3307216<<<<<<<<<<<<<<<4', 430)];

  it('says visual for a licence and mrz when the visual zone does not show the MRZ name', () => {
    expect(readIdentity({ visual: [line('DL 022348177', 186, 24), line('LN Carter', 222, 24), line('FN Emily', 253, 24)], mrz: null }, TODAY).nameSource).toBe('visual');
    expect(readIdentity({ visual: [line('REPUBLIC OF UTOPIA', 50)], mrz: TD3 }, TODAY).nameSource).toBe('mrz');
  });

  it('says both when the labelled visual name agrees, or when the visual zone shows every MRZ name token', () => {
    const labelled = [line('Surname', 100, 10), line('RAGHUNATHAN', 112, 22), line('Given names', 140, 10), line('PRIYA', 152, 22)];
    expect(readIdentity({ visual: labelled, mrz: TD3 }, TODAY).nameSource).toBe('both');
    // Labels the visual reader cannot use, but the name printed on the page.
    const unlabelled = [line('Nom Surnom', 100, 10), line('Raghunathan', 112, 22), line('PRIYA 15 OCT 1956', 152, 22)];
    const r = readIdentity({ visual: unlabelled, mrz: TD3 }, TODAY);
    expect(r.nameSource).toBe('both');
    expect(r.evidence.join(' ')).toMatch(/every MRZ name token/);
  });

  it('does not let a stray letter confirm a filler misread as a name token', () => {
    const visual = [line('CLASS C', 100), line('RAGHUNATHAN PRIYA', 130)];
    expect(nameSeenInVisual('PRIYA RAGHUNATHAN', visual)).toBe(true);
    expect(nameSeenInVisual('PRIYA C RAGHUNATHAN', visual)).toBe(false);
    expect(nameSeenInVisual('PRIYA RAGHUNATHAM', visual)).toBe(false);
    expect(nameSeenInVisual('', visual)).toBe(false);
    // ICAO spellings of the visual zone count: Ø is OE in an MRZ.
    expect(nameSeenInVisual('INGRID SOEREIDE', [line('Ingrid Søreide', 100)])).toBe(true);
    // The MRZ itself is no evidence for its own name.
    expect(nameSeenInVisual('PRIYA RAGHUNATHAN', TD3)).toBe(false);
  });

  it('gives the visual lines top to bottom, then the repaired MRZ instead of its raw lines, capped', () => {
    const visual = [line('PRIYA', 152, 22), line('REPUBLIC OF UTOPIA', 50), line('P<UTORAGHUNATHANKKPRIYAKKKKKKKKKKKKKKKKKKKKKK', 400)];
    const r = readIdentity({ visual, mrz: TD3 }, TODAY);
    expect(r.text.split('\n')).toEqual(['REPUBLIC OF UTOPIA', 'PRIYA', ...r.mrzLines!]);
    const long = Array.from({ length: 400 }, (_, i) => line(`LINE ${i} ${'X'.repeat(30)}`, i * 30));
    expect(readIdentity({ visual: long, mrz: null }, TODAY).text).toHaveLength(MAX_ID_TEXT);
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

describe('reading tilted webcam frames', () => {
  it('estimates the skew of the MRZ from its symbol baselines, ignoring other text', () => {
    const lines = [tilted('REPUBLIC OF UTOPIA', 50, -0.2), tilted(TD3_SPECIMEN[0]!, 400, 0.05), tilted(TD3_SPECIMEN[1]!, 430, 0.05)];
    expect(estimateSkew(lines)).toBeCloseTo(0.05, 3);
    expect(estimateSkew([line(TD3_SPECIMEN[0]!, 400)])).toBe(0);
    expect(estimateSkew([line('REPUBLIC OF UTOPIA', 50)])).toBe(0);
  });

  it('turns the MRZ rectangle with the frame when deskewing', () => {
    const image = { width: 1000, height: 500 };
    const region = { x0: 700, y0: 240, x1: 800, y1: 260 };
    expect(deskewRegion(region, 0, image)).toEqual({ rotateRadians: -0, box: region });
    const { rotateRadians, box } = deskewRegion(region, 0.1, image);
    expect(rotateRadians).toBeCloseTo(-Math.atan(0.1), 6);
    // The box's centre, 250 px right of the frame's centre, moves down by 250·sin θ ≈ 25 px.
    expect((box.x0 + box.x1) / 2).toBeCloseTo(749, 0);
    expect((box.y0 + box.y1) / 2).toBeCloseTo(275, 0);
    expect(deskewRegion({ x0: 0, y0: 0, x1: 1000, y1: 500 }, 0.1, image).box).toEqual({ x0: 0, y0: 0, x1: 1000, y1: 500 });
  });

  it('keeps a name letter that slotting dropped into its neighbour\'s slot', () => {
    const mrz = [line(TD3_SPECIMEN[0]!, 400), line(TD3_SPECIMEN[1]!, 430)];
    const k = mrz[0]!.words[0]!.symbols[8]!; // the K of ERIKSSON, nudged onto the S and less confident
    Object.assign(k, { x0: k.x0 + 10, x1: k.x1 + 10, confidence: 40 });
    const r = readIdentity({ visual: [], mrz }, TODAY);
    expect(r.mrzValid).toBe(true);
    expect(r.surname).toBe('ERIKSSON');
  });

  it('completes an MRZ name cut at the end of its line from the visual zone', () => {
    const visual = [line('WORTHINGTON-SMYTHE', 100, 22), line('KATHERINE ANNE VICTORIA', 130, 22)];
    expect(completeTruncated('KATHERINE ANNE VICT', visual)).toBe('KATHERINE ANNE VICTORIA');
    expect(completeTruncated('KATHERINE ANNE VICTORIA', visual)).toBeNull();
    expect(completeTruncated('KATHLEEN', visual)).toBeNull();
    const mrz = [line('P<UTOWORTHINGTON<SMYTHE<<KATHERINE<ANNE<VICT', 400), line('UM94039537GBR8505084F2806228<<<<<<<<<<<<<<<0', 430)];
    expect(readIdentity({ visual, mrz }, TODAY).fullName).toBe('KATHERINE ANNE VICTORIA WORTHINGTON SMYTHE');
    // A name that ended with fillers was not cut: a longer visual line changes nothing.
    const whole = [line('P<UTOERIKSSON<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<', 400), line(TD3_SPECIMEN[1]!, 430)];
    expect(readIdentity({ visual: [line('ANNA MARIA', 100, 22)], mrz: whole }, TODAY).givenNames).toBe('ANNA');
  });

  it('names the failed MRZ checks so a caller can rank two invalid readings', () => {
    const broken = [line(TD3_SPECIMEN[0]!, 400), line(TD3_SPECIMEN[1]!.replace('7408122', '7408123'), 430)];
    expect(readIdentity({ visual: [], mrz: broken }, TODAY)).toMatchObject({ mrzValid: false, mrzFailures: ['Birth date check digit', 'Composite check digit'] });
    expect(readIdentity({ visual: [], mrz: [line(TD3_SPECIMEN[0]!, 400), line(TD3_SPECIMEN[1]!, 430)] }, TODAY).mrzFailures).toEqual([]);
  });

  it('never takes a birth date from the future', () => {
    const visual = [line('DOB 07/02/2028', 100, 22), line('EXP 05/05/2031', 130, 22)];
    expect(readIdentity({ visual, mrz: null }, TODAY)).toMatchObject({ dateOfBirth: null, expiryDate: '2031-05-05' });
    const withPast = [...visual, line('ISS 03/16/1952', 160, 22)];
    expect(readIdentity({ visual: withPast, mrz: null }, TODAY).dateOfBirth).toBe('1952-03-16');
  });
});

describe('licence values under garbled labels', () => {
  it('drops label debris stuck to capital values and reads a dashed number behind debris', () => {
    const visual = [line('« 1L94-75-8604', 270, 16), line('Ww LI', 298, 20), line('2 zBO', 327, 18), line('8786 Elm Ct', 352, 12)];
    expect(readIdentity({ visual, mrz: null }, TODAY)).toMatchObject({ documentNumber: 'L94-75-8604', surname: 'LI', givenNames: 'BO' });
  });

  it('skips a garbled label printed smaller than the value below it', () => {
    const visual = [line('079506138', 297, 34), line('LEE]', 339, 13), line('WOJCIK', 354, 27), line('FIRST NAME', 385, 8), line('PIOTR', 400, 19)];
    // Beside the column, the photo's tall garbage must not turn a value into a "label".
    visual.push(line('o ha', 360, 119, 600));
    expect(readIdentity({ visual, mrz: null }, TODAY)).toMatchObject({ surname: 'WOJCIK', givenNames: 'PIOTR' });
  });

  it('completes a half-read name from the name printed in full, given names first', () => {
    const visual = [line('J8060319', 248, 17), line('JEAN-BAPTISTE', 334, 17), line('7071 Sunset Blvd', 361, 12), line('Jean-Baptiste Dubois', 481, 50, 20)];
    expect(readIdentity({ visual, mrz: null }, TODAY)).toMatchObject({ givenNames: 'Jean-Baptiste', surname: 'Dubois' });
    expect(splitFullNameLine([line('Ahmet Yilmaz', 490)], 'YILMAZ')).toEqual({ givenNames: 'Ahmet', surname: 'Yilmaz' });
    expect(splitFullNameLine([line('Ahmet Yilmaz', 490)], 'YILDIZ')).toBeNull();
  });
});
