import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../log';
import { FakeWebContents } from '../test/fakeElectron';
import { CrashRecovery, handleProcessErrors, type CrashRecoveryOptions, type LearnerMessage, type WatchedContents } from './crashRecovery';
import type { HostIncident, IncidentDelivery } from './lockdown';

const MINUTE = 60_000;

let now: number;
let engaged: string | null;
let incidents: { incident: Pick<HostIncident, 'incident' | 'outcome' | 'detail'>; delivery: IncidentDelivery; sessionId: string | null }[];
let released: string[];
let told: LearnerMessage[];
let quits: number;
let timeouts: { fn: () => void; ms: number; cleared: boolean }[];
let contents: FakeWebContents;
let logged: { level: string; msg: string }[];

const log: Logger = {
  info: (msg) => logged.push({ level: 'info', msg }),
  warn: (msg) => logged.push({ level: 'warn', msg }),
  error: (msg) => logged.push({ level: 'error', msg }),
};

function build(overrides: Partial<CrashRecoveryOptions> = {}) {
  const recovery = new CrashRecovery({
    lockdown: {
      recordIncident: (incident, delivery) => {
        incidents.push({ incident, delivery, sessionId: engaged });
        return engaged;
      },
      releaseAny: async () => {
        const sessionId = engaged;
        if (sessionId !== null) released.push(sessionId);
        engaged = null;
        return sessionId;
      },
    },
    tell: async (message) => {
      told.push(message);
    },
    quit: () => {
      quits += 1;
    },
    now: () => now,
    log,
    timers: {
      setTimeout: ((fn: () => void, ms: number) => {
        const timer = { fn, ms, cleared: false };
        timeouts.push(timer);
        return timer;
      }) as unknown as typeof setTimeout,
      clearTimeout: ((timer: { cleared: boolean }) => {
        timer.cleared = true;
      }) as unknown as typeof clearTimeout,
    },
    ...overrides,
  });
  const stop = recovery.watch(contents as unknown as WatchedContents);
  return { recovery, stop };
}

const crash = (reason = 'crashed') => contents.fire('render-process-gone', { reason, exitCode: 1 });
const settle = () => new Promise((resolve) => setImmediate(resolve));
const outcomes = () => incidents.map((i) => `${i.incident.incident}:${i.incident.outcome}:${i.delivery}`);

beforeEach(() => {
  now = Date.parse('2026-01-05T09:00:00.000Z');
  engaged = 'sess-1';
  incidents = [];
  released = [];
  told = [];
  quits = 0;
  timeouts = [];
  contents = new FakeWebContents();
  logged = [];
});

describe('CrashRecovery: the exam page crashes', () => {
  it('reloads the page and keeps the incident for the reloaded page', () => {
    build();
    crash();
    expect(contents.reloads).toBe(1);
    expect(outcomes()).toEqual(['renderer_crashed:reloaded:after_reload']);
    expect(incidents[0]?.incident.detail).toContain('crashed');
    expect(released).toEqual([]);
    expect(quits).toBe(0);
    expect(logged.map((l) => l.msg)).toContain('crash recovery: the exam page crashed');
  });

  it('ignores a clean exit (the page closing normally)', () => {
    build();
    crash('clean-exit');
    expect(contents.reloads).toBe(0);
    expect(incidents).toEqual([]);
  });

  it('after 3 reloads within 10 minutes releases the lockdown, tells the learner, and quits', async () => {
    build();
    for (let i = 0; i < 3; i += 1) {
      crash();
      now += MINUTE;
    }
    expect(contents.reloads).toBe(3);
    crash('oom');
    await settle();
    expect(contents.reloads).toBe(3);
    expect(released).toEqual(['sess-1']);
    expect(outcomes().at(-1)).toBe('renderer_crashed:released:after_reload');
    expect(told).toHaveLength(1);
    expect(told[0]?.message).toMatch(/stopped working 4 times in 10 minutes/);
    expect(told[0]?.detail).toMatch(/lockdown is now off/);
    expect(told[0]?.detail).toMatch(/can be resumed/);
    expect(quits).toBe(1);
    // Once given up, later events change nothing.
    crash();
    await settle();
    expect(contents.reloads).toBe(3);
    expect(quits).toBe(1);
  });

  it('counts only the crashes of the last 10 minutes', async () => {
    build();
    for (let i = 0; i < 6; i += 1) {
      crash();
      now += 4 * MINUTE;
    }
    await settle();
    expect(contents.reloads).toBe(6);
    expect(quits).toBe(0);
  });

  it('tells the learner and quits even when no exam is locked down (nothing to release)', async () => {
    engaged = null;
    build({ maxReloads: 0 });
    crash();
    await settle();
    expect(released).toEqual([]);
    expect(told).toHaveLength(1);
    expect(quits).toBe(1);
  });

  it('stops watching when asked', () => {
    const { stop } = build();
    stop();
    crash();
    expect(contents.reloads).toBe(0);
    expect(contents.count('render-process-gone')).toBe(0);
  });
});

