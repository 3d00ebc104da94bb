import { beforeEach, describe, expect, it } from 'vitest';
import { ExamPolicy, type ExamPolicyInput } from '../../shared/domain/examPolicy';
import { lockdownCapabilities, type PlatformDescriptor } from '../../shared/domain/lockdownCapabilities';
import type { LockdownObservation, ProcessInfo } from '../../shared/domain/observations';
import { contract } from '../../shared/ipc/contract';
import { silentLogger } from '../log';
import {
  display,
  FakeEmitter,
  FakePowerSaveBlocker,
  FakeScreen,
  FakeSession,
  FakeSystemClipboard,
  FakeView,
  FakeWindow,
} from '../test/fakeElectron';
import { IsolatedClipboard } from './clipboard';
import { DesktopLockdown, type DesktopLockdownOptions } from './lockdown';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');
const WINDOWS_11: PlatformDescriptor = { os: 'windows', osVersion: '10.0.22631', session: null };
const MACOS_15: PlatformDescriptor = { os: 'macos', osVersion: '24.1.0', session: null };
const LINUX_X11: PlatformDescriptor = { os: 'linux', osVersion: '6.8.0', session: 'x11' };
const ALL_WORKED = { kiosk: true, alwaysOnTop: true, contentProtection: true, displaySleepBlocked: true, processScan: true };

let window: FakeWindow;
let screen: FakeScreen;
let power: FakeEmitter;
let blocker: FakePowerSaveBlocker;
let app: FakeEmitter;
let system: FakeSystemClipboard;
let sessions: FakeSession[];
let views: FakeView[];
let observations: LockdownObservation[];
let intervals: { fn: () => void; ms: number; cleared: boolean }[];
let processList: ProcessInfo[] | null;
let translatorContents: WeakSet<object>;

function build(overrides: Partial<DesktopLockdownOptions> = {}) {
  return new DesktopLockdown({
    examWindow: () => window as unknown as ReturnType<DesktopLockdownOptions['examWindow']>,
    screen: screen as unknown as DesktopLockdownOptions['screen'],
    powerMonitor: power as unknown as DesktopLockdownOptions['powerMonitor'],
    powerSaveBlocker: blocker as unknown as DesktopLockdownOptions['powerSaveBlocker'],
    app: app as unknown as DesktopLockdownOptions['app'],
    clipboard: new IsolatedClipboard({ system, log: silentLogger }),
    probe: { processes: async () => processList },
    createView: (options) => {
      const view = new FakeView(options as { webPreferences: Record<string, unknown> });
      views.push(view);
      return view as unknown as ReturnType<DesktopLockdownOptions['createView']>;
    },
    fromPartition: (partition) => {
      const session = new FakeSession();
      (session as unknown as { partition: string }).partition = partition;
      sessions.push(session);
      return session as unknown as ReturnType<DesktopLockdownOptions['fromPartition']>;
    },
    translatorContents,
    report: (observation) => observations.push(observation),
    now: () => T0,
    platform: WINDOWS_11,
    log: silentLogger,
    launchProblem: null,
    nonce: () => `n${sessions.length}`,
    timers: {
      setInterval: ((fn: () => void, ms: number) => {
        const timer = { fn, ms, cleared: false };
        intervals.push(timer);
        return timer;
      }) as unknown as typeof setInterval,
      clearInterval: ((timer: { cleared: boolean }) => {
        timer.cleared = true;
      }) as unknown as typeof clearInterval,
    },
    ...overrides,
  });
}

const policy = (input: ExamPolicyInput = {}) => ExamPolicy.parse(input);
const flush = () => new Promise((resolve) => setImmediate(resolve));
const kinds = () => observations.map((o) => (o.kind === 'shortcut_blocked' ? `shortcut:${o.action}` : o.kind));

beforeEach(() => {
  window = new FakeWindow();
  screen = new FakeScreen();
  power = new FakeEmitter();
  blocker = new FakePowerSaveBlocker();
  app = new FakeEmitter();
  system = new FakeSystemClipboard();
  sessions = [];
  views = [];
  observations = [];
  intervals = [];
  processList = [{ pid: 42, name: 'obs', path: '/usr/bin' }];
  translatorContents = new WeakSet();
});

