import { describe, expect, it } from 'vitest';
import type { NameVerdict, ReadName } from './nameMatch';
import { matchName, spellings, tokenize } from './nameMatch';

type Row = readonly [rule: string, registered: string, read: ReadName, verdict: NameVerdict];
const full = (fullName: string): ReadName => ({ fullName });
const mrz = (surname: string, givenNames: string): ReadName => ({ surname, givenNames });

// Each row is a pair a proctor would judge the same way; verdicts are asserted exactly.
const table: readonly Row[] = [
  // demo accounts
  ['demo: visual name', 'Amara Okafor', full('Amara Okafor'), 'match'],
  ['demo: MRZ surname first', 'Amara Okafor', full('OKAFOR<<AMARA<<<<<<<<<<<<<<<<<'), 'match'],
  ['demo: ICAO Ü→UE in the MRZ', 'Jonas Müller', full('MUELLER<<JONAS<<<<<<<<<<<<<<<<'), 'match'],
  ['demo: accent stripped in the visual zone', 'Jonas Müller', mrz('MULLER', 'JONAS'), 'match'],
  ['demo: accent kept by OCR', 'Jonas Müller', full('Jonas Müller'), 'match'],
  ['demo: sibling with the same surname', 'Amara Okafor', mrz('OKAFOR', 'ADAEZE'), 'mismatch'],
  ['demo: different person', 'Jonas Müller', full('Amara Okafor'), 'mismatch'],
  // case and order
  ['case', 'amara okafor', full('AMARA OKAFOR'), 'match'],
  ['surname first without fillers', 'Amara Okafor', full('OKAFOR AMARA'), 'match'],
  // diacritics and ICAO transliteration
  ['ß→SS', 'Jürgen Groß', full('GROSS<<JUERGEN<<<<<<<<<<<<<<<<'), 'match'],
  ['Ø→OE and Å→AA', 'Lars Erik Ødegård', full('OEDEGAARD<<LARS<ERIK<<<<<<<<<<'), 'match'],
  ['Ø→O and Å→A accepted too', 'Lars Erik Ødegård', mrz('ODEGARD', 'LARS ERIK'), 'match'],
  ['Ø→OE', 'Ingrid Søreide', full('SOEREIDE<<INGRID<<<<<<<<<<<<<<'), 'match'],
  ['Vietnamese stacked accents and Đ→D', 'Trần Văn Đức', full('TRAN<<VAN<DUC<<<<<<<<<<<<<<<<<'), 'match'],
  ['Ł→L', 'Małgorzata Wiśniewska', mrz('WISNIEWSKA', 'MALGORZATA'), 'match'],
  ['Þ→TH', 'Þóra Jónsdóttir', mrz('JONSDOTTIR', 'THORA'), 'match'],
  ['Æ→AE', 'Ægir Hansen', mrz('HANSEN', 'AEGIR'), 'match'],
  ['Œ→OE', 'Cœur Martin', mrz('MARTIN', 'COEUR'), 'match'],
  ['Ĳ→IJ', 'Ĳsbrand Kok', mrz('KOK', 'IJSBRAND'), 'match'],
  ['Ð→D', 'Guðrún Ólafsdóttir', mrz('OLAFSDOTTIR', 'GUDRUN'), 'match'],
  ['Ç, ã, ç stripped', 'João Pedro Gonçalves', full('GONCALVES<<JOAO<PEDRO<<<<<<<<<'), 'match'],
  ['Turkish dotless ı', 'Ahmet Yılmaz', mrz('YILMAZ', 'AHMET'), 'match'],
  ['transliteration is not a licence to differ', 'Jonas Müller', mrz('MILLER', 'JONAS'), 'partial'],
  // hyphens and apostrophes
  ['hyphen as a space', 'Jean-Luc Picard', full('JEAN LUC PICARD'), 'match'],
  ['hyphen as MRZ filler', 'Jean-Baptiste Dubois', full('DUBOIS<<JEAN<BAPTISTE<<<<<<<<<'), 'match'],
  ['hyphenated name written as one word', 'Jean-Luc Picard', full('JEANLUC PICARD'), 'match'],
  ['double surname joined', 'Aoife Mary McAllister-Quinn', mrz('MCALLISTERQUINN', 'AOIFE MARY'), 'match'],
  ['apostrophe dropped', "Siobhán O'Brien", full('OBRIEN<<SIOBHAN<<<<<<<<<<<<<<<'), 'match'],
  ['typographic apostrophe', 'Seán Patrick O’Donnell', full("Sean Patrick O'Donnell"), 'match'],
  ['apostrophe in a given name', "D'Andre Jackson", full('JACKSON<<DANDRE<<<<<<<<<<<<<<<'), 'match'],
  // particles
  ['particle left out on the ID', 'Ana Sofia da Silva Santos', mrz('SILVA SANTOS', 'ANA SOFIA'), 'match'],
  ['particle only on the ID', 'José Luis Fernández Córdoba', mrz('FERNANDEZ DE CORDOBA', 'JOSE LUIS'), 'match'],
  ['particle joined to the surname', 'Fatima Zahra El Amrani', mrz('ELAMRANI', 'FATIMA ZAHRA'), 'match'],
  ['Al- prefix dropped', 'Mohammed Ali Al-Farsi', mrz('FARSI', 'MOHAMMED ALI'), 'match'],
  ['matching particles alone are not a match', 'Maria de Souza', full('JOAO DE LIMA'), 'mismatch'],
  ['a particle-like surname is not dropped on one agreeing name', 'Lê Văn Đức', full('DUC'), 'partial'],
  // missing or extra middle names
  ['middle name missing on the ID', 'Rajesh Kumar Venkataraman', mrz('VENKATARAMAN', 'RAJESH'), 'partial'],
  ['middle names missing in the registration', 'Katherine Smythe', full('Katherine Anne Victoria Smythe'), 'partial'],
  ['a missing and an extra name is another person', 'Mohammed Ali Al-Farsi', mrz('AL HASHIMI', 'MOHAMMED'), 'mismatch'],
  // MRZ truncation
  ['TD1 field cut at 30', 'José Luis Fernández de Córdoba', full('FERNANDEZ<DE<CORDOBA<<JOSE<LUI'), 'match'],
  ['TD1 cut, parsed into fields', 'José Luis Fernández de Córdoba', mrz('FERNANDEZ DE CORDOBA', 'JOSE LUI'), 'match'],
  ['TD3 field cut at 39', 'Katherine Anne Victoria Worthington-Smythe', full('WORTHINGTON<SMYTHE<<KATHERINE<ANNE<VICT'), 'match'],
  ['truncation flag given by the MRZ parser', 'Chukwuemeka Okonkwo', { surname: 'OKONKWO', givenNames: 'CHUKW', truncated: true }, 'match'],
  ['a short prefix is not a name', 'Lars Erik Ødegård', { surname: 'OEDEGAARD', givenNames: 'LARS ER', truncated: true }, 'partial'],
  ['a filler after the prefix means no truncation', 'José Luis Fernández de Córdoba', full('FERNANDEZ<DE<CORDOBA<<JOSE<LUI<<<<<<<<'), 'partial'],
  ['an untruncated prefix does not match', 'Chukwuemeka Okonkwo', mrz('OKONKWO', 'CHUKW'), 'partial'],
  // similar but different names never match
  ['Jon vs John', 'John', full('JON'), 'mismatch'],
  ['Jon vs John with agreeing surname', 'John Smith', full('JON SMITH'), 'partial'],
  ['Ana vs Anna', 'Anna Lindqvist', mrz('LINDQVIST', 'ANA'), 'partial'],
  ['Mohamed vs Mohammed', 'Mohamed Salah', mrz('SALAH', 'MOHAMMED'), 'partial'],
  ['Muller vs Mueller without an umlaut to explain it', 'Jonas Muller', mrz('MUELLER', 'JONAS'), 'partial'],
  ['OCR digit for a letter is not forgiven', 'Jonas Müller', mrz('MUELLER', 'J0NAS'), 'partial'],
  ['both names slightly off', 'Jon Smyth', full('JOHN SMITH'), 'mismatch'],
  ['short Chinese names', 'Wu Li', full('LI BO'), 'mismatch'],
  ['short Chinese names, same', 'Li Bo', full('LI<<BO<<<<<<<<<<<<<<<<<<<<<<<<'), 'match'],
  ['Zoë', 'Zoë Ng', full('NG<<ZOE<<<<<<<<<<<<<<<<<<<<<<<'), 'match'],
  // unreadable
  ['empty', 'Amara Okafor', full(''), 'unreadable'],
  ['nothing at all', 'Amara Okafor', {}, 'unreadable'],
  ['only fillers', 'Amara Okafor', full('<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<'), 'unreadable'],
  ['one letter', 'Amara Okafor', { surname: 'K', givenNames: null }, 'unreadable'],
  ['noise', 'Amara Okafor', full('#%1|/ 8@0~'), 'unreadable'],
  ['mostly noise', 'Amara Okafor', full('|1/8 A% 0O#~ 7]'), 'unreadable'],
  ['fields empty, full name readable', 'Amara Okafor', { surname: '', givenNames: ' ', fullName: 'AMARA OKAFOR' }, 'match'],
];

