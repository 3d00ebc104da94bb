/**
 * Section timing. The server owns the deadline; the client only estimates how far away it is.
 * All instants are epoch milliseconds.
 */

export interface DeadlineInput {
  readonly openedAt: number;
  readonly durationMinutes: number;
  /** Accommodation time multiplier, 1 when none. */
  readonly timeMultiplier: number;
  /** End of the exam window, if the exam has one: no section runs past it. */
  readonly windowClosesAt?: number | null;
}

export function computeDeadline(input: DeadlineInput): number {
  if (!(input.timeMultiplier >= 1)) throw new RangeError('timeMultiplier must be >= 1');
  if (!(input.durationMinutes > 0)) throw new RangeError('durationMinutes must be > 0');
  const full = input.openedAt + Math.round(input.durationMinutes * input.timeMultiplier * 60_000);
  return input.windowClosesAt == null ? full : Math.min(full, input.windowClosesAt);
}

/** Writes are accepted until `deadline + grace`: the client auto-submits at the deadline, the grace absorbs latency. */
export const DEFAULT_WRITE_GRACE_MS = 30_000;

export function acceptsWritesAt(deadline: number, now: number, graceMs = DEFAULT_WRITE_GRACE_MS): boolean {
  return now <= deadline + graceMs;
}

/**
 * Estimates server time from response samples, counting with a monotonic clock in between, so a
 * change of the wall clock cannot move the deadline. Each sample brackets the server's stamp
 * between the request's send and receive times. The tightest bracket is kept while later samples
 * agree with it; a sample that disagrees beyond both brackets means the monotonic clock stopped
 * counting (sleep pauses `performance.now()` on Linux and macOS) or drifted, so it replaces the
 * old one at once: after a wake, the first server response corrects the timer.
 */
export class ServerClock {
  private best: { serverAt: number; monoAt: number; uncertainty: number; takenAt: number } | null = null;

  constructor(
    private readonly monotonicNow: () => number,
    private readonly maxSampleAgeMs = 60_000,
  ) {}

  /** `sentAt`/`receivedAt` are monotonic readings around the request; `serverTime` is the server's stamp. */
  addSample(sentAt: number, receivedAt: number, serverTime: number): void {
    if (!(receivedAt >= sentAt) || !Number.isFinite(serverTime)) return;
    const sample = {
      serverAt: serverTime,
      monoAt: (sentAt + receivedAt) / 2,
      uncertainty: (receivedAt - sentAt) / 2,
      takenAt: receivedAt,
    };
    const current = this.best;
    if (current === null) {
      this.best = sample;
      return;
    }
    const stale = receivedAt - current.takenAt > this.maxSampleAgeMs;
    const predicted = current.serverAt + (sample.monoAt - current.monoAt);
    const disagrees = Math.abs(predicted - sample.serverAt) > current.uncertainty + sample.uncertainty;
    if (stale || disagrees || sample.uncertainty <= current.uncertainty) this.best = sample;
  }

  get synced(): boolean {
    return this.best !== null;
  }

  /** Estimated server time now, or null before the first sample. */
  now(): number | null {
    if (this.best === null) return null;
    return this.best.serverAt + (this.monotonicNow() - this.best.monoAt);
  }

  /**
   * Milliseconds left until `deadline`. Errs towards less time: the estimate's uncertainty is
   * subtracted, so the learner is never shown more time than the server will allow.
   */
  remaining(deadline: number): number | null {
    const now = this.now();
    if (now === null || this.best === null) return null;
    return Math.max(0, deadline - now - this.best.uncertainty);
  }
}

/** Warnings announced before a deadline, in minutes. */
export const DEADLINE_WARNINGS_MINUTES = [30, 10, 5, 1] as const;

/** The warning (in minutes) that should have fired for this remaining time, or null. */
export function dueWarning(remainingMs: number, alreadyAnnounced: ReadonlySet<number>): number | null {
  for (const minutes of [...DEADLINE_WARNINGS_MINUTES].sort((a, b) => a - b)) {
    if (remainingMs <= minutes * 60_000 && remainingMs > 0 && !alreadyAnnounced.has(minutes)) {
      return minutes;
    }
  }
  return null;
}

export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
