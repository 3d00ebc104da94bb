import { describe, expect, it } from 'vitest';
import {
  CAPABILITY_TABLE,
  countByStatus,
  docsTableRows,
  lockdownCapabilities,
  LockdownCapabilities,
  lockdownFigures,
  lockdownMeasures,
  macosMajor,
  measuresFromFigures,
  missingKeyMeasures,
  osFromPlatform,
  platformLabel,
  profileOf,
  webLockdownCapabilities,
  windowsBuild,
  withKeyboardLock,
  type EngagedFacts,
  type LockdownMeasure,
  type MeasureStatus,
  type PlatformDescriptor,
  type Profile,
} from './lockdownCapabilities';

const win11: PlatformDescriptor = { os: 'windows', osVersion: '10.0.22631', session: null };
const win10old: PlatformDescriptor = { os: 'windows', osVersion: '10.0.18363', session: null };
const mac14: PlatformDescriptor = { os: 'macos', osVersion: '23.6.0', session: null };
const mac15: PlatformDescriptor = { os: 'macos', osVersion: '24.1.0', session: null };
const x11: PlatformDescriptor = { os: 'linux', osVersion: '6.8.0-45-generic', session: 'x11' };
const wayland: PlatformDescriptor = { os: 'linux', osVersion: '6.8.0-45-generic', session: 'wayland' };
const allWorked: EngagedFacts = { kiosk: true, alwaysOnTop: true, contentProtection: true, displaySleepBlocked: true, processScan: true };

const statuses = (model: LockdownCapabilities) => Object.fromEntries(lockdownMeasures.map((m) => [m, model.measures[m].status])) as Record<LockdownMeasure, MeasureStatus>;
const E = 'enforced' as const;
const D = 'detected' as const;
const U = 'unavailable' as const;

describe('reading the platform', () => {
  it.each([
    ['24.1.0', 15],
    ['23.6.0', 14],
    ['20.6.0', 11],
    ['25.0.0', 26],
    ['19.6.0', 10],
    ['', null],
    ['Darwin', null],
  ])('Darwin %s is macOS %s', (release, major) => {
    expect(macosMajor(release)).toBe(major);
  });

  it.each([
    ['10.0.19041', 19041],
    ['10.0.22631', 22631],
    ['10.0.22000.1', 22000],
    ['6.1.7601', null],
    ['', null],
  ])('Windows release %s is build %s', (release, build) => {
    expect(windowsBuild(release)).toBe(build);
  });

  it('names the computer the way a learner knows it', () => {
    expect(platformLabel(win11)).toBe('Windows 11 (build 22631)');
    expect(platformLabel({ ...win11, osVersion: '10.0.19045' })).toBe('Windows 10 (build 19045)');
    expect(platformLabel(mac15)).toBe('macOS 15');
    expect(platformLabel({ ...mac15, osVersion: '' })).toBe('macOS');
    expect(platformLabel(wayland)).toBe('Linux (Wayland)');
    expect(platformLabel({ os: 'other', osVersion: '', session: null })).toBe('this system');
    expect(osFromPlatform('win32')).toBe('windows');
    expect(osFromPlatform('freebsd')).toBe('other');
  });

  it.each<[PlatformDescriptor, Profile]>([
    [win11, 'windows'],
    [mac14, 'macos_14'],
    [{ ...mac14, osVersion: '21.6.0' }, 'macos_14'],
    [mac15, 'macos_15'],
    [{ ...mac15, osVersion: '25.0.0' }, 'macos_15'],
    // Unknown: the weaker answer.
    [{ ...mac15, osVersion: '' }, 'macos_15'],
    [x11, 'linux_x11'],
    [wayland, 'linux_wayland'],
    [{ ...x11, session: 'unknown' }, 'linux_wayland'],
    [{ os: 'other', osVersion: '', session: null }, 'other_desktop'],
  ])('%j is the %s column', (platform, profile) => {
    expect(profileOf('desktop', platform)).toBe(profile);
    expect(profileOf('web', platform)).toBe('web');
  });
});

