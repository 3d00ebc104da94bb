import type { ApiClient } from '../api/apiClient';
import type { Logger } from '../logger';

export interface ClockSyncOptions {
  readonly api: Pick<ApiClient, 'call'>;
  readonly setInterval: (fn: () => void, ms: number) => () => void;
  readonly log: Logger;
  readonly periodMs?: number;
}

/**
 * Keeps the server-clock estimate fresh: a `GET /api/time` now, periodically while a section is
 * open, and whenever something may have moved the local clock (wake, back online, tab visible).
 * The api client feeds every stamp into the `ServerClock`.
 */
export class ClockSync {
  private holders = 0;
  private stopTimer: (() => void) | null = null;
  private inFlight: Promise<boolean> | null = null;

  constructor(private readonly o: ClockSyncOptions) {}

  /** Resolves true when a fresh sample arrived. Concurrent calls share one request. */
  syncNow(): Promise<boolean> {
    this.inFlight ??= this.o.api.call('time', {}).then((reply) => {
      this.inFlight = null;
      if (!reply.ok) this.o.log.warn('clock sync failed', { code: reply.error.code });
      return reply.ok;
    });
    return this.inFlight;
  }

  /** Periodic re-sync while at least one holder (an open section's timer) needs it. */
  hold(): () => void {
    this.holders += 1;
    if (this.holders === 1) this.stopTimer = this.o.setInterval(() => void this.syncNow(), this.o.periodMs ?? 30_000);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holders -= 1;
      if (this.holders === 0) {
        this.stopTimer?.();
        this.stopTimer = null;
      }
    };
  }
}
