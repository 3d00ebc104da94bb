import type { Severity } from '../api/events';

/**
 * Capture flags as intervals: a stream of condition samples ("no face in this frame",
 * "voice in this window") becomes flags with a start and an end. Pure, so the monitor's timing rules
 * are tested without a camera:
 * - debounce: a flag opens only after its condition has held for `debounceMs` without a break
 *   (the policy's seconds); its start is when the condition began, not when it was confirmed;
 * - merge: an open flag survives breaks shorter than `mergeGapMs` (a face found for one frame
 *   does not end an absence), so one episode is one flag, not many;
 * - minimum duration: the debounce is the minimum, so a flag never lasts less than `debounceMs`;
 * - severity and confidence: confidence is the mean of the samples' confidences while the condition
 *   held; severity rises with duration (`escalateAfterMs`).
 */

export interface FlagRule {
  /** The condition must hold this long, without a break, before the flag opens. */
  readonly debounceMs: number;
  /** An open flag closes only after the condition has been absent this long. */
  readonly mergeGapMs: number;
  readonly severity: Severity;
  /** After this long the flag's severity becomes `high` (null: never). */
  readonly escalateAfterMs: number | null;
}

/** One observation: `active` whether the condition held at `at` (epoch ms); null when unknown (detection failed). */
export interface ConditionSample {
  readonly at: number;
  readonly active: boolean | null;
  /** How sure the detector was of this sample, 0..1. */
  readonly confidence?: number;
}

export type IntervalState =
  | { readonly phase: 'idle' }
  /** The condition holds, not yet for long enough. */
  | { readonly phase: 'pending'; readonly since: number; readonly confSum: number; readonly confN: number }
  /** A flag is open; `lastActive` is the last sample where the condition held. */
  | {
      readonly phase: 'open';
      readonly since: number;
      readonly lastActive: number;
      /** When the current break began (null while the condition holds). */
      readonly breakSince: number | null;
      readonly confSum: number;
      readonly confN: number;
      readonly severity: Severity;
    };

export type IntervalChange =
  | { readonly type: 'open'; readonly startedAt: number; readonly severity: Severity; readonly confidence: number }
  /** Severity rose while the flag lasts. */
  | { readonly type: 'escalate'; readonly startedAt: number; readonly severity: Severity; readonly confidence: number }
  | { readonly type: 'close'; readonly startedAt: number; readonly endedAt: number; readonly severity: Severity; readonly confidence: number };

export const IDLE: IntervalState = { phase: 'idle' };

const mean = (sum: number, n: number) => (n === 0 ? 1 : Math.round((sum / n) * 1000) / 1000);

function severityAt(rule: FlagRule, since: number, at: number): Severity {
  return rule.escalateAfterMs !== null && at - since >= rule.escalateAfterMs ? 'high' : rule.severity;
}

/** Feeds one sample; samples must come in time order. */
export function stepInterval(rule: FlagRule, state: IntervalState, sample: ConditionSample): { state: IntervalState; change: IntervalChange | null } {
  if (sample.active === null) return { state, change: null };
  const conf = sample.confidence ?? 1;
  const { at } = sample;
  switch (state.phase) {
    case 'idle': {
      if (!sample.active) return { state, change: null };
      const pending = { phase: 'pending', since: at, confSum: conf, confN: 1 } as const;
      return promote(rule, pending, at);
    }
    case 'pending': {
      // A break before the debounce has passed starts the count again.
      if (!sample.active) return { state: IDLE, change: null };
      return promote(rule, { ...state, confSum: state.confSum + conf, confN: state.confN + 1 }, at);
    }
    case 'open': {
      if (sample.active) {
        const next = { ...state, lastActive: at, breakSince: null, confSum: state.confSum + conf, confN: state.confN + 1 };
        const severity = severityAt(rule, state.since, at);
        if (severity === state.severity) return { state: next, change: null };
        return {
          state: { ...next, severity },
          change: { type: 'escalate', startedAt: state.since, severity, confidence: mean(next.confSum, next.confN) },
        };
      }
      const breakSince = state.breakSince ?? at;
      if (at - breakSince < rule.mergeGapMs) return { state: { ...state, breakSince }, change: null };
      return { state: IDLE, change: closing(state, breakSince) };
    }
  }
}

/** Ends whatever is open at `at` (the exam ended, the camera went away). A pending condition is dropped. */
export function finishInterval(state: IntervalState, at: number): { state: IntervalState; change: IntervalChange | null } {
  if (state.phase !== 'open') return { state: IDLE, change: null };
  return { state: IDLE, change: closing(state, state.breakSince ?? at) };
}

function promote(rule: FlagRule, pending: Extract<IntervalState, { phase: 'pending' }>, at: number): { state: IntervalState; change: IntervalChange | null } {
  if (at - pending.since < rule.debounceMs) return { state: pending, change: null };
  const severity = severityAt(rule, pending.since, at);
  return {
    state: { phase: 'open', since: pending.since, lastActive: at, breakSince: null, confSum: pending.confSum, confN: pending.confN, severity },
    change: { type: 'open', startedAt: pending.since, severity, confidence: mean(pending.confSum, pending.confN) },
  };
}

function closing(state: Extract<IntervalState, { phase: 'open' }>, endedAt: number): IntervalChange {
  return {
    type: 'close',
    startedAt: state.since,
    // The condition ended when the break began; never before the debounce that opened it.
    endedAt: Math.max(endedAt, state.lastActive),
    severity: state.severity,
    confidence: mean(state.confSum, state.confN),
  };
}