describe('what each computer can do', () => {
  // The table, restated: a change to lockdownCapabilities.ts must change this too (and the docs).
  const expected: Record<string, [PlatformDescriptor, Record<LockdownMeasure, MeasureStatus>]> = {
    'Windows 11': [win11, { full_screen: E, stay_on_top: E, app_switching: D, system_keys: D, screen_capture: E, print_screen: U, clipboard: E, in_app_shortcuts: E, other_programs: D, extra_displays: D, display_sleep: E, screen_lock: D }],
    'macOS 14': [mac14, { full_screen: E, stay_on_top: E, app_switching: E, system_keys: D, screen_capture: E, print_screen: U, clipboard: E, in_app_shortcuts: E, other_programs: D, extra_displays: D, display_sleep: E, screen_lock: D }],
    'macOS 15': [mac15, { full_screen: E, stay_on_top: E, app_switching: E, system_keys: D, screen_capture: U, print_screen: U, clipboard: E, in_app_shortcuts: E, other_programs: D, extra_displays: D, display_sleep: E, screen_lock: D }],
    'Linux X11': [x11, { full_screen: E, stay_on_top: E, app_switching: D, system_keys: D, screen_capture: U, print_screen: U, clipboard: E, in_app_shortcuts: E, other_programs: D, extra_displays: D, display_sleep: E, screen_lock: U }],
    'Linux Wayland': [wayland, { full_screen: D, stay_on_top: U, app_switching: D, system_keys: D, screen_capture: U, print_screen: U, clipboard: E, in_app_shortcuts: E, other_programs: D, extra_displays: D, display_sleep: E, screen_lock: U }],
  };

  it.each(Object.entries(expected))('%s', (_name, [platform, want]) => {
    expect(statuses(lockdownCapabilities({ host: 'desktop', platform }))).toEqual(want);
  });

  it('a browser only notices leaving full screen and leaving the page', () => {
    const web = statuses(webLockdownCapabilities());
    expect(Object.entries(web).filter(([, s]) => s !== 'unavailable')).toEqual([
      ['full_screen', 'detected'],
      ['app_switching', 'detected'],
    ]);
    // Whatever computer the browser runs on.
    expect(statuses(lockdownCapabilities({ host: 'web', platform: win11, keyboardLock: true }))).toEqual(web);
  });

  it('never claims Print Screen is blocked, and says whether the picture shows the exam', () => {
    for (const platform of [win11, mac14, mac15, x11, wayland]) {
      const model = lockdownCapabilities({ host: 'desktop', platform });
      expect(model.measures.print_screen.status).toBe('unavailable');
      expect(model.measures.print_screen.statement).toMatch(model.measures.screen_capture.status === 'enforced' ? /leave the exam window out/ : /show the exam/);
    }
  });

  it('older Windows 10 builds hide the window as a black rectangle', () => {
    const model = lockdownCapabilities({ host: 'desktop', platform: win10old });
    expect(model.measures.screen_capture).toEqual({ status: 'enforced', statement: expect.stringMatching(/black window/) });
    expect(lockdownCapabilities({ host: 'desktop', platform: win11 }).measures.screen_capture.statement).toMatch(/left out of screenshots/);
  });

  it('every answer is one sentence a schema accepts', () => {
    for (const [profile, cells] of Object.entries(CAPABILITY_TABLE)) {
      for (const measure of lockdownMeasures) {
        if (measure === 'print_screen') continue; // written from screen_capture
        expect(cells[measure].statement, `${profile} ${measure}`).toMatch(/^[A-Z].{10,280}\.$/);
      }
    }
    for (const platform of [win11, win10old, mac14, mac15, x11, wayland]) {
      const model = lockdownCapabilities({ host: 'desktop', platform, engaged: { ...allWorked, kiosk: false, contentProtection: false }, keyboardLock: true });
      expect(LockdownCapabilities.parse(model)).toEqual(model);
    }
  });
});