describe('desktop lockdown: engage and release', () => {
  it('locks the window in kiosk on the primary display, on top, out of captures, with display sleep blocked', async () => {
    const lockdown = build();
    const reply = await lockdown.engage({ sessionId: 's1', policy: policy(), translator: null });
    expect(reply).toEqual({
      ok: true,
      value: {
        kiosk: true,
        contentProtection: true,
        displaySleepBlocked: true,
        processScan: true,
        capabilities: lockdownCapabilities({ host: 'desktop', platform: WINDOWS_11, engaged: ALL_WORKED }),
      },
    });
    // The reply is what the contract lets through to the page.
    expect(reply.ok && contract['lockdown:engage'].reply.parse(reply.value)).toEqual(reply.ok && reply.value);
    expect(window.bounds).toEqual({ x: 0, y: 0, width: 1440, height: 900 }); // the primary, not the first listed
    expect(window.kiosk).toBe(true);
    expect(window.alwaysOnTop).toEqual([true, 'screen-saver']);
    expect(window.contentProtection).toBe(true);
    expect(window.menuBarVisible).toBe(false);
    expect(blocker.lastType).toBe('prevent-display-sleep');
    expect(blocker.started.size).toBe(1);
    expect(system.clears).toBeGreaterThanOrEqual(1);
    expect(system.selectionClears).toBeGreaterThanOrEqual(1);
  });

  it('says content protection is missing where the OS has none (Linux)', async () => {
    const reply = await build({ platform: LINUX_X11 }).engage({ sessionId: 's1', policy: policy(), translator: null });
    expect(reply.ok && reply.value.contentProtection).toBe(false);
    expect(reply.ok && reply.value.capabilities.measures.screen_capture.status).toBe('unavailable');
    expect(reply.ok && reply.value.capabilities.engaged?.contentProtection).toBe(false);
  });

  it('does not claim content protection on macOS 15, where screen capture ignores it', async () => {
    const reply = await build({ platform: MACOS_15 }).engage({ sessionId: 's1', policy: policy(), translator: null });
    expect(window.contentProtection).toBe(true); // switched on all the same
    expect(reply.ok && reply.value.contentProtection).toBe(false);
    expect(reply.ok && reply.value.capabilities.measures.screen_capture.status).toBe('unavailable');
    expect(reply.ok && reply.value.capabilities.measures.app_switching.status).toBe('enforced'); // kiosk switches Cmd+Tab off
  });

  it('reports content protection that threw as not enforced, and locks the rest down anyway', async () => {
    window.contentProtectionError = new Error('SetWindowDisplayAffinity failed');
    const lockdown = build();
    const reply = await lockdown.engage({ sessionId: 's1', policy: policy(), translator: null });
    expect(reply.ok && reply.value.contentProtection).toBe(false);
    expect(reply.ok && reply.value.capabilities.measures.screen_capture).toEqual({ status: 'unavailable', statement: expect.stringMatching(/could not be switched on/) });
    expect(reply.ok && reply.value.capabilities.measures.print_screen.statement).toMatch(/show the exam/);
    expect(window.kiosk).toBe(true);
    expect(window.alwaysOnTop).toEqual([true, 'screen-saver']);
    // Release still takes the window out of kiosk.
    await lockdown.release('s1');
    expect(window.kiosk).toBe(false);
    expect(window.bounds).toEqual({ x: 100, y: 100, width: 1280, height: 800 });
  });

  it('reports a kiosk and display-sleep block that did not take as not enforced', async () => {
    window.setKiosk = () => undefined; // the window refuses kiosk
    blocker.isStarted = () => false;
    const reply = await build({ platform: MACOS_15 }).engage({ sessionId: 's1', policy: policy(), translator: null });
    expect(reply.ok && reply.value.kiosk).toBe(false);
    expect(reply.ok && reply.value.capabilities.measures.full_screen.status).toBe('detected');
    expect(reply.ok && reply.value.capabilities.measures.app_switching.status).toBe('detected');
    expect(reply.ok && reply.value.capabilities.measures.display_sleep.status).toBe('unavailable');
  });

  it('puts everything back at release and is idempotent', async () => {
    const lockdown = build();
    await lockdown.engage({ sessionId: 's1', policy: policy(), translator: 'google' });
    const clearsBefore = system.clears;
    expect(await lockdown.release('s1')).toEqual({ ok: true, value: {} });
    expect(window.kiosk).toBe(false);
    expect(window.alwaysOnTop[0]).toBe(false);
    expect(window.contentProtection).toBe(false);
    expect(window.bounds).toEqual({ x: 100, y: 100, width: 1280, height: 800 });
    expect(window.menuAutoHide).toBe(true);
    expect(blocker.started.size).toBe(0);
    expect(intervals.every((t) => t.cleared)).toBe(true);
    expect(system.clears).toBeGreaterThan(clearsBefore);
    expect(sessions[0]!.storageCleared).toBe(1);
    expect(sessions[0]!.cacheCleared).toBe(1);
    expect(views[0]!.webContents.closed).toBe(true);
    expect(window.children).toEqual([]);
    for (const name of ['blur', 'focus', 'close', 'before-input-event']) expect(window.count(name) + window.webContents.count(name)).toBe(0);
    expect(screen.count('display-added') + power.count('suspend')).toBe(0);
    expect(await lockdown.release('s1')).toEqual({ ok: true, value: {} });
  });

  it('answers the same reply to a repeated engage and refuses a second session', async () => {
    const lockdown = build();
    const first = await lockdown.engage({ sessionId: 's1', policy: policy(), translator: null });
    expect(await lockdown.engage({ sessionId: 's1', policy: policy(), translator: null })).toEqual(first);
    const other = await lockdown.engage({ sessionId: 's2', policy: policy(), translator: null });
    expect(other.ok ? null : other.error.code).toBe('invalid_request');
    expect((await lockdown.release('s2')).ok).toBe(false);
    expect(blocker.started.size).toBe(1);
  });

  it('refuses an exam in a debugging launch, saying why', async () => {
    const result = await build({ launchProblem: 'Invigil was started with debugging switched on (--inspect)' }).engage({
      sessionId: 's1',
      policy: policy(),
      translator: null,
    });
    expect(result).toEqual({ ok: false, error: { code: 'unsupported', message: expect.stringContaining('--inspect') } });
    expect(window.kiosk).toBe(false);
  });

  it('refuses a translator the exam does not allow', async () => {
    const cases: [ExamPolicyInput, 'google' | 'bing'][] = [
      [{ translators: 'none' }, 'google'],
      [{ approvedTranslators: ['youdao'] }, 'bing'],
    ];
    for (const [input, translator] of cases) {
      const result = await build().engage({ sessionId: 's1', policy: policy(input), translator });
      expect(result.ok ? null : result.error.code).toBe('invalid_request');
    }
    expect(views).toEqual([]);
  });

  it('undoes what it did when engaging fails half-way', async () => {
    const lockdown = build({
      powerSaveBlocker: {
        start: () => {
          throw new Error('no blocker');
        },
        stop: () => false,
        isStarted: () => false,
      },
    });
    await expect(lockdown.engage({ sessionId: 's1', policy: policy(), translator: null })).rejects.toThrow('no blocker');
    expect(window.kiosk).toBe(false);
    expect(window.webContents.count('before-input-event')).toBe(0);
    expect(lockdown.isEngaged).toBe(false);
  });
});

