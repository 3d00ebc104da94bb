import { describe, expect, it } from 'vitest';
import type { SessionEvent, SessionEventInput } from '../../../../shared/api/events';
import { ExamPolicy } from '../../../../shared/domain/examPolicy';
import { lockdownCapabilities, type PlatformDescriptor } from '../../../../shared/domain/lockdownCapabilities';
import type { LockdownObservation } from '../../../../shared/domain/observations';
import { fail, ok } from '../../../../shared/result';
import { ExamLockdown, type BrowserLockdown, type EventRules } from './examLockdown';
import type { EventOutbox } from './eventOutbox';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const policy = ExamPolicy.parse({});
let ids = 0;
const newId = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;

/** Rules for the test: every focus_lost is an event; close() ends nothing. */
const rules: EventRules<number> = {
  initial: () => 0,
  observe: (_p, n, o) => ({
    state: n + 1,
    events: o.kind === 'focus_lost' ? [{ id: newId(), kind: 'focus_lost', severity: 'medium', startedAt: o.at, endedAt: null, reason: 'Focus lost.' } satisfies SessionEventInput] : [],
  }),
  close: (_p, n, at) => ({ state: n, events: [{ id: newId(), kind: 'quit_requested', severity: 'info', startedAt: at, endedAt: null, reason: 'closed' }] }),
};

const WINDOWS_11: PlatformDescriptor = { os: 'windows', osVersion: '10.0.22631', session: null };
const ALL_WORKED = { kiosk: true, alwaysOnTop: true, contentProtection: true, displaySleepBlocked: true, processScan: true };

interface Page {
  /** What the page's Fullscreen API and Keyboard Lock API answer. */
  readonly fullscreen?: boolean;
  readonly keys?: boolean;
  readonly platform?: PlatformDescriptor;
}

function world(desktop: boolean, engageReply: 'ok' | 'fail' = 'ok', incidents?: LockdownObservation[], page: Page = {}) {
  const capabilities = lockdownCapabilities({ host: 'desktop', platform: page.platform ?? WINDOWS_11, engaged: ALL_WORKED });
  const added: SessionEvent[] = [];
  let hostListener: ((o: LockdownObservation) => void) | null = null;
  let pageListener: ((o: LockdownObservation) => void) | null = null;
  const calls: string[] = [];
  const host = {
    'lockdown:engage': async () => {
      calls.push('engage');
      return engageReply === 'ok'
        ? ok({ kiosk: true, contentProtection: true, displaySleepBlocked: true, processScan: true, capabilities, incidents })
        : fail('unsupported' as const, 'no');
    },
    'lockdown:leave': async ({ reason }: { reason: string }) => {
      calls.push(`leave:${reason}`);
      return ok({});
    },
    'lockdown:release': async () => {
      calls.push('release');
      return ok({});
    },
    'system:probe': async () => ok({ observedAt: '2026-11-28T10:00:00.000Z', os: 'linux', displays: null, machine: null, processes: null }),
    on: (_e: string, l: (o: LockdownObservation) => void) => {
      hostListener = l;
      return () => (hostListener = null);
    },
  };
  const browser: BrowserLockdown = {
    enterFullscreen: async () => (calls.push('fullscreen'), page.fullscreen ?? true),
    exitFullscreen: async () => void calls.push('exit'),
    lockKeys: async () => (calls.push('keys'), page.keys ?? true),
    unlockKeys: () => void calls.push('unlock'),
    watch: (l) => {
      pageListener = l;
      return () => (pageListener = null);
    },
  };
  const outbox = { add: async (e: SessionEvent[]) => void added.push(...e), flush: async () => {}, dispose: () => {} } as unknown as EventOutbox;
  // Every observation the rules were given, in order.
  const seen: LockdownObservation[] = [];
  const seeing: EventRules<number> = { ...rules, observe: (p, n, o) => (seen.push(o), rules.observe(p, n, o)) };
  const lockdown = new ExamLockdown({ host: host as never, desktop, browser, rules: seeing, outbox: () => outbox, now: () => new Date('2026-11-28T10:00:00Z'), log: silent });
  return { lockdown, added, calls, seen, capabilities, emitHost: (o: LockdownObservation) => hostListener?.(o), emitPage: (o: LockdownObservation) => pageListener?.(o), listening: () => ({ host: hostListener !== null, page: pageListener !== null }) };
}

