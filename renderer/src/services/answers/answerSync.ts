import type { AnswerValue, SavedAnswer } from '../../../../shared/api/sessions';
import type { InvigilHost, JournalEntry } from '../../../../shared/ipc/contract';
import type { Failure } from '../../../../shared/result';
import type { ApiClient } from '../api/apiClient';
import { describeError } from '../api/errorText';
import type { Logger } from '../logger';

export type SyncStatus =
  | { readonly kind: 'saved' }
  | { readonly kind: 'saving' }
  | { readonly kind: 'offline'; readonly kept: number }
  | { readonly kind: 'error'; readonly blocking: boolean; readonly message: string };

export interface AnswerChange {
  readonly sectionId: string;
  readonly questionId: string;
  readonly value: AnswerValue;
}

export interface SyncTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type AnswerJournal = Pick<InvigilHost, 'answers:open' | 'answers:append' | 'answers:pending' | 'answers:ack'>;

export interface AnswerSyncOptions {
  readonly sessionId: string;
  readonly journal: AnswerJournal;
  readonly api: Pick<ApiClient, 'call'>;
  readonly timers: SyncTimers;
  /** Wall clock for `clientSavedAt` (the server keeps it to show the proctor when answers were given). */
  readonly now: () => Date;
  readonly log: Logger;
  readonly debounceMs?: number;
  readonly minRetryMs?: number;
  readonly maxRetryMs?: number;
}

const BATCH = 200;
const FATAL_JOURNAL_CODES = new Set(['disk_full', 'io_error']);

/**
 * Moves answers from the learner to the server without ever losing one: each change is first
 * written to the host's journal (durable, numbered), then sent in sequence order in batches. What
 * the server settles (stored, duplicate, or finally rejected) is acknowledged in the journal.
 * While the server is unreachable entries stay in the journal and are retried with backoff.
 */
export class AnswerSync {
  private pending: JournalEntry[] = [];
  private unjournaled: AnswerChange[] = [];
  /** True while `unjournaled[0]` is being written: it can no longer be replaced. */
  private writing = false;
  private sendTimer: unknown = null;
  private journalFailure: Failure | null = null;
  private sendFailure: Failure | null = null;
  private rejectedLate = 0;
  private rejectedInvalid = 0;
  private appendChain: Promise<void> = Promise.resolve();
  private sendChain: Promise<void> = Promise.resolve();
  private retryTimer: unknown = null;
  private retryMs: number;
  private readonly listeners = new Set<() => void>();
  private disposed = false;
  private snapshot: SyncStatus = { kind: 'saved' };

  constructor(private readonly o: AnswerSyncOptions) {
    this.retryMs = o.minRetryMs ?? 1_000;
  }

  /** Opens the journal after the server's highest sequence and returns entries still unsent, oldest first. */
  async open(serverMaxSequence: number): Promise<{ ok: true; pending: JournalEntry[] } | { ok: false; error: Failure }> {
    const opened = await this.o.journal['answers:open']({ sessionId: this.o.sessionId, serverMaxSequence });
    if (!opened.ok) return this.journalFailed(opened.error);
    const listed = await this.o.journal['answers:pending']({ sessionId: this.o.sessionId });
    if (!listed.ok) return this.journalFailed(listed.error);
    this.pending = [...listed.value.entries].sort((a, b) => a.sequence - b.sequence);
    this.emit();
    void this.send();
    return { ok: true, pending: this.pending };
  }

  /**
   * Records a change: it goes to the journal at once (a crash or reload a moment later loses
   * nothing). While a journal write is in flight, later keystrokes to the same question replace the
   * one queued behind it, so fast typing is a few entries, not one per key. With `debounce` (typing)
   * only the *send* waits for a pause; choices and blurs are sent straight away.
   */
  change(change: AnswerChange, opts: { debounce?: boolean } = {}): Promise<void> {
    const queuedFrom = this.writing ? 1 : 0;
    const last = this.unjournaled.length > queuedFrom ? this.unjournaled[this.unjournaled.length - 1] : undefined;
    if (last && last.sectionId === change.sectionId && last.questionId === change.questionId) {
      this.unjournaled[this.unjournaled.length - 1] = change;
    } else {
      this.unjournaled.push(change);
    }
    this.emit();
    this.appendChain = this.appendChain.then(() => this.journalBacklog());
    return this.appendChain.then(() => {
      if (opts.debounce) return this.sendAfterPause();
      this.cancelPendingSend();
      if (!this.inBackoff()) return this.send();
    });
  }

  /** Journals anything queued and sends everything now. Resolves true when the server holds it all. */
  async flush(): Promise<boolean> {
    this.cancelPendingSend();
    await this.appendChain;
    if (this.unjournaled.length > 0) await this.journalBacklog();
    this.cancelRetry();
    await this.send();
    return this.pending.length === 0 && this.unjournaled.length === 0;
  }

  /** The browser says the link is back: retry now rather than at the end of the backoff. */
  online(): void {
    if (this.pending.length === 0 && this.unjournaled.length === 0) return;
    this.cancelRetry();
    void this.journalBacklog().then(() => this.send());
  }

  get status(): SyncStatus {
    return this.snapshot;
  }

  /** Entries the server finally refused because they arrived after their section closed. */
  get rejectedLateCount(): number {
    return this.rejectedLate;
  }

  /**
   * Entries the server finally refused for any other reason (not valid for the question, text it
   * cannot store such as a NUL, a malformed entry, a numbering conflict).
   */
  get rejectedInvalidCount(): number {
    return this.rejectedInvalid;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.cancelRetry();
    this.cancelPendingSend();
    this.listeners.clear();
  }