describe('desktop lockdown: observations', () => {
  it('scans processes at once and then every processScanSeconds', async () => {
    const lockdown = build();
    await lockdown.engage({ sessionId: 's1', policy: policy({ processScanSeconds: 20 }), translator: null });
    await flush();
    expect(observations).toEqual([{ kind: 'processes', at: '2026-01-05T09:00:00.000Z', processes: [{ pid: 42, name: 'obs', path: '/usr/bin' }] }]);
    expect(intervals.map((t) => t.ms)).toEqual([20_000]);
    processList = [];
    intervals[0]!.fn();
    await flush();
    expect(observations.at(-1)).toEqual({ kind: 'processes', at: '2026-01-05T09:00:00.000Z', processes: [] });
    processList = null; // an unreadable list is not reported as an empty one
    intervals[0]!.fn();
    await flush();
    expect(observations).toHaveLength(2);
  });

  it('reports focus, full-screen, display and power changes while engaged, and nothing after', async () => {
    const lockdown = build();
    await lockdown.engage({ sessionId: 's1', policy: policy(), translator: null });
    await flush();
    observations.length = 0;
    const clears = system.clears;
    window.fire('blur');
    expect(system.clears).toBe(clears + 1); // leaving the window empties the system clipboard
    window.fire('focus');
    window.fire('leave-full-screen');
    screen.fire('display-added', display(3, 1440, 1920, 1080, { internal: false }));
    screen.fire('display-removed', display(3, 1440, 1920, 1080, { internal: false }));
    power.fire('suspend');
    power.fire('resume');
    expect(kinds()).toEqual(['focus_lost', 'focus_regained', 'fullscreen_exited', 'display_added', 'display_removed', 'suspend', 'resume']);
    observations.length = 0;
    // Locking the screen is leaving the exam window; unlocking counts as coming back only with focus.
    power.fire('lock-screen');
    window.hasFocus = false;
    power.fire('unlock-screen');
    window.hasFocus = true;
    power.fire('lock-screen');
    power.fire('unlock-screen');
    expect(kinds()).toEqual(['focus_lost', 'focus_lost', 'focus_regained']);
    observations.length = 0;
    window.fire('focus');
    window.fire('leave-full-screen');
    screen.fire('display-added', display(3, 1440, 1920, 1080, { internal: false }));
    expect(kinds()).toEqual(['focus_regained', 'fullscreen_exited', 'display_added']);
    expect(observations[2]).toEqual({
      kind: 'display_added',
      at: '2026-01-05T09:00:00.000Z',
      display: { id: '3', label: 'Display 3', internal: false, primary: false, width: 1920, height: 1080, x: 1440, y: 0, active: true },
    });
    await lockdown.release('s1');
    observations.length = 0;
    window.fire('blur');
    screen.fire('display-added', display(4, 0, 800, 600));
    power.fire('suspend');
    power.fire('lock-screen');
    expect(observations).toEqual([]);
  });

  it('refuses to quit or close during the exam and reports it, and lets go after release', async () => {
    const lockdown = build();
    expect(app.fire('before-quit')).toBe(false);
    await lockdown.engage({ sessionId: 's1', policy: policy(), translator: null });
    await flush();
    observations.length = 0;
    expect(app.fire('before-quit')).toBe(true);
    expect(window.fire('close')).toBe(true);
    expect(kinds()).toEqual(['quit_requested', 'quit_requested']);
    await lockdown.release('s1');
    expect(app.fire('before-quit')).toBe(false);
    expect(window.fire('close')).toBe(false);
  });

  it('"I need to leave": releases the exam with the reason (quit and close work again); another session is refused', async () => {
    const lockdown = build();
    await lockdown.engage({ sessionId: 's1', policy: policy(), translator: null });
    expect(await lockdown.leave('s2', 'Fire alarm')).toEqual({ ok: false, error: expect.objectContaining({ code: 'not_found' }) });
    expect(window.kiosk).toBe(true);
    expect(await lockdown.leave('s1', 'Fire alarm')).toEqual({ ok: true, value: {} });
    expect(window.kiosk).toBe(false);
    expect(window.alwaysOnTop[0]).toBe(false);
    expect(app.fire('before-quit')).toBe(false);
    expect(window.fire('close')).toBe(false);
  });

  it('hands incidents kept while the page was gone to the next engage of that session, once', async () => {
    const lockdown = build();
    expect(lockdown.recordIncident({ incident: 'renderer_crashed', outcome: 'reloaded', detail: 'x' }, 'after_reload')).toBeNull();
    await lockdown.engage({ sessionId: 's1', policy: policy(), translator: null });
    await flush();
    observations.length = 0;
    expect(lockdown.recordIncident({ incident: 'renderer_crashed', outcome: 'reloaded', detail: 'The page process ended (crashed).' }, 'after_reload')).toBe('s1');
    expect(observations).toEqual([]); // no page to hear it
    const again = await lockdown.engage({ sessionId: 's1', policy: policy(), translator: null });
    expect(again.ok && again.value.incidents).toEqual([
      { kind: 'host_incident', at: '2026-01-05T09:00:00.000Z', incident: 'renderer_crashed', outcome: 'reloaded', detail: 'The page process ended (crashed).' },
    ]);
    const third = await lockdown.engage({ sessionId: 's1', policy: policy(), translator: null });
    expect(third.ok && third.value.incidents).toBeUndefined();
    lockdown.recordIncident({ incident: 'renderer_unresponsive', outcome: 'recovered', detail: 'y' }, 'live');
    expect(observations).toEqual([expect.objectContaining({ kind: 'host_incident', incident: 'renderer_unresponsive', outcome: 'recovered' })]);
  });

  it('releaseAny releases whatever exam is locked down, so the app can quit, and refuses to lock down again', async () => {
    const lockdown = build();
    await lockdown.engage({ sessionId: 's1', policy: policy(), translator: 'google' });
    expect(await lockdown.releaseAny('Invigil is closing.')).toBe('s1');
    expect(lockdown.isEngaged).toBe(false);
    expect(window.kiosk).toBe(false);
    expect(app.fire('before-quit')).toBe(false);
    expect(await lockdown.engage({ sessionId: 's1', policy: policy(), translator: null })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'unsupported', message: 'Invigil is closing.' }),
    });
    expect(await lockdown.releaseAny('Invigil is closing.')).toBeNull();
  });

  it('swallows devtools, reload and print keys and reports each press', async () => {
    await build().engage({ sessionId: 's1', policy: policy(), translator: null });
    await flush();
    observations.length = 0;
    const contents = window.webContents;
    expect(contents.press('F12')).toBe(true);
    expect(contents.press('KeyI', { control: true, shift: true })).toBe(true);
    expect(contents.press('KeyR', { meta: true })).toBe(true);
    expect(contents.press('KeyP', { control: true })).toBe(true);
    expect(contents.press('KeyA')).toBe(false); // typing is untouched
    expect(kinds()).toEqual(['shortcut:devtools', 'shortcut:devtools', 'shortcut:reload', 'shortcut:print']);
  });
});