describe('CrashRecovery: the exam page stops responding', () => {
  it('waits for it; when it responds again in time, records that it recovered and reloads nothing', () => {
    build({ unresponsiveWaitMs: 15_000 });
    contents.fire('unresponsive');
    contents.fire('unresponsive'); // Electron repeats it while the page stays hung
    expect(timeouts).toHaveLength(1);
    expect(timeouts[0]?.ms).toBe(15_000);
    now += 6_000;
    contents.fire('responsive');
    expect(timeouts[0]?.cleared).toBe(true);
    expect(contents.reloads).toBe(0);
    expect(outcomes()).toEqual(['renderer_unresponsive:recovered:live']);
    expect(incidents[0]?.incident.detail).toContain('6 seconds');
  });

  it('when it does not come back, ends its process and reloads it; the kill is not counted as a crash', () => {
    build();
    contents.fire('unresponsive');
    now += 15_000;
    timeouts[0]?.fn();
    expect(contents.kills).toBe(1);
    expect(contents.reloads).toBe(1);
    expect(outcomes()).toEqual(['renderer_unresponsive:reloaded:after_reload']);
  });

  it('gives up like a crash once the reloads are used up, ending the hung process so the window can close', async () => {
    build({ maxReloads: 1 });
    crash();
    contents.fire('unresponsive');
    timeouts[0]?.fn();
    await settle();
    expect(contents.reloads).toBe(1);
    expect(contents.kills).toBe(1);
    expect(released).toEqual(['sess-1']);
    expect(quits).toBe(1);
  });
});

describe('CrashRecovery: an error in the main process', () => {
  it('during an exam: records it for the live page, releases the lockdown, tells the learner and quits', async () => {
    const { recovery } = build();
    await recovery.mainProcessError('uncaughtException', new TypeError('boom'));
    expect(outcomes()).toEqual(['main_process_error:released:live']);
    expect(released).toEqual(['sess-1']);
    expect(told[0]?.title).toBe('Invigil had to stop the exam');
    expect(quits).toBe(1);
    expect(recovery.givenUp).toBe(true);
  });

  it('with no exam locked down: only logs (the learner can quit as usual)', async () => {
    engaged = null;
    const { recovery } = build();
    await recovery.mainProcessError('unhandledRejection', 'a string');
    expect(released).toEqual([]);
    expect(told).toEqual([]);
    expect(quits).toBe(0);
    expect(logged).toContainEqual({ level: 'error', msg: 'crash recovery: error in the main process' });
  });

  it('still quits when the dialog cannot be shown', async () => {
    const { recovery } = build({
      tell: async () => {
        throw new Error('no display');
      },
    });
    await recovery.mainProcessError('uncaughtException', new Error('x'));
    expect(quits).toBe(1);
  });
});

describe('handleProcessErrors', () => {
  it('routes uncaught exceptions and unhandled rejections, and a failing handler never throws', async () => {
    const processErrors = new EventEmitter();
    const seen: string[] = [];
    handleProcessErrors(
      processErrors,
      async (origin, error) => {
        seen.push(`${origin}:${error instanceof Error ? error.message : String(error)}`);
        if (origin === 'unhandledRejection') throw new Error('handler broke');
      },
      silentLogger,
    );
    processErrors.emit('uncaughtException', new Error('one'));
    expect(() => processErrors.emit('unhandledRejection', 'two')).not.toThrow();
    await settle();
    expect(seen).toEqual(['uncaughtException:one', 'unhandledRejection:two']);
  });
});
