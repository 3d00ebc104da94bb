import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnswerRejectionCode, SavedAnswer } from '../../../../shared/api/sessions';
import type { HostErrorCode, JournalEntry } from '../../../../shared/ipc/contract';
import { fail, ok } from '../../../../shared/result';
import { saveStatusText } from '../../features/exam/SaveIndicator';
import { silentLogger } from '../logger';
import { AnswerSync, type AnswerJournal } from './answerSync';

/** An in-memory journal that logs what happened, in order, next to the fake server's log. */
class FakeJournal {
  entries: JournalEntry[] = [];
  next = 1;
  failAppendWith: HostErrorCode | null = null;
  constructor(private readonly log: string[]) {}

  readonly host: AnswerJournal = {
    'answers:open': async ({ serverMaxSequence }) => {
      this.next = Math.max(this.next, serverMaxSequence + 1);
      return ok({ nextSequence: this.next, pending: this.entries.length });
    },
    'answers:append': async (req) => {
      if (this.failAppendWith) return fail(this.failAppendWith, 'journal write failed');
      const entry = { ...req, sequence: this.next++ } as JournalEntry;
      this.entries.push(entry);
      this.log.push(`append ${entry.sequence}`);
      return ok(entry);
    },
    'answers:pending': async () => ok({ entries: [...this.entries] }),
    'answers:ack': async ({ sequences }) => {
      this.entries = this.entries.filter((e) => !sequences.includes(e.sequence));
      this.log.push(`ack ${sequences.join(',')}`);
      return ok({ pending: this.entries.length });
    },
  };
}

/** A fake server: reachable or not, rejecting chosen sequences, remembering every batch it took. */
class FakeServer {
  online = true;
  reject = new Set<number>();
  /** Sequences refused with another code than `section_closed`. */
  rejectWith = new Map<number, AnswerRejectionCode>();
  batches: number[][] = [];
  stored = new Map<string, string>();
  constructor(private readonly log: string[]) {}

  readonly api = {
    call: vi.fn(async (name: string, args: { body?: unknown }) => {
      if (name !== 'saveAnswers') throw new Error(`unexpected call ${name}`);
      if (!this.online) return fail('network', 'unreachable');
      const answers = (args.body as { answers: SavedAnswer[] }).answers;
      const seqs = answers.map((a) => a.sequence);
      this.batches.push(seqs);
      this.log.push(`save ${seqs.join(',')}`);
      const refused = (a: SavedAnswer) => this.reject.has(a.sequence) || this.rejectWith.has(a.sequence);
      for (const a of answers) if (!refused(a)) this.stored.set(a.questionId, JSON.stringify(a.value));
      return ok({
        results: answers.map((a) =>
          refused(a)
            ? { sequence: a.sequence, outcome: 'rejected' as const, code: this.rejectWith.get(a.sequence) ?? ('section_closed' as const), message: 'refused' }
            : { sequence: a.sequence, outcome: 'stored' as const },
        ),
      });
    }),
  };
}

const text = (t: string) => ({ kind: 'text' as const, text: t });
const choice = (...ids: string[]) => ({ kind: 'choice' as const, optionIds: ids });