describe('what actually took effect at engage', () => {
  it('keeps the table when every step worked, and never claims more than the platform allows', () => {
    expect(statuses(lockdownCapabilities({ host: 'desktop', platform: win11, engaged: allWorked }))).toEqual(statuses(lockdownCapabilities({ host: 'desktop', platform: win11 })));
    // macOS 15 accepts setContentProtection, but ScreenCaptureKit ignores it.
    expect(lockdownCapabilities({ host: 'desktop', platform: mac15, engaged: allWorked }).measures.screen_capture.status).toBe('unavailable');
  });

  it('lowers each measure whose step failed', () => {
    const model = lockdownCapabilities({
      host: 'desktop',
      platform: mac14,
      engaged: { kiosk: false, alwaysOnTop: false, contentProtection: false, displaySleepBlocked: false, processScan: false },
    });
    expect(statuses(model)).toMatchObject({
      full_screen: 'detected',
      stay_on_top: 'unavailable',
      app_switching: 'detected',
      screen_capture: 'unavailable',
      display_sleep: 'unavailable',
      other_programs: 'unavailable',
    });
    expect(model.measures.screen_capture.statement).toMatch(/could not be switched on/);
    expect(model.measures.print_screen.statement).toMatch(/show the exam/);
    expect(model.engaged).toEqual({ kiosk: false, alwaysOnTop: false, contentProtection: false, displaySleepBlocked: false, processScan: false });
  });

  it('a failed step does not change what was already weaker', () => {
    const model = lockdownCapabilities({ host: 'desktop', platform: wayland, engaged: { ...allWorked, kiosk: false } });
    expect(model.measures.stay_on_top.statement).toMatch(/Wayland/);
    expect(model.measures.app_switching.status).toBe('detected');
  });
});

describe('the Keyboard Lock API', () => {
  it('captures Alt+Tab on Windows only', () => {
    const locked = (platform: PlatformDescriptor) => lockdownCapabilities({ host: 'desktop', platform, keyboardLock: true });
    expect(locked(win11).measures.app_switching.status).toBe('enforced');
    expect(locked(win11).measures.system_keys).toEqual({ status: 'detected', statement: expect.stringMatching(/Ctrl\+Alt\+Del/) });
    for (const platform of [mac15, x11, wayland]) {
      expect(statuses(locked(platform))).toEqual(statuses(lockdownCapabilities({ host: 'desktop', platform })));
    }
  });

  it('upgrades an engaged model and keeps what failed', () => {
    const engaged = lockdownCapabilities({ host: 'desktop', platform: win11, engaged: { ...allWorked, contentProtection: false } });
    const locked = withKeyboardLock(engaged);
    expect(locked.keyboardLock).toBe(true);
    expect(locked.measures.app_switching.status).toBe('enforced');
    expect(locked.measures.screen_capture.status).toBe('unavailable');
    // A kiosk that failed is not rescued by the lock.
    expect(withKeyboardLock(lockdownCapabilities({ host: 'desktop', platform: win11, engaged: { ...allWorked, kiosk: false } })).measures.app_switching.status).toBe('detected');
  });
});

describe('summaries and the stored report', () => {
  it('names the key measures a computer cannot do', () => {
    expect(missingKeyMeasures(lockdownCapabilities({ host: 'desktop', platform: win11 }))).toEqual([]);
    expect(missingKeyMeasures(lockdownCapabilities({ host: 'desktop', platform: wayland }))).toEqual(['stay_on_top']);
    expect(missingKeyMeasures(webLockdownCapabilities())).toEqual(['stay_on_top']);
    expect(countByStatus(lockdownCapabilities({ host: 'desktop', platform: win11 }))).toEqual({ enforced: 6, detected: 5, unavailable: 1 });
  });

  it('round-trips through check-item figures, ignoring what a tampered report adds', () => {
    const model = lockdownCapabilities({ host: 'desktop', platform: mac15 });
    const figures = lockdownFigures(model);
    expect(figures).toMatchObject({ host: 'desktop', os: 'macos', osVersion: '24.1.0', session: null, platform: 'macOS 15', screen_capture: 'unavailable' });
    expect(measuresFromFigures(figures)).toEqual(statuses(model));
    expect(measuresFromFigures({ full_screen: 'locked', stay_on_top: 3, screen_lock: 'detected', extra: 'enforced' })).toEqual({ screen_lock: 'detected' });
  });

  it('gives the docs table one row per measure and one cell per column', () => {
    const rows = docsTableRows();
    expect(rows.map((r) => r.cells.length)).toEqual(lockdownMeasures.map(() => 5));
    expect(rows[2]).toEqual({ measure: 'Switching programs (Alt+Tab, Cmd+Tab)', cells: ['detected', 'enforced', 'enforced', 'detected', 'detected'] });
  });
});
