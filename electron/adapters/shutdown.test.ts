import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { FakeEmitter, FakeWindow } from '../test/fakeElectron';
import type { HostIncident, IncidentDelivery } from './lockdown';
import { finishBeforeQuit, releaseOnSessionEnd, type SessionEndWindow, type ShutdownOptions } from './shutdown';

const settle = () => new Promise((resolve) => setImmediate(resolve));

function fakeApp() {
  const app = Object.assign(new FakeEmitter(), {
    exits: [] as (number | undefined)[],
    exit(code?: number) {
      this.exits.push(code);
    },
  });
  return app;
}

function fakeTimers() {
  const timeouts: { fn: () => void; ms: number; cleared: boolean }[] = [];
  return {
    timeouts,
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
  };
}

describe('finishBeforeQuit', () => {
  it('holds will-quit until the uploads and the recording are closed, then exits', async () => {
    const app = fakeApp();
    const order: string[] = [];
    let closeUploads!: () => void;
    const { timers } = fakeTimers();
    finishBeforeQuit({
      app: app as unknown as ShutdownOptions['app'],
      flush: async () => {
        await new Promise<void>((resolve) => (closeUploads = resolve));
        order.push('uploads closed');
        order.push('recording closed');
      },
      log: silentLogger,
      timers,
    });
    expect(app.fire('will-quit')).toBe(true);
    await settle();
    expect(app.exits).toEqual([]);
    closeUploads();
    await settle();
    expect(order).toEqual(['uploads closed', 'recording closed']);
    expect(app.exits).toEqual([0]);
  });

  it('exits after the timeout when the work hangs, and runs the work once however often quit is asked', async () => {
    const app = fakeApp();
    let runs = 0;
    const { timers, timeouts } = fakeTimers();
    finishBeforeQuit({
      app: app as unknown as ShutdownOptions['app'],
      flush: () => {
        runs += 1;
        return new Promise<void>(() => undefined);
      },
      timeoutMs: 5000,
      log: silentLogger,
      timers,
    });
    app.fire('will-quit');
    app.fire('will-quit');
    expect(runs).toBe(1);
    expect(timeouts.map((t) => t.ms)).toEqual([5000]);
    timeouts[0]?.fn();
    await settle();
    expect(app.exits).toEqual([0, 0]);
  });

  it('exits when the work fails', async () => {
    const app = fakeApp();
    finishBeforeQuit({
      app: app as unknown as ShutdownOptions['app'],
      flush: async () => {
        throw new Error('EIO');
      },
      log: silentLogger,
      timers: fakeTimers().timers,
    });
    app.fire('will-quit');
    await settle();
    expect(app.exits).toEqual([0]);
  });
});

describe('releaseOnSessionEnd (Windows logoff, restart, shutdown)', () => {
  it('records the incident, releases the lockdown and finishes the last writes, without delaying the session end', async () => {
    const window = new FakeWindow();
    const incidents: { incident: Pick<HostIncident, 'incident' | 'outcome' | 'detail'>; delivery: IncidentDelivery }[] = [];
    let engaged: string | null = 's1';
    let finished = 0;
    releaseOnSessionEnd(window as unknown as SessionEndWindow, {
      lockdown: {
        recordIncident: (incident, delivery) => {
          if (engaged === null) return null;
          incidents.push({ incident, delivery });
          return engaged;
        },
        releaseAny: async () => {
          const was = engaged;
          engaged = null;
          return was;
        },
      },
      shutdown: {
        finish: async () => {
          finished += 1;
        },
      },
      log: silentLogger,
    });
    expect(window.fireEvent('query-session-end', { reasons: ['logoff'] })).toBe(false);
    await settle();
    expect(engaged).toBeNull();
    expect(incidents).toEqual([{ incident: { incident: 'session_ending', outcome: 'released', detail: 'Windows reported: logoff.' }, delivery: 'live' }]);
    expect(finished).toBe(1);
    window.fireEvent('session-end', { reasons: ['shutdown'] });
    await settle();
    expect(incidents).toHaveLength(1);
    expect(finished).toBe(2);
  });
});