describe('AnswerSync', () => {
  let log: string[];
  let journal: FakeJournal;
  let server: FakeServer;

  const makeSync = () =>
    new AnswerSync({
      sessionId: 's1',
      journal: journal.host,
      api: server.api as never,
      timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
      now: () => new Date('2030-01-01T10:00:00Z'),
      log: silentLogger,
    });

  beforeEach(() => {
    vi.useFakeTimers();
    log = [];
    journal = new FakeJournal(log);
    server = new FakeServer(log);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes each change to the journal before sending it, then acknowledges it', async () => {
    const sync = makeSync();
    await sync.open(0);
    await sync.change({ sectionId: 'a', questionId: 'q1', value: choice('o2') });
    expect(log).toEqual(['append 1', 'save 1', 'ack 1']);
    expect(journal.entries).toHaveLength(0);
    expect(server.stored.get('q1')).toBe(JSON.stringify(choice('o2')));
    expect(saveStatusText(sync.status)).toBe('All answers saved');
  });

  it('continues numbering after the server’s highest sequence', async () => {
    const sync = makeSync();
    await sync.open(41);
    await sync.change({ sectionId: 'a', questionId: 'q1', value: text('x') });
    expect(server.batches).toEqual([[42]]);
  });

  it('keeps changes on this computer while offline and says so', async () => {
    server.online = false;
    const sync = makeSync();
    await sync.open(0);
    await sync.change({ sectionId: 'a', questionId: 'q1', value: choice('o1') });
    await sync.change({ sectionId: 'a', questionId: 'q2', value: choice('o3') });
    await sync.change({ sectionId: 'a', questionId: 'q3', value: text('42') });
    expect(journal.entries.map((e) => e.sequence)).toEqual([1, 2, 3]);
    expect(saveStatusText(sync.status)).toBe('Offline — 3 changes kept on this computer');
    expect(server.batches).toEqual([]);
  });

  it('drains in order and acknowledges when the link returns', async () => {
    server.online = false;
    const sync = makeSync();
    await sync.open(0);
    for (const q of ['q1', 'q2', 'q3']) await sync.change({ sectionId: 'a', questionId: q, value: text(q) });
    server.online = true;
    sync.online();
    await vi.waitFor(() => expect(journal.entries).toHaveLength(0));
    expect(server.batches).toEqual([[1, 2, 3]]);
    expect(log.filter((l) => l.startsWith('ack'))).toEqual(['ack 1,2,3']);
    expect(saveStatusText(sync.status)).toBe('All answers saved');
  });

  it('retries on its own with backoff when no online event comes', async () => {
    server.online = false;
    const sync = makeSync();
    await sync.open(0);
    await sync.change({ sectionId: 'a', questionId: 'q1', value: text('1') });
    server.online = true;
    expect(server.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.batches).toEqual([[1]]);
    expect(sync.status.kind).toBe('saved');
  });

  it('counts entries the server finally rejects and acknowledges them so they are not resent', async () => {
    server.reject.add(2);
    const sync = makeSync();
    await sync.open(0);
    server.online = false;
    for (const q of ['q1', 'q2', 'q3']) await sync.change({ sectionId: 'a', questionId: q, value: text(q) });
    server.online = true;
    await sync.flush();
    expect(sync.rejectedLateCount).toBe(1);
    expect(sync.rejectedInvalidCount).toBe(0);
    expect(journal.entries).toHaveLength(0);
    expect(log).toContain('ack 1,2,3');
    await sync.flush();
    expect(server.batches).toEqual([[1, 2, 3]]);
  });

  it('drops entries refused for their text or shape, tells the learner, and logs each code without the answer', async () => {
    server.rejectWith.set(2, 'invalid_text');
    server.rejectWith.set(3, 'invalid_entry');
    const logged: [string, Record<string, unknown> | undefined][] = [];
    const logger = { info: () => {}, warn: (m: string, f?: Record<string, unknown>) => void logged.push([m, f]), error: () => {} };
    const sync = new AnswerSync({
      sessionId: 's1',
      journal: journal.host,
      api: server.api as never,
      timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
      now: () => new Date('2030-01-01T10:00:00Z'),
      log: logger,
    });
    await sync.open(0);
    server.online = false;
    for (const q of ['q1', 'q2', 'q3']) await sync.change({ sectionId: 'a', questionId: q, value: text(`secret ${q}`) });
    server.online = true;
    expect(await sync.flush()).toBe(true);
    expect(sync.rejectedInvalidCount).toBe(2);
    expect(sync.rejectedLateCount).toBe(0);
    expect(journal.entries).toHaveLength(0);
    expect(logged.filter(([m]) => m !== 'answers not sent')).toEqual([
      ['answer refused by the server', { sequence: 2, code: 'invalid_text' }],
      ['answer refused by the server', { sequence: 3, code: 'invalid_entry' }],
    ]);
    expect(JSON.stringify(logged)).not.toContain('secret');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.batches).toEqual([[1, 2, 3]]);
  });

  it('sends what a previous run left in the journal when the session opens', async () => {
    journal.entries = [
      { sessionId: 's1', sequence: 8, sectionId: 'a', questionId: 'q2', value: text('b'), clientSavedAt: '2030-01-01T09:00:00.000Z' },
      { sessionId: 's1', sequence: 7, sectionId: 'a', questionId: 'q1', value: text('a'), clientSavedAt: '2030-01-01T09:00:00.000Z' },
    ];
    journal.next = 9;
    const sync = makeSync();
    const opened = await sync.open(6);
    expect(opened.ok && opened.pending.map((e) => e.sequence)).toEqual([7, 8]);
    await vi.waitFor(() => expect(server.batches).toEqual([[7, 8]]));
  });

  it('sends at most 200 answers per request', async () => {
    journal.entries = Array.from({ length: 250 }, (_, i) => ({
      sessionId: 's1',
      sequence: i + 1,
      sectionId: 'a',
      questionId: `q${i}`,
      value: text(String(i)),
      clientSavedAt: '2030-01-01T09:00:00.000Z',
    }));
    const sync = makeSync();
    await sync.open(0);
    await sync.flush();
    expect(server.batches.map((b) => b.length)).toEqual([200, 50]);
    expect(server.batches[1]?.[0]).toBe(201);
  });

  it('journals typing at once, coalescing keys queued behind a write, and sends after a pause', async () => {
    const sync = makeSync();
    await sync.open(0);
    for (const t of ['4', '42', '42.5']) void sync.change({ sectionId: 'a', questionId: 'q1', value: text(t) }, { debounce: true });
    expect(sync.status.kind).toBe('saving');
    await vi.advanceTimersByTimeAsync(0);
    // On disk before any pause: a crash now keeps "42.5".
    expect(log).toEqual(['append 1']);
    expect(journal.entries[0]?.value).toEqual(text('42.5'));
    await vi.advanceTimersByTimeAsync(400);
    expect(log).toEqual(['append 1', 'save 1', 'ack 1']);
    expect(server.stored.get('q1')).toBe(JSON.stringify(text('42.5')));

    void sync.change({ sectionId: 'a', questionId: 'q1', value: text('43') }, { debounce: true });
    expect(await sync.flush()).toBe(true);
    expect(server.stored.get('q1')).toBe(JSON.stringify(text('43')));
  });

  it('reports a full disk as a blocking error and keeps the change to retry', async () => {
    const sync = makeSync();
    await sync.open(0);
    journal.failAppendWith = 'disk_full';
    await sync.change({ sectionId: 'a', questionId: 'q1', value: text('kept') });
    expect(sync.status).toMatchObject({ kind: 'error', blocking: true });
    expect(saveStatusText(sync.status)).toBe('Answers cannot be saved');
    journal.failAppendWith = null;
    expect(await sync.flush()).toBe(true);
    expect(server.stored.get('q1')).toBe(JSON.stringify(text('kept')));
    expect(sync.status.kind).toBe('saved');
  });
});