  private sendAfterPause(): void {
    this.cancelPendingSend();
    this.sendTimer = this.o.timers.setTimeout(() => {
      this.sendTimer = null;
      if (!this.inBackoff()) void this.send();
    }, this.o.debounceMs ?? 400);
  }

  private cancelPendingSend(): void {
    if (this.sendTimer === null) return;
    this.o.timers.clearTimeout(this.sendTimer);
    this.sendTimer = null;
  }

  /** Appends queued changes in order; stops at the first failure so order is kept for the retry. */
  private async journalBacklog(): Promise<void> {
    while (this.unjournaled.length > 0) {
      const change = this.unjournaled[0]!;
      this.writing = true;
      const result = await this.o.journal['answers:append']({
        sessionId: this.o.sessionId,
        sectionId: change.sectionId,
        questionId: change.questionId,
        value: change.value,
        clientSavedAt: this.o.now().toISOString(),
      }).finally(() => (this.writing = false));
      if (!result.ok) {
        this.journalFailed(result.error);
        this.scheduleRetry();
        return;
      }
      this.unjournaled.shift();
      this.journalFailure = null;
      this.pending.push(result.value);
      this.emit();
    }
  }

  private send(): Promise<void> {
    this.sendChain = this.sendChain.then(() => this.drain());
    return this.sendChain;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0 && !this.disposed) {
        const batch = this.pending.slice(0, BATCH);
        const reply = await this.o.api.call('saveAnswers', {
          params: { sessionId: this.o.sessionId },
          body: { answers: batch.map(toSaved) },
        });
        if (!reply.ok) {
          this.sendFailure = reply.error;
          this.o.log.warn('answers not sent', { code: reply.error.code, pending: this.pending.length });
          this.scheduleRetry();
          return;
        }
        const inBatch = new Set(batch.map((e) => e.sequence));
        const settled = new Set<number>();
        for (const r of reply.value.results) {
          if (!inBatch.has(r.sequence) || settled.has(r.sequence)) continue;
          settled.add(r.sequence);
          if (r.outcome === 'rejected') {
            // Final for that entry: it is acknowledged below and never resent. The code only, never the answer.
            this.o.log.warn('answer refused by the server', { sequence: r.sequence, code: r.code });
            if (r.code === 'section_closed' || r.code === 'section_not_open') this.rejectedLate += 1;
            else this.rejectedInvalid += 1;
          }
        }
        this.sendFailure = null;
        this.retryMs = this.o.minRetryMs ?? 1_000;
        if (settled.size === 0) {
          // The server answered but settled nothing: retry later instead of spinning.
          this.sendFailure = { code: 'bad_reply', message: 'The server did not confirm the answers.' };
          this.scheduleRetry();
          return;
        }
        this.pending = this.pending.filter((e) => !settled.has(e.sequence));
        this.emit();
        const acked = await this.o.journal['answers:ack']({ sessionId: this.o.sessionId, sequences: [...settled] });
        // Unacked entries are simply resent later and reported as duplicates: nothing is lost.
        if (!acked.ok) this.o.log.warn('journal ack failed', { code: acked.error.code });
      }
    } catch (error) {
      this.sendFailure = { code: 'internal', message: String(error) };
      this.o.log.error('answer sync failed', { error: String(error) });
      this.scheduleRetry();
    } finally {
      this.emit();
    }
  }

  private journalFailed(error: Failure): { ok: false; error: Failure } {
    this.journalFailure = error;
    this.o.log.error('answer journal failed', { code: error.code });
    this.emit();
    return { ok: false, error };
  }

  private inBackoff(): boolean {
    return this.retryTimer !== null;
  }

  private scheduleRetry(): void {
    if (this.disposed || this.retryTimer !== null) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.o.maxRetryMs ?? 30_000);
    this.retryTimer = this.o.timers.setTimeout(() => {
      this.retryTimer = null;
      void this.journalBacklog().then(() => this.send());
    }, delay);
  }

  private cancelRetry(): void {
    if (this.retryTimer === null) return;
    this.o.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private computeStatus(): SyncStatus {
    if (this.journalFailure) {
      const blocking = FATAL_JOURNAL_CODES.has(this.journalFailure.code);
      return {
        kind: 'error',
        blocking,
        message: blocking
          ? journalFatalText(this.journalFailure.code)
          : 'Your latest answers could not be stored on this computer yet. Retrying…',
      };
    }
    if (this.sendFailure && this.pending.length > 0) {
      if (this.sendFailure.code === 'network') return { kind: 'offline', kept: this.pending.length };
      return { kind: 'error', blocking: false, message: describeError(this.sendFailure) };
    }
    if (this.pending.length > 0 || this.unjournaled.length > 0 || this.sendTimer !== null) return { kind: 'saving' };
    return { kind: 'saved' };
  }

  private emit(): void {
    const next = this.computeStatus();
    const prev = this.snapshot;
    // A stable object while nothing changes, so React's useSyncExternalStore does not loop.
    if (JSON.stringify(prev) !== JSON.stringify(next)) this.snapshot = next;
    for (const l of this.listeners) l();
  }
}

function toSaved(e: JournalEntry): SavedAnswer {
  return { sectionId: e.sectionId, questionId: e.questionId, value: e.value, sequence: e.sequence, clientSavedAt: e.clientSavedAt };
}

function journalFatalText(code: string): string {
  return code === 'disk_full'
    ? 'This computer’s disk is full, so your answers cannot be saved safely. Do not close the app. Free some disk space or tell your proctor now.'
    : 'Your answers cannot be written to this computer’s disk. Do not close the app. Tell your proctor or support now.';
}