describe('matchName table', () => {
  it.each(table)('%s: %s vs %j → %s', (_rule, registered, read, verdict) => {
    expect(matchName(registered, read).verdict).toBe(verdict);
  });

  it('has at least 40 pairs covering match, partial, mismatch and unreadable', () => {
    expect(table.length).toBeGreaterThanOrEqual(40);
    expect(new Set(table.map((r) => r[3]))).toEqual(new Set(['match', 'partial', 'mismatch', 'unreadable']));
  });
});

describe('matchName evidence', () => {
  it('lists the missing middle name for the proctor', () => {
    const r = matchName('Rajesh Kumar Venkataraman', mrz('VENKATARAMAN', 'RAJESH'));
    expect(r.differences).toEqual([{ token: 'KUMAR', side: 'registered', kind: 'missing' }]);
    expect(r.reason).toBe('The names only partly match: the ID does not show KUMAR.');
  });

  it('shows both spellings of a similar name', () => {
    const r = matchName('Mohamed Salah', mrz('SALAH', 'MOHAMMED'));
    expect(r.differences).toEqual([
      { token: 'MOHAMED', side: 'registered', kind: 'different', counterpart: 'MOHAMMED' },
      { token: 'MOHAMMED', side: 'read', kind: 'different', counterpart: 'MOHAMED' },
    ]);
    expect(r.reason).toContain('the ID reads MOHAMMED where the registered name has MOHAMED');
  });

  it('names the replaced given name when a sibling presents their ID', () => {
    const r = matchName('Amara Okafor', mrz('OKAFOR', 'ADAEZE'));
    expect(r.differences).toEqual([
      { token: 'AMARA', side: 'registered', kind: 'missing' },
      { token: 'ADAEZE', side: 'read', kind: 'extra' },
    ]);
    expect(r.reason).toMatch(/^The name on the ID does not match the registered name: .*AMARA.*ADAEZE/);
  });

  it('returns the tokens it compared, accents kept for display', () => {
    const r = matchName('Jonas Müller', full('MUELLER<<JONAS<<<<<<<<<<<<<<<<'));
    expect(r.registeredTokens).toEqual(['JONAS', 'MÜLLER']);
    expect(r.readTokens).toEqual(['MUELLER', 'JONAS']);
    expect(r.differences).toEqual([]);
    expect(r.reason).toBe('The name on the ID matches the registered name.');
  });

  it('explains a truncated MRZ name in the reason', () => {
    const r = matchName('José Luis Fernández de Córdoba', full('FERNANDEZ<DE<CORDOBA<<JOSE<LUI'));
    expect(r.reason).toBe('The name on the ID matches the registered name (the ID shortens LUIS to LUI).');
  });

  it('says why an unreadable name cannot be judged', () => {
    expect(matchName('Amara Okafor', full('<<<')).reason).toMatch(/No name could be read/);
  });

  it('refuses to match anything against an empty registered name', () => {
    expect(matchName('  ', full('AMARA OKAFOR')).verdict).toBe('mismatch');
  });
});

describe('normalisation helpers', () => {
  it('gives both the ICAO and the stripped spelling', () => {
    expect(spellings('Müller').sort()).toEqual(['MUELLER', 'MULLER']);
    expect(spellings('Groß')).toEqual(['GROSS']);
    expect(spellings('Þór')).toEqual(['THOR']);
  });

  it('splits on fillers, hyphens and spaces and drops apostrophes', () => {
    expect(tokenize("MCALLISTER<QUINN<<AOIFE<MARY<<")).toEqual(['MCALLISTER', 'QUINN', 'AOIFE', 'MARY']);
    expect(tokenize("  Jean-Luc  O'Brien ")).toEqual(['JEAN', 'LUC', 'OBRIEN']);
  });
});
