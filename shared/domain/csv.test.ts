import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv';

describe('csvCell', () => {
  it('leaves plain text and numbers alone, and writes null as an empty cell', () => {
    expect(csvCell('Amara Okafor')).toBe('Amara Okafor');
    expect(csvCell(72.5)).toBe('72.5');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(null)).toBe('');
    expect(csvCell('Jonas Müller')).toBe('Jonas Müller');
  });

  it('quotes a cell with a comma, a quote or a line break, doubling its quotes', () => {
    expect(csvCell('Okafor, Amara')).toBe('"Okafor, Amara"');
    expect(csvCell('The "trial" test')).toBe('"The ""trial"" test"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
  });

  it('prefixes cells a spreadsheet would read as a formula with an apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://evil.test","x")')).toBe(`"'=HYPERLINK(""http://evil.test"",""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    // Only the first character matters.
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('x@invigil.test')).toBe('x@invigil.test');
  });
});

describe('toCsv', () => {
  it('ends every row with CRLF', () => {
    expect(toCsv([['email', 'pass'], ['a@b.test', 'yes'], ['c@d.test', null]])).toBe('email,pass\r\na@b.test,yes\r\nc@d.test,\r\n');
    expect(toCsv([])).toBe('');
  });
});
