import { describe, expect, it } from 'vitest';
import { finishInterval, type FlagRule, IDLE, type IntervalChange, type IntervalState, stepInterval } from './flagIntervals';

const rule: FlagRule = { debounceMs: 3000, mergeGapMs: 2000, severity: 'medium', escalateAfterMs: 60_000 };

/** Samples every 500 ms from `from` for `seconds`, all `active`. */
function run(state: IntervalState, from: number, seconds: number, active: boolean | null, confidence = 1, r = rule) {
  const changes: IntervalChange[] = [];
  let s = state;
  for (let at = from; at < from + seconds * 1000; at += 500) {
    const next = stepInterval(r, s, { at, active, confidence });
    s = next.state;
    if (next.change) changes.push(next.change);
  }
  return { state: s, changes };
}

describe('flag intervals', () => {
  it('opens only after the condition has held for the debounce, dated from when it began', () => {
    const short = run(IDLE, 0, 2.5, true);
    expect(short.changes).toEqual([]);
    const long = run(IDLE, 10_000, 3.5, true, 0.8);
    expect(long.changes).toEqual([{ type: 'open', startedAt: 10_000, severity: 'medium', confidence: 0.8 }]);
    expect(long.state.phase).toBe('open');
  });

  it('restarts the debounce after a break: flickering under the threshold never flags', () => {
    let state: IntervalState = IDLE;
    const changes: IntervalChange[] = [];
    for (let cycle = 0; cycle < 20; cycle++) {
      const on = run(state, cycle * 3000, 2.5, true);
      const off = run(on.state, cycle * 3000 + 2500, 0.5, false);
      state = off.state;
      changes.push(...on.changes, ...off.changes);
    }
    expect(changes).toEqual([]);
  });

  it('merges breaks shorter than the merge gap into one flag', () => {
    const open = run(IDLE, 0, 5, true);
    const blip = run(open.state, 5000, 1.5, false); // 1.5 s < 2 s
    const again = run(blip.state, 6500, 5, true);
    expect([...open.changes, ...blip.changes, ...again.changes].map((c) => c.type)).toEqual(['open']);
    const end = run(again.state, 11_500, 3, false);
    expect(end.changes).toEqual([{ type: 'close', startedAt: 0, endedAt: 11_500, severity: 'medium', confidence: 1 }]);
    expect(end.state).toEqual(IDLE);
  });

  it('ends the flag when the break began, not when the merge gap ran out', () => {
    const open = run(IDLE, 0, 4, true);
    const end = run(open.state, 4000, 2.5, false);
    expect(end.changes).toHaveLength(1);
    expect(end.changes[0]).toMatchObject({ type: 'close', startedAt: 0, endedAt: 4000 });
  });

  it('never closes a flag shorter than the debounce (minimum duration)', () => {
    const open = run(IDLE, 0, 3.5, true);
    const end = run(open.state, 3500, 3, false);
    const closed = end.changes.find((c) => c.type === 'close');
    expect(closed && closed.type === 'close' && closed.endedAt - closed.startedAt).toBeGreaterThanOrEqual(rule.debounceMs);
  });

  it('ignores unknown samples (a failed detection) without breaking or extending anything', () => {
    const open = run(IDLE, 0, 2, true);
    const unknown = run(open.state, 2000, 10, null);
    expect(unknown.state).toEqual(open.state);
    const more = run(unknown.state, 12_000, 1.5, true);
    expect(more.changes).toMatchObject([{ type: 'open', startedAt: 0 }]);
  });

  it('averages confidence over the samples where the condition held', () => {
    const a = run(IDLE, 0, 2, true, 0.5);
    const b = run(a.state, 2000, 2, true, 1);
    // Opened at 3 s: four samples at 0.5, three at 1.
    expect(b.changes[0]).toMatchObject({ type: 'open', confidence: 0.714 });
    const end = finishInterval(run(b.state, 4000, 2, true, 1).state, 7000);
    expect(end.change).toMatchObject({ type: 'close', confidence: 0.833, endedAt: 7000 });
  });

  it('escalates to high severity when the condition lasts long', () => {
    const r: FlagRule = { ...rule, escalateAfterMs: 10_000 };
    const { changes } = run(IDLE, 0, 12, true, 1, r);
    expect(changes.map((c) => [c.type, c.severity])).toEqual([
      ['open', 'medium'],
      ['escalate', 'high'],
    ]);
  });

  it('finishing closes an open flag at the end time and drops a pending one', () => {
    expect(finishInterval(run(IDLE, 0, 2, true).state, 5000)).toEqual({ state: IDLE, change: null });
    const open = run(IDLE, 0, 4, true).state;
    expect(finishInterval(open, 9000).change).toMatchObject({ type: 'close', startedAt: 0, endedAt: 9000 });
    // During a break, the flag ended when the break began.
    const breaking = run(open, 4000, 1, false).state;
    expect(finishInterval(breaking, 9000).change).toMatchObject({ type: 'close', endedAt: 4000 });
  });
});
