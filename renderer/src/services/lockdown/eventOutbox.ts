import type { SessionEvent } from '../../../../shared/api/events';
import type { ApiClient } from '../api/apiClient';
import type { Logger } from '../logger';

export interface OutboxDeps {
  readonly api: Pick<ApiClient, 'call'>;
  /** Survives a reload or a crash of the renderer (the host's encrypted store in the desktop app, localStorage in a browser). */
  readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  readonly setTimeout: (fn: () => void, ms: number) => () => void;
  readonly log: Logger;
  readonly minRetryMs?: number;
  readonly maxRetryMs?: number;
}

const BATCH = 200;
/** Evidence thumbnails make events heavy: a batch stops at about 2 MB of JSON (the server takes 8 MiB). */
const BATCH_BYTES = 2 * 1024 * 1024;

function takeBatch(events: readonly SessionEvent[]): SessionEvent[] {
  const batch: SessionEvent[] = [];
  let bytes = 0;
  for (const e of events) {
    const size = JSON.stringify(e).length;
    if (batch.length >= BATCH || (batch.length > 0 && bytes + size > BATCH_BYTES)) break;
    batch.push(e);
    bytes += size;
  }
  return batch;
}
/** Storage keys of the outboxes: this prefix and the session id. */
export const EVENT_OUTBOX_KEY_PREFIX = 'invigil.events.';
const key = (sessionId: string) => `${EVENT_OUTBOX_KEY_PREFIX}${sessionId}`;

/**
 * Session events on their way to the server: kept in storage until the server has them, sent in
 * batches, retried with backoff while the server is unreachable. The server stores each event id
 * once, so resending after a crash is harmless. An event updated later (focus regained closes a
 * focus-lost interval) is sent again with the same id and its end. What the server refuses for good
 * (the whole batch, or single entries listed in `rejected`) is dropped and logged, never retried.
 */
export class EventOutbox {
  private sending = false;
  private cancelRetry: (() => void) | null = null;
  private retryMs: number;

  constructor(
    private readonly sessionId: string,
    private readonly deps: OutboxDeps,
  ) {
    this.retryMs = deps.minRetryMs ?? 2000;
  }

  pending(): SessionEvent[] {
    const raw = this.deps.storage.getItem(key(this.sessionId));
    if (!raw) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? (parsed as SessionEvent[]) : [];
    } catch {
      return [];
    }
  }

  /** Keeps the events (replacing earlier versions with the same id) and sends them. */
  add(events: readonly SessionEvent[]): Promise<void> {
    if (events.length > 0) {
      const byId = new Map(this.pending().map((e) => [e.id, e]));
      for (const e of events) byId.set(e.id, e);
      this.save([...byId.values()]);
    }
    return this.flush();
  }

  /** Sends what is pending; on failure schedules a retry. Resolves when this attempt is over. */
  async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    this.cancelRetry?.();
    this.cancelRetry = null;
    try {
      for (;;) {
        const batch = takeBatch(this.pending());
        if (batch.length === 0) break;
        const sent = await this.deps.api.call('postEvents', { params: { sessionId: this.sessionId }, body: { events: batch } });
        if (!sent.ok) {
          // A refused batch (validation, finished session) would be refused forever: drop it, but say so.
          if (sent.error.code !== 'network' && sent.error.code !== 'internal' && sent.error.code !== 'rate_limited') {
            this.deps.log.error('session events refused by the server', { code: sent.error.code, count: batch.length });
            this.remove(batch);
            continue;
          }
          this.scheduleRetry();
          break;
        }
        // Entries refused one by one are final too: they leave with the batch, each logged with its code.
        for (const r of sent.value.rejected) {
          this.deps.log.warn('session event refused by the server', { id: r.id, kind: batch[r.index]?.kind ?? null, code: r.code, message: r.message });
        }
        this.remove(batch);
        this.retryMs = this.deps.minRetryMs ?? 2000;
      }
    } finally {
      this.sending = false;
    }
  }

  dispose(): void {
    this.cancelRetry?.();
    this.cancelRetry = null;
  }

  private remove(sent: readonly SessionEvent[]): void {
    // Only the exact versions sent: an event updated meanwhile (same id, new end) stays pending.
    const sentJson = new Set(sent.map((e) => JSON.stringify(e)));
    this.save(this.pending().filter((e) => !sentJson.has(JSON.stringify(e))));
  }

  private save(events: readonly SessionEvent[]): void {
    if (events.length === 0) this.deps.storage.removeItem(key(this.sessionId));
    else this.deps.storage.setItem(key(this.sessionId), JSON.stringify(events));
  }

  private scheduleRetry(): void {
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.deps.maxRetryMs ?? 60_000);
    this.cancelRetry = this.deps.setTimeout(() => void this.flush(), wait);
  }
}
