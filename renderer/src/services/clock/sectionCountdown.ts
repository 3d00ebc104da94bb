import { DEADLINE_WARNINGS_MINUTES, dueWarning } from '../../../../shared/domain/deadline';

export interface RemainingSource {
  /** Milliseconds left until `deadline` by the server's clock, or null before the first sync. */
  remaining(deadline: number): number | null;
}

export interface CountdownOptions {
  readonly deadline: number;
  readonly clock: RemainingSource;
  readonly setInterval: (fn: () => void, ms: number) => () => void;
  readonly onTick: (remainingMs: number | null) => void;
  /** Fires once per threshold (30, 10, 5, 1 minutes) that the countdown passes while running. */
  readonly onWarning: (minutes: number) => void;
  /** Fires once, when the server's deadline is reached. */
  readonly onExpire: () => void;
  readonly tickMs?: number;
}

/**
 * Counts down to a section deadline once a second. The clock does the hard part (server offset,
 * monotonic time); this only turns its estimate into ticks, warnings and one expiry.
 */
export class SectionCountdown {
  private readonly announced = new Set<number>();
  private expired = false;
  private joined = false;
  private stopTimer: (() => void) | null = null;

  constructor(private readonly o: CountdownOptions) {}

  start(): void {
    if (this.stopTimer) return;
    this.tick();
    this.stopTimer = this.o.setInterval(() => this.tick(), this.o.tickMs ?? 1_000);
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
  }

  /** Also called when the clock re-syncs, so the display jumps at once rather than at the next second. */
  tick(): void {
    const remaining = this.o.clock.remaining(this.o.deadline);
    this.o.onTick(remaining);
    if (remaining === null || this.expired) return;
    if (remaining <= 0) {
      this.expired = true;
      this.stop();
      this.o.onExpire();
      return;
    }
    if (!this.joined) {
      // Warnings mark crossing a threshold while the learner works. Thresholds already behind us
      // when the countdown starts (a 10-minute section, a reload with 6 minutes left) are retired
      // silently: "10 minutes left" with 9:59 on the clock, just after opening, is noise.
      this.joined = true;
      for (const m of DEADLINE_WARNINGS_MINUTES) if (m * 60_000 >= remaining) this.announced.add(m);
    }
    const due = dueWarning(remaining, this.announced);
    if (due !== null) {
      // Passing a threshold also retires the larger ones: joining with 8 minutes left must not
      // announce "30 minutes" after "10 minutes".
      for (const m of DEADLINE_WARNINGS_MINUTES) if (m >= due) this.announced.add(m);
      this.o.onWarning(due);
    }
  }
}