describe('desktop lockdown: translator and isolated clipboard', () => {
  it('opens the chosen translator in a fresh in-memory partition per engage, hidden until asked', async () => {
    const lockdown = build();
    await lockdown.engage({ sessionId: 's1', policy: policy(), translator: 'youdao' });
    const partition = (sessions[0] as unknown as { partition: string }).partition;
    expect(partition).toMatch(/^invigil-translator-s1-n\d+$/);
    expect(views[0]!.webContents.loaded).toEqual(['https://fanyi.youdao.com/']);
    expect(translatorContents.has(views[0]!.webContents)).toBe(true);
    expect(views[0]!.visible).toBe(false);
    expect(await lockdown.setTranslatorVisible(true, 0.5)).toEqual({ ok: true, value: { visible: true, translator: 'youdao' } });
    expect(views[0]!.bounds).toEqual({ x: 720, y: 0, width: 720, height: 900 });
    await lockdown.release('s1');
    expect((await lockdown.setTranslatorVisible(true, 0.5)).ok).toBe(false);
    await lockdown.engage({ sessionId: 's1', policy: policy(), translator: 'youdao' });
    expect((sessions[1] as unknown as { partition: string }).partition).not.toBe(partition);
  });

  it('on an any-of exam switches translators: the old view is wiped and destroyed, the new one gets a fresh partition', async () => {
    const lockdown = build();
    await lockdown.engage({ sessionId: 's1', policy: policy({ translators: 'any-of' }), translator: null });
    expect(views[0]!.webContents.loaded).toEqual(['https://translate.google.com/']);
    expect(await lockdown.setTranslatorVisible(true, 0.4, 'bing')).toEqual({ ok: true, value: { visible: true, translator: 'bing' } });
    expect(sessions[0]!.storageCleared).toBe(1);
    expect(views[0]!.webContents.closed).toBe(true);
    expect(views[1]!.webContents.loaded[0]).toMatch(/^https:\/\/www\.bing\.com\/translator/);
    expect((sessions[1] as unknown as { partition: string }).partition).not.toBe((sessions[0] as unknown as { partition: string }).partition);
    await lockdown.release('s1');
    expect(sessions[1]!.storageCleared).toBe(1);
  });

  it('on a one-of exam refuses any translator but the chosen one', async () => {
    const lockdown = build();
    await lockdown.engage({ sessionId: 's1', policy: policy(), translator: 'youdao' });
    const result = await lockdown.setTranslatorVisible(true, 0.4, 'google');
    expect(result.ok ? null : result.error.code).toBe('invalid_request');
    expect(views).toHaveLength(1);
  });

  it('answers not_found for the translator when none was chosen', async () => {
    const lockdown = build();
    await lockdown.engage({ sessionId: 's1', policy: policy(), translator: null });
    const result = await lockdown.setTranslatorVisible(true, 0.4);
    expect(result.ok ? null : result.error.code).toBe('not_found');
  });

  it('copies from the exam into a private buffer and pastes it into the translator, never through the system clipboard', async () => {
    await build().engage({ sessionId: 's1', policy: policy(), translator: 'google' });
    const exam = window.webContents;
    const translator = views[0]!.webContents;
    exam.selection = 'What is the takt time of line B?';
    expect(exam.press('KeyC', { control: true })).toBe(true);
    await flush();
    expect(exam.scripts).toHaveLength(1);
    expect(exam.scripts[0]!.worldId).not.toBe(0); // never the page's own world
    expect(translator.press('KeyV', { control: true })).toBe(true);
    await flush();
    expect(translator.inserted).toEqual(['What is the takt time of line B?']);
    // And back: the translation pasted into the answer field.
    translator.selection = 'Quel est le temps de takt de la ligne B ?';
    translator.press('KeyX', { meta: true });
    await flush();
    expect(translator.scripts.at(-1)!.code).toContain("execCommand('delete')");
    exam.press('Insert', { shift: true });
    await flush();
    expect(exam.inserted).toEqual(['Quel est le temps de takt de la ligne B ?']);
    expect(kinds().filter((k) => k.startsWith('shortcut'))).toEqual([]);
  });

  it("refuses copy and paste altogether when the exam's clipboard policy is off", async () => {
    await build().engage({ sessionId: 's1', policy: policy({ clipboard: 'off' }), translator: 'google' });
    const exam = window.webContents;
    exam.selection = 'question text';
    expect(exam.press('KeyC', { control: true })).toBe(true);
    expect(views[0]!.webContents.press('KeyV', { meta: true })).toBe(true);
    await flush();
    expect(exam.scripts).toEqual([]);
    expect(views[0]!.webContents.inserted).toEqual([]);
    expect(kinds().filter((k) => k.startsWith('shortcut'))).toEqual(['shortcut:copy', 'shortcut:paste']);
  });

  it('forgets the buffer at release, so the next exam cannot paste the last one', async () => {
    const lockdown = build();
    await lockdown.engage({ sessionId: 's1', policy: policy(), translator: null });
    window.webContents.selection = 'old exam text';
    window.webContents.press('KeyC', { control: true });
    await flush();
    await lockdown.release('s1');
    await lockdown.engage({ sessionId: 's2', policy: policy(), translator: null });
    window.webContents.press('KeyV', { control: true });
    await flush();
    expect(window.webContents.inserted).toEqual([]);
  });
});

