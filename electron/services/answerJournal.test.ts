import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../log';
import { FsAnswerJournal, type NewJournalEntry } from './answerJournal';

const SESSION = 'sess-1';
let dataDir: string;
let warnings: string[];

const log: Logger = { info: () => undefined, warn: (msg) => warnings.push(msg), error: (msg) => warnings.push(msg) };
const journalAt = (dir: string) => new FsAnswerJournal({ dataDir: dir, now: () => Date.UTC(2026, 0, 5, 9), log });
const fileOf = (sessionId = SESSION) => join(dataDir, 'answers', `${sessionId}.jsonl`);

const change = (questionId: string, text = `answer to ${questionId}`): NewJournalEntry => ({
  sessionId: SESSION,
  sectionId: 's1',
  questionId,
  value: { kind: 'text', text },
  clientSavedAt: '2026-01-05T09:00:00.000Z',
});

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'invigil-journal-'));
  warnings = [];
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('FsAnswerJournal', () => {
  it('keeps an appended but unacknowledged answer across a crash (new instance, same folder)', async () => {
    const before = journalAt(dataDir);
    unwrap(await before.open(SESSION, 0));
    const written = unwrap(await before.append(change('q1', 'forty-two')));
    expect(written.sequence).toBe(1);
    // The process dies here: no ack, no close. A fresh instance is what a restarted app gets.
    const after = journalAt(dataDir);
    expect(unwrap(await after.open(SESSION, 0))).toEqual({ nextSequence: 2, pending: 1 });
    expect(unwrap(await after.pending(SESSION))).toEqual([written]);
  });

  it('trims a torn last line and keeps numbering and parsing afterwards', async () => {
    const first = journalAt(dataDir);
    unwrap(await first.open(SESSION, 0));
    const kept = unwrap(await first.append(change('q1')));
    await appendFile(fileOf(), '{"kind":"entry","writtenAt":"2026-01-05T09:00:00.000Z","entry":{"sessionId":"sess-1","seq');

    const second = journalAt(dataDir);
    expect(unwrap(await second.open(SESSION, 0))).toEqual({ nextSequence: 2, pending: 1 });
    expect(warnings).toContain('answer journal: trimmed a torn last line');
    const next = unwrap(await second.append(change('q2')));
    expect(next.sequence).toBe(2);

    const third = journalAt(dataDir);
    unwrap(await third.open(SESSION, 0));
    expect(unwrap(await third.pending(SESSION))).toEqual([kept, next]);
    const lines = (await readFile(fileOf(), 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    for (const line of lines.slice(0, -1)) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('continues after the server maximum on a machine with no journal', async () => {
    const journal = journalAt(dataDir);
    expect(unwrap(await journal.open(SESSION, 41))).toEqual({ nextSequence: 42, pending: 0 });
    expect(unwrap(await journal.append(change('q1'))).sequence).toBe(42);
  });

  it('continues after the local maximum when it is ahead of the server', async () => {
    const journal = journalAt(dataDir);
    unwrap(await journal.open(SESSION, 10));
    unwrap(await journal.append(change('q1')));
    unwrap(await journal.append(change('q2')));
    const reopened = journalAt(dataDir);
    expect(unwrap(await reopened.open(SESSION, 5)).nextSequence).toBe(13);
  });

  it('gives concurrent appends distinct sequences in call order, all durable', async () => {
    const journal = journalAt(dataDir);
    unwrap(await journal.open(SESSION, 0));
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => journal.append(change(`q${i}`))));
    const entries = results.map(unwrap);
    expect(entries.map((e) => e.sequence)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(entries.map((e) => e.questionId)).toEqual(Array.from({ length: 25 }, (_, i) => `q${i}`));
    const reopened = journalAt(dataDir);
    unwrap(await reopened.open(SESSION, 0));
    expect(unwrap(await reopened.pending(SESSION))).toEqual(entries);
  });

  it('removes acknowledged entries from pending, also after a restart', async () => {
    const journal = journalAt(dataDir);
    unwrap(await journal.open(SESSION, 0));
    const [a, b, c] = [
      unwrap(await journal.append(change('q1'))),
      unwrap(await journal.append(change('q2'))),
      unwrap(await journal.append(change('q3'))),
    ];
    expect(unwrap(await journal.ack(SESSION, [1, 3, 99]))).toEqual({ pending: 1 });
    expect(unwrap(await journal.pending(SESSION))).toEqual([b]);
    const reopened = journalAt(dataDir);
    expect(unwrap(await reopened.open(SESSION, 0))).toEqual({ nextSequence: 4, pending: 1 });
    expect(unwrap(await reopened.pending(SESSION)).map((e) => e.sequence)).toEqual([2]);
    expect([a, c].map((e) => e?.sequence)).toEqual([1, 3]);
  });

  it('compacts the file once everything is acknowledged and still never reuses a sequence', async () => {
    const journal = journalAt(dataDir);
    unwrap(await journal.open(SESSION, 0));
    for (let i = 0; i < 20; i += 1) unwrap(await journal.append(change(`q${i}`, 'x'.repeat(200))));
    const grown = (await stat(fileOf())).size;
    expect(unwrap(await journal.ack(SESSION, Array.from({ length: 20 }, (_, i) => i + 1)))).toEqual({ pending: 0 });
    const compacted = await readFile(fileOf(), 'utf8');
    expect(compacted.length).toBeLessThan(grown / 20);
    expect(compacted.trim().split('\n')).toHaveLength(1);

    const reopened = journalAt(dataDir);
    expect(unwrap(await reopened.open(SESSION, 0))).toEqual({ nextSequence: 21, pending: 0 });
    expect(unwrap(await reopened.append(change('q20'))).sequence).toBe(21);
  });

  it('refuses unsafe session ids and calls before open', async () => {
    const journal = journalAt(dataDir);
    const escape = await journal.open('../../etc', 0);
    expect(escape.ok ? 'ok' : escape.error.code).toBe('invalid_session');
    const early = await journal.append(change('q1'));
    expect(early.ok ? 'ok' : early.error.code).toBe('not_open');
  });

  it('skips a damaged line in the middle without losing the entries around it', async () => {
    const journal = journalAt(dataDir);
    unwrap(await journal.open(SESSION, 0));
    const first = unwrap(await journal.append(change('q1')));
    const second = unwrap(await journal.append(change('q2')));
    const [line1, line2] = (await readFile(fileOf(), 'utf8')).split('\n');
    await writeFile(fileOf(), `${line1}\ngarbage that is not json\n${line2}\n`);
    const reopened = journalAt(dataDir);
    expect(unwrap(await reopened.open(SESSION, 0))).toEqual({ nextSequence: 3, pending: 2 });
    expect(unwrap(await reopened.pending(SESSION))).toEqual([first, second]);
    expect(warnings).toEqual(['answer journal: skipped damaged lines']);
  });

  it('keeps sessions in separate files', async () => {
    const journal = journalAt(dataDir);
    unwrap(await journal.open(SESSION, 0));
    unwrap(await journal.open('other', 7));
    unwrap(await journal.append(change('q1')));
    unwrap(await journal.append({ ...change('q1'), sessionId: 'other' }));
    expect(unwrap(await journal.pending('other')).map((e) => [e.sessionId, e.sequence])).toEqual([['other', 8]]);
    expect(unwrap(await journal.pending(SESSION)).map((e) => [e.sessionId, e.sequence])).toEqual([[SESSION, 1]]);
  });

  it('reports a disk error as a thrown system error and stays usable', async () => {
    const journal = journalAt(dataDir);
    unwrap(await journal.open(SESSION, 0));
    await rm(join(dataDir, 'answers'), { recursive: true });
    await writeFile(join(dataDir, 'answers'), 'a file where the folder was');
    await expect(journal.append(change('q1'))).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    await rm(join(dataDir, 'answers'));
    const reopened = journalAt(dataDir);
    expect(unwrap(await reopened.open(SESSION, 3)).nextSequence).toBe(4);
  });
});
