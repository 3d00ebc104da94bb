import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DOCS_COLUMNS, DOCS_STATUS_WORDS, docsTableRows, type MeasureStatus } from '../../shared/domain/lockdownCapabilities';

// The per-OS lockdown tables in the docs are written by hand; this keeps them saying what
// shared/domain/lockdownCapabilities.ts says. A cell is the status in words, optionally followed by
// a note in parentheses.

const HEADER = `| Measure | ${DOCS_COLUMNS.map((c) => c.heading).join(' | ')} |`;

/** The table that starts with HEADER: each row's measure and cells, as written. */
function tableIn(markdown: string): { measure: string; cells: string[] }[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === HEADER);
  if (start < 0) throw new Error(`no table starting with: ${HEADER}`);
  const rows: { measure: string; cells: string[] }[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [measure = '', ...cells] = line.trim().slice(1, -1).split('|').map((cell) => cell.trim());
    rows.push({ measure, cells });
  }
  return rows;
}

const WORD_TO_STATUS = new Map(Object.entries(DOCS_STATUS_WORDS).map(([status, word]) => [word, status as MeasureStatus]));

/** The status a cell states, or the cell itself when it states none. */
function statusOf(cell: string): MeasureStatus | string {
  const match = /^([a-z ]+?)(?: \(.*\))?$/.exec(cell);
  return (match && WORD_TO_STATUS.get(match[1]!)) ?? cell;
}

const docs = ['docs/security.md', 'README.md'];

describe('the per-OS lockdown tables in the docs', () => {
  it.each(docs)('%s says what lockdownCapabilities.ts says', async (path) => {
    const markdown = await readFile(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');
    const written = tableIn(markdown).map((row) => ({ measure: row.measure, cells: row.cells.map(statusOf) }));
    expect(written).toEqual(docsTableRows().map((row) => ({ measure: row.measure, cells: [...row.cells] })));
  });

  it('would notice a drift', () => {
    const drifted = `${HEADER}\n|---|---|---|---|---|---|\n| Full screen | prevented | prevented | prevented | prevented | prevented |\n`;
    const written = tableIn(drifted).map((row) => row.cells.map(statusOf));
    expect(written).toEqual([['enforced', 'enforced', 'enforced', 'enforced', 'enforced']]);
    expect(written[0]).not.toEqual(docsTableRows()[0]!.cells);
    expect(statusOf('detected only (prevented while the Keyboard Lock holds)')).toBe('detected');
    expect(statusOf('locked')).toBe('locked');
  });
});