describe('desktop lockdown: clipboard and menu holes', () => {
  /** Menu's static side, as the lockdown uses it: built menus are plain records of their template. */
  function fakeMenu(previous: object | null) {
    const state = { current: previous as unknown, sets: 0 };
    const menu = {
      getApplicationMenu: () => state.current,
      setApplicationMenu: (next: unknown) => {
        state.current = next;
        state.sets += 1;
      },
      buildFromTemplate: (template: unknown[]) => ({ template }),
    };
    return { state, menu: menu as unknown as NonNullable<DesktopLockdownOptions['menu']> };
  }

  type Item = { role?: string; accelerator?: string; type?: string; submenu?: Item[] };
  const items = (template: Item[]): Item[] => template.flatMap((item) => [item, ...items(item.submenu ?? [])]);

  it('replaces the application menu with one that has no clipboard, full-screen or devtools item, and restores it at release', async () => {
    const previous = { label: 'the default menu' };
    const { state, menu } = fakeMenu(previous);
    const lockdown = build({ menu });
    await lockdown.engage({ sessionId: 's1', policy: policy(), translator: null });
    const template = (state.current as { template: Item[] }).template;
    const roles = items(template).flatMap((item) => (item.role === undefined ? [] : [item.role]));
    expect(roles.sort()).toEqual(['redo', 'resetZoom', 'selectAll', 'undo', 'zoomIn', 'zoomOut']);
    expect(items(template).filter((item) => item.accelerator !== undefined)).toEqual([]);
    await lockdown.release('s1');
    expect(state.current).toBe(previous);
    expect(state.sets).toBe(2);
  });

  it('puts the previous menu back when engaging fails half-way', async () => {
    const previous = { label: 'the default menu' };
    const { state, menu } = fakeMenu(previous);
    const failing = build({
      menu,
      powerSaveBlocker: {
        start: () => {
          throw new Error('no blocker');
        },
        stop: () => true,
        isStarted: () => false,
      },
    });
    await expect(failing.engage({ sessionId: 's1', policy: policy(), translator: null })).rejects.toThrow('no blocker');
    expect(state.current).toBe(previous);
  });

  const pasteVariants: [string, string, { control?: boolean; meta?: boolean; shift?: boolean; alt?: boolean }][] = [
    ['Cmd+Opt+Shift+V', 'KeyV', { meta: true, alt: true, shift: true }],
    ['Ctrl+Alt+V', 'KeyV', { control: true, alt: true }],
    ['the Paste key', 'Paste', {}],
  ];

  it.each(pasteVariants)('pastes the private buffer for %s, never the system clipboard', async (_name, code, mods) => {
    await build().engage({ sessionId: 's1', policy: policy(), translator: null });
    const exam = window.webContents;
    exam.selection = 'question text';
    expect(exam.press('Copy', {}, 'Copy')).toBe(true);
    await flush();
    expect(exam.press(code, mods, code === 'Paste' ? 'Paste' : undefined)).toBe(true);
    await flush();
    expect(exam.inserted).toEqual(['question text']);
  });

  it('refuses every paste variant and the hardware keys when the clipboard policy is off', async () => {
    await build().engage({ sessionId: 's1', policy: policy({ clipboard: 'off' }), translator: null });
    await flush();
    observations.length = 0;
    const exam = window.webContents;
    for (const [, code, mods] of pasteVariants) expect(exam.press(code, mods, code === 'Paste' ? 'Paste' : undefined)).toBe(true);
    expect(exam.press('Copy', {}, 'Copy')).toBe(true);
    expect(exam.press('Cut', {}, 'Cut')).toBe(true);
    expect(exam.press('KeyX', { control: true, alt: true })).toBe(true);
    await flush();
    expect(exam.scripts).toEqual([]);
    expect(exam.inserted).toEqual([]);
    expect(kinds()).toEqual(['shortcut:paste', 'shortcut:paste', 'shortcut:paste', 'shortcut:copy', 'shortcut:cut', 'shortcut:cut']);
  });

  it('swallows Ctrl+Cmd+F, which leaves full screen on macOS', async () => {
    await build({ platform: MACOS_15 }).engage({ sessionId: 's1', policy: policy(), translator: null });
    await flush();
    observations.length = 0;
    expect(window.webContents.press('KeyF', { control: true, meta: true })).toBe(true);
    expect(kinds()).toEqual(['shortcut:fullscreen_toggle']);
  });

  it('clears the Linux selection with the system clipboard at engage, focus loss, every scan and release', async () => {
    const lockdown = build({ platform: LINUX_X11 });
    await lockdown.engage({ sessionId: 's1', policy: policy(), translator: null });
    await flush();
    const atEngage = [system.clears, system.selectionClears];
    expect(atEngage[1]).toBe(atEngage[0]);
    expect(atEngage[1]).toBeGreaterThanOrEqual(2); // engage and the first scan
    window.fire('blur');
    expect(system.selectionClears).toBe(atEngage[1]! + 1);
    intervals[0]!.fn();
    await flush();
    expect(system.selectionClears).toBe(atEngage[1]! + 2);
    await lockdown.release('s1');
    expect(system.selectionClears).toBe(atEngage[1]! + 3);
    expect(system.clears).toBe(system.selectionClears);
  });
});
