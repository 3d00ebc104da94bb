import { mkdir, readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalEntry } from '../../shared/ipc/contract';
import { fail, ok, type Result } from '../../shared/result';
import type { Logger } from '../log';
import { appendDurably, codeOf, syncDirectory, writeFileAtomically } from './durableFs';
import { encodeRecord, parseJournal, summarise, type JournalRecord } from './journalFile';
import { KeyedQueue, SAFE_SESSION_ID } from './keyedQueue';

export type JournalErrorCode = 'invalid_session' | 'not_open';
export type NewJournalEntry = Omit<JournalEntry, 'sequence'>;

/**
 * Every answer change is written here, durably, before it is sent to the server; sends are
 * idempotent by (session, sequence), so whatever is pending after a crash or an outage is simply
 * sent again. Disk failures are thrown as Node errors (the IPC dispatcher maps their codes).
 */
export interface AnswerJournal {
  /** Loads (or creates) a session's journal; numbering continues after both the local and the server maximum. */
  open(sessionId: string, serverMaxSequence: number): Promise<Result<{ nextSequence: number; pending: number }, JournalErrorCode>>;
  /** Resolves once the entry is on disk (fsynced), with the sequence the journal assigned. */
  append(change: NewJournalEntry): Promise<Result<JournalEntry, JournalErrorCode>>;
  /** Entries not yet acknowledged by the server, oldest first. */
  pending(sessionId: string): Promise<Result<JournalEntry[], JournalErrorCode>>;
  /** Records that the server holds these sequences; returns how many stay pending. */
  ack(sessionId: string, sequences: readonly number[]): Promise<Result<{ pending: number }, JournalErrorCode>>;
}

/** Session ids become file names: only this alphabet can never escape the folder or collide on case-folding disks badly. */

interface SessionState {
  nextSequence: number;
  /** Ascending, because sequences are assigned in increasing order. */
  readonly pending: Set<number>;
  /** Size of the file after the last complete record, to undo a failed (partial) append. */
  bytes: number;
}

export interface FsAnswerJournalOptions {
  readonly dataDir: string;
  readonly now: () => number;
  readonly log: Logger;
}

export class FsAnswerJournal implements AnswerJournal {
  private readonly dir: string;
  private readonly sessions = new Map<string, SessionState>();
  /** One promise chain per session: appends, acks and reads of one file never interleave. */
  private readonly queues = new KeyedQueue();

  constructor(private readonly options: FsAnswerJournalOptions) {
    this.dir = join(options.dataDir, 'answers');
  }

  open(sessionId: string, serverMaxSequence: number) {
    return this.withSession(sessionId, false, async () => {
      const state = this.sessions.get(sessionId) ?? (await this.load(sessionId));
      this.sessions.set(sessionId, state);
      state.nextSequence = Math.max(state.nextSequence, serverMaxSequence + 1);
      return ok({ nextSequence: state.nextSequence, pending: state.pending.size });
    });
  }

  append(change: NewJournalEntry) {
    return this.withSession(change.sessionId, true, async (state) => {
      const entry: JournalEntry = { ...change, sequence: state.nextSequence };
      const line = encodeRecord({ kind: 'entry', writtenAt: this.timestamp(), entry });
      await this.appendRecord(change.sessionId, state, line);
      state.nextSequence += 1;
      state.pending.add(entry.sequence);
      return ok(entry);
    });
  }

  pending(sessionId: string) {
    return this.withSession(sessionId, true, async (state) => {
      if (state.pending.size === 0) return ok([]);
      const { records } = parseJournal(await readFile(this.pathOf(sessionId)));
      const entries = records
        .flatMap((record) => (record.kind === 'entry' && state.pending.has(record.entry.sequence) ? [record.entry] : []))
        .sort((a, b) => a.sequence - b.sequence);
      return ok(entries);
    });
  }

  ack(sessionId: string, sequences: readonly number[]) {
    return this.withSession(sessionId, true, async (state) => {
      const known = [...new Set(sequences)].filter((sequence) => state.pending.has(sequence));
      if (known.length === 0) return ok({ pending: state.pending.size });
      await this.appendRecord(sessionId, state, encodeRecord({ kind: 'ack', at: this.timestamp(), sequences: known }));
      for (const sequence of known) state.pending.delete(sequence);
      if (state.pending.size === 0) await this.compact(sessionId, state);
      return ok({ pending: state.pending.size });
    });
  }

  private async load(sessionId: string): Promise<SessionState> {
    await mkdir(this.dir, { recursive: true });
    const path = this.pathOf(sessionId);
    const bytes = await readFileIfExists(path);
    if (bytes === null) return { nextSequence: 1, pending: new Set(), bytes: 0 };
    const parsed = parseJournal(bytes);
    if (parsed.goodLength < bytes.length) {
      // A crash mid-write left a partial last line; that append never resolved, so dropping it loses nothing promised.
      this.options.log.warn('answer journal: trimmed a torn last line', { sessionId, bytes: bytes.length - parsed.goodLength });
      await truncate(path, parsed.goodLength);
    }
    if (parsed.skippedLines > 0) {
      this.options.log.warn('answer journal: skipped damaged lines', { sessionId, lines: parsed.skippedLines });
    }
    const summary = summarise(parsed.records);
    const state: SessionState = {
      nextSequence: summary.maxSequence + 1,
      pending: new Set(summary.pending),
      bytes: parsed.goodLength,
    };
    if (summary.pending.length === 0 && parsed.records.length > 1) await this.compact(sessionId, state);
    return state;
  }

  private async appendRecord(sessionId: string, state: SessionState, line: string): Promise<void> {
    const path = this.pathOf(sessionId);
    const isNewFile = state.bytes === 0;
    try {
      await appendDurably(path, line);
    } catch (error) {
      // A partial line (ENOSPC mid-write) would glue itself to the next record: cut the file back first.
      await truncate(path, state.bytes).catch((undo: unknown) => {
        this.options.log.error('answer journal: could not undo a failed append', { sessionId, code: codeOf(undo) });
        this.sessions.delete(sessionId); // the next open() re-reads the file and trims whatever is torn
      });
      throw error;
    }
    state.bytes += Buffer.byteLength(line);
    if (isNewFile) await syncDirectory(this.dir);
  }

  /** Everything is acknowledged: replace the file with one record that keeps the counter. */
  private async compact(sessionId: string, state: SessionState): Promise<void> {
    const line = encodeRecord({ kind: 'base', at: this.timestamp(), nextSequence: state.nextSequence } satisfies JournalRecord);
    await writeFileAtomically(this.pathOf(sessionId), line, 'compact');
    state.bytes = Buffer.byteLength(line);
  }

  private withSession<T>(
    sessionId: string,
    mustBeOpen: boolean,
    run: (state: SessionState) => Promise<Result<T, JournalErrorCode>>,
  ): Promise<Result<T, JournalErrorCode>> {
    if (!SAFE_SESSION_ID.test(sessionId)) {
      return Promise.resolve(fail('invalid_session', 'sessionId may contain only letters, digits, "-" and "_"'));
    }
    return this.queues.run(sessionId, async () => {
      const state = this.sessions.get(sessionId);
      if (mustBeOpen && !state) return fail('not_open' as const, `open the journal of session ${sessionId} first`);
      return run(state ?? { nextSequence: 1, pending: new Set(), bytes: 0 });
    });
  }

  private pathOf(sessionId: string): string {
    return join(this.dir, `${sessionId}.jsonl`);
  }

  private timestamp(): string {
    return new Date(this.options.now()).toISOString();
  }
}

async function readFileIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return null;
    throw error;
  }
}