describe('ExamLockdown', () => {
  it('on the desktop engages the kiosk and turns host observations into events', async () => {
    const w = world(true);
    const engaged = await w.lockdown.engage('s1', policy, 'google');
    expect(engaged).toMatchObject(ok({ sessionId: 's1', mode: 'kiosk', contentProtection: true, processScan: true }));
    w.emitHost({ kind: 'focus_lost', at: '2026-11-28T10:01:00.000Z' });
    w.emitHost({ kind: 'focus_regained', at: '2026-11-28T10:01:02.000Z' });
    await Promise.resolve();
    expect(w.added.map((e) => e.kind)).toEqual(['focus_lost']);
    await w.lockdown.release('s1');
    expect(w.calls).toEqual(['engage', 'fullscreen', 'keys', 'unlock', 'exit', 'release']);
    expect(w.listening().host).toBe(false);
    expect(w.lockdown.current()).toBeNull();
    expect(w.added.map((e) => e.kind)).toEqual(['focus_lost', 'quit_requested']);
  });

  it('refuses to go on when the desktop lockdown fails', async () => {
    const w = world(true, 'fail');
    const engaged = await w.lockdown.engage('s1', policy, null);
    expect(engaged.ok).toBe(false);
    expect(w.lockdown.current()).toBeNull();
  });

  it('in a browser asks for full screen and watches the page', async () => {
    const w = world(false);
    const engaged = await w.lockdown.engage('s1', policy, null);
    expect(engaged.ok && engaged.value.mode).toBe('browser_fullscreen');
    w.emitPage({ kind: 'focus_lost', at: '2026-11-28T10:01:00.000Z' });
    await Promise.resolve();
    expect(w.added).toHaveLength(1);
    await w.lockdown.release('s1');
    expect(w.calls).toEqual(['fullscreen', 'exit']);
  });

  it('tells the exam when the learner tries to quit', async () => {
    const w = world(true);
    await w.lockdown.engage('s1', policy, null);
    let asked = 0;
    const stop = w.lockdown.onQuitRequested(() => asked++);
    w.emitHost({ kind: 'quit_requested', at: '2026-11-28T10:01:00.000Z' });
    stop();
    w.emitHost({ kind: 'quit_requested', at: '2026-11-28T10:01:01.000Z' });
    expect(asked).toBe(1);
  });

  it('turns the incidents the host kept while the page was gone (crash, reload) into events at engage', async () => {
    const crashed: LockdownObservation = { kind: 'host_incident', at: '2026-11-28T10:00:30.000Z', incident: 'renderer_crashed', outcome: 'reloaded', detail: '' };
    const w = world(true, 'ok', [crashed]);
    await w.lockdown.engage('s1', policy, null);
    expect(w.seen).toEqual([crashed]);
  });

  it('"I need to leave": records the reason, tells the desktop host, and releases', async () => {
    const w = world(true);
    const { lockdown } = w;
    await lockdown.engage('s1', policy, null);
    await lockdown.leave('s2', 'not this one');
    expect(w.calls).toEqual(['engage', 'fullscreen', 'keys']);
    await lockdown.leave('s1', 'Fire alarm');
    expect(w.seen).toEqual([{ kind: 'host_incident', at: '2026-11-28T10:00:00.000Z', incident: 'learner_left', outcome: 'released', detail: 'Fire alarm' }]);
    expect(w.calls).toEqual(['engage', 'fullscreen', 'keys', 'leave:Fire alarm', 'unlock', 'exit', 'release']);
    expect(lockdown.current()).toBeNull();
  });

  it('"I need to leave" in a browser records the reason and leaves full screen', async () => {
    const w = world(false);
    await w.lockdown.engage('s1', policy, null);
    await w.lockdown.leave('s1', 'Power cut coming');
    expect(w.seen.map((o) => o.kind === 'host_incident' && o.detail)).toEqual(['Power cut coming']);
    expect(w.calls).toEqual(['fullscreen', 'exit']);
  });

  it('engaging the same session twice keeps one lockdown', async () => {
    const w = world(true);
    await w.lockdown.engage('s1', policy, null);
    await w.lockdown.engage('s1', policy, null);
    expect(w.calls).toEqual(['engage', 'fullscreen', 'keys']);
  });
});

describe('ExamLockdown: what the lockdown does on this computer', () => {
  it('on Windows, a keyboard lock the page obtained makes Alt+Tab prevented', async () => {
    const w = world(true);
    const engaged = await w.lockdown.engage('s1', policy, null);
    expect(w.capabilities.measures.app_switching.status).toBe('detected');
    expect(engaged.ok && engaged.value.capabilities.keyboardLock).toBe(true);
    expect(engaged.ok && engaged.value.capabilities.measures.app_switching.status).toBe('enforced');
    expect(w.lockdown.current()?.capabilities.measures.app_switching.status).toBe('enforced');
  });

  it('keeps the host’s answers when the keyboard lock or the page’s full screen is refused', async () => {
    const refused = world(true, 'ok', undefined, { keys: false });
    const engaged = await refused.lockdown.engage('s1', policy, null);
    expect(engaged.ok && engaged.value.capabilities).toEqual(refused.capabilities);

    const noFullscreen = world(true, 'ok', undefined, { fullscreen: false });
    const again = await noFullscreen.lockdown.engage('s1', policy, null);
    expect(noFullscreen.calls).toEqual(['engage', 'fullscreen']); // the lock acts only in full screen: not asked
    expect(again.ok && again.value.capabilities.measures.app_switching.status).toBe('detected');
  });

  it('on macOS the keyboard lock adds nothing (Cmd+Tab is the kiosk’s to stop)', async () => {
    const w = world(true, 'ok', undefined, { platform: { os: 'macos', osVersion: '24.1.0', session: null } });
    const engaged = await w.lockdown.engage('s1', policy, null);
    expect(engaged.ok && engaged.value.capabilities.measures).toEqual(w.capabilities.measures);
  });

  it('in a browser reports the web model and never asks for the keyboard lock', async () => {
    const w = world(false);
    const engaged = await w.lockdown.engage('s1', policy, null);
    expect(engaged.ok && engaged.value.capabilities.host).toBe('web');
    expect(engaged.ok && engaged.value.capabilities.measures.stay_on_top.status).toBe('unavailable');
    expect(w.calls).toEqual(['fullscreen']);
  });
});
