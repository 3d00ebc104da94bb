import { z } from 'zod';

/**
 * What the lockdown can do on one computer, measure by measure: `enforced` (the app prevents it),
 * `detected` (it cannot be prevented, but it is noticed and reported to the proctor) or
 * `unavailable` (neither). The table below is the only place these answers are written; the
 * learner's system check, the proctor's review screen and the per-OS table in docs/security.md and
 * the README all come from it (a test compares the docs with it).
 *
 * Why each answer is what it is (Electron 45):
 * - Kiosk is a real lock on macOS only: `setKiosk` sets presentation options there that switch off
 *   Cmd+Tab, Force Quit and the Restart/Shut Down panel. On Windows and Linux it is plain full
 *   screen: Alt+Tab, the Windows key, Ctrl+Alt+Del and Task Manager still work.
 * - On Linux Wayland the compositor, not the app, decides stacking, placement and focus:
 *   always-on-top, window placement and `focus()` do nothing there.
 * - `setContentProtection` uses WDA_EXCLUDEFROMCAPTURE on Windows 10 2004 (build 19041) and later
 *   (older builds show a black window) and `NSWindowSharingNone` on macOS, which ScreenCaptureKit
 *   ignores from macOS 15 (Darwin 24). Linux has no equivalent.
 * - The Print Screen key and the macOS screenshot keys cannot be blocked.
 * - `powerMonitor` 'lock-screen' exists on macOS and Windows only.
 * - The Keyboard Lock API (`navigator.keyboard.lock()`, active only while the page is full screen
 *   through the Fullscreen API) captures Alt+Tab and the Windows key on Windows through a low-level
 *   keyboard hook. It never captures Ctrl+Alt+Del, cannot capture Cmd+Tab on macOS, and on X11 its
 *   key grabs on the app's window lose to the window manager's grabs on the root window; so it
 *   upgrades Alt+Tab on Windows only, and only when the lock was actually obtained.
 * Where a behaviour could not be confirmed the answer is the weaker one.
 */

export const PlatformOs = z.enum(['windows', 'macos', 'linux', 'other']);
export type PlatformOs = z.infer<typeof PlatformOs>;

export const DisplaySession = z.enum(['x11', 'wayland', 'unknown']);
export type DisplaySession = z.infer<typeof DisplaySession>;

/** The computer as the host detected it. */
export const PlatformDescriptor = z.object({
  os: PlatformOs,
  /** `os.release()`: the Darwin kernel on macOS (24.x is macOS 15), `10.0.<build>` on Windows, the kernel on Linux. Empty when unknown. */
  osVersion: z.string().max(64),
  /** Linux only: the display server the app's windows actually use (null elsewhere). */
  session: DisplaySession.nullable(),
});
export type PlatformDescriptor = z.infer<typeof PlatformDescriptor>;

export const lockdownMeasures = [
  'full_screen',
  'stay_on_top',
  'app_switching',
  'system_keys',
  'screen_capture',
  'print_screen',
  'clipboard',
  'in_app_shortcuts',
  'other_programs',
  'extra_displays',
  'display_sleep',
  'screen_lock',
] as const;
export const LockdownMeasure = z.enum(lockdownMeasures);
export type LockdownMeasure = z.infer<typeof LockdownMeasure>;

export const MeasureStatus = z.enum(['enforced', 'detected', 'unavailable']);
export type MeasureStatus = z.infer<typeof MeasureStatus>;

export const MeasureReport = z.object({
  status: MeasureStatus,
  /** One plain sentence for the learner and the proctor. */
  statement: z.string().max(300),
});
export type MeasureReport = z.infer<typeof MeasureReport>;

/** What actually took effect when the lockdown engaged. */
export const EngagedFacts = z.object({
  kiosk: z.boolean(),
  alwaysOnTop: z.boolean(),
  contentProtection: z.boolean(),
  displaySleepBlocked: z.boolean(),
  processScan: z.boolean(),
});
export type EngagedFacts = z.infer<typeof EngagedFacts>;

export const LockdownCapabilities = z.object({
  host: z.enum(['desktop', 'web']),
  platform: PlatformDescriptor,
  /** Null before the lockdown engaged: then the answers are what this computer can do. */
  engaged: EngagedFacts.nullable(),
  /** The Keyboard Lock API holds the system keys it can capture (obtained by the exam page). */
  keyboardLock: z.boolean(),
  measures: z.record(LockdownMeasure, MeasureReport),
});
export type LockdownCapabilities = z.infer<typeof LockdownCapabilities>;

export interface CapabilityInput {
  readonly host: 'desktop' | 'web';
  readonly platform: PlatformDescriptor;
  readonly engaged?: EngagedFacts | null;
  readonly keyboardLock?: boolean;
}

/** Names for learners and proctors. */
export const MEASURE_NAMES: Record<LockdownMeasure, string> = {
  full_screen: 'Full screen',
  stay_on_top: 'Other windows kept behind the exam',
  app_switching: 'Switching programs (Alt+Tab, Cmd+Tab)',
  system_keys: 'System keys (Windows key, Ctrl+Alt+Del, Task Manager)',
  screen_capture: 'Screenshots, recording and screen sharing',
  print_screen: 'Screenshot keys (Print Screen)',
  clipboard: 'Copy and paste outside the exam',
  in_app_shortcuts: 'Developer tools, reload and print',
  other_programs: 'Other programs running',
  extra_displays: 'Extra displays',
  display_sleep: 'Screen going to sleep',
  screen_lock: 'Locking the screen',
};

/** The measures whose absence leaves a learner free to use other programs unseen on screen: the system check warns. */
export const KEY_MEASURES: readonly LockdownMeasure[] = ['full_screen', 'stay_on_top', 'app_switching'];

// ---- Platform ----

export function osFromPlatform(platform: string): PlatformOs {
  if (platform === 'win32') return 'windows';
  if (platform === 'darwin') return 'macos';
  if (platform === 'linux') return 'linux';
  return 'other';
}

const leadingInt = (text: string, index: number): number | null => {
  const part = text.split('.')[index];
  return part !== undefined && /^\d+$/.test(part) ? Number(part) : null;
};

/** The Windows build from `10.0.<build>`, or null. */
export const windowsBuild = (release: string): number | null => (/^10\.0\.\d+/.test(release) ? leadingInt(release, 2) : null);

/**
 * The macOS major version from the Darwin kernel release: Darwin 20–24 are macOS 11–15, Darwin 25 is
 * macOS 26, anything older is a macOS 10.x. Null when the release is unreadable.
 */
export function macosMajor(darwinRelease: string): number | null {
  const darwin = leadingInt(darwinRelease, 0);
  if (darwin === null) return null;
  if (darwin < 20) return 10;
  return darwin >= 25 ? darwin + 1 : darwin - 9;
}

/** "Windows 11 (build 22631)", "macOS 15", "Linux (Wayland)". */
export function platformLabel(platform: PlatformDescriptor): string {
  switch (platform.os) {
    case 'windows': {
      const build = windowsBuild(platform.osVersion);
      if (build === null) return 'Windows';
      return `${build >= 22000 ? 'Windows 11' : 'Windows 10'} (build ${build})`;
    }
    case 'macos': {
      const major = macosMajor(platform.osVersion);
      return major === null ? 'macOS' : `macOS ${major}`;
    }
    case 'linux':
      return platform.session === 'x11' ? 'Linux (X11)' : platform.session === 'wayland' ? 'Linux (Wayland)' : 'Linux';
    default:
      return 'this system';
  }
}

// ---- The table ----

/** One column of the table: a kind of computer that behaves alike. */
export type Profile = 'windows' | 'macos_14' | 'macos_15' | 'linux_x11' | 'linux_wayland' | 'other_desktop' | 'web';

export function profileOf(host: 'desktop' | 'web', platform: PlatformDescriptor): Profile {
  if (host === 'web') return 'web';
  switch (platform.os) {
    case 'windows':
      return 'windows';
    case 'macos': {
      // Unknown versions get the weaker answer.
      const major = macosMajor(platform.osVersion);
      return major !== null && major <= 14 ? 'macos_14' : 'macos_15';
    }
    case 'linux':
      return platform.session === 'x11' ? 'linux_x11' : 'linux_wayland';
    default:
      return 'other_desktop';
  }
}

type Cell = MeasureReport;
const enforced = (statement: string): Cell => ({ status: 'enforced', statement });
const detected = (statement: string): Cell => ({ status: 'detected', statement });
const unavailable = (statement: string): Cell => ({ status: 'unavailable', statement });

const FULL_SCREEN_LOCKED = enforced('The exam fills the screen and cannot be made smaller from inside the app.');
const ON_TOP = enforced('The exam window stays above other windows.');
const ALT_TAB_WORKS = detected('Alt+Tab still works; switching away from the exam is reported.');
const SWITCHING_WORKS = detected('Switching programs still works; leaving the exam window is reported.');
const DESKTOP_KEYS_WORK = detected("The desktop's own shortcuts still work; leaving the exam window is reported.");
const CAPTURE_EXCLUDED = enforced('The exam window is left out of screenshots, recordings and screen sharing.');
const CLIPBOARD = enforced('Copy and paste work only inside the exam; the system clipboard is cleared.');
const IN_APP = enforced('Developer tools, reload, print, new windows and quitting are refused.');
const PROGRAMS = detected('Running programs are checked regularly; programs this exam does not allow are reported.');
const DISPLAYS = detected('A display connected during the exam is reported.');
const AWAKE = enforced('The screen is kept from going to sleep during the exam.');
const LOCK_REPORTED = detected('Locking the screen cannot be prevented, but it is reported as leaving the exam window.');
const LOCK_UNSEEN = unavailable('Locking the screen cannot be prevented, and this system does not tell the app about it.');
const NO_CAPTURE_PROTECTION = unavailable('Linux has no way to keep a window out of screenshots or screen sharing.');
/** Replaced by `printScreen()` once screen capture is known; never shown as is. */
const PRINT_SCREEN = unavailable('');

const DESKTOP_COMMON = {
  print_screen: PRINT_SCREEN,
  clipboard: CLIPBOARD,
  in_app_shortcuts: IN_APP,
  other_programs: PROGRAMS,
  extra_displays: DISPLAYS,
  display_sleep: AWAKE,
} as const;

const WAYLAND_LIKE = {
  full_screen: detected('The exam asks for full screen, but the desktop decides; leaving full screen is reported.'),
  stay_on_top: unavailable('On this desktop (Wayland) an app cannot keep its window above others.'),
  app_switching: SWITCHING_WORKS,
  system_keys: DESKTOP_KEYS_WORK,
  screen_capture: NO_CAPTURE_PROTECTION,
  ...DESKTOP_COMMON,
  screen_lock: LOCK_UNSEEN,
} as const;

export const CAPABILITY_TABLE: Record<Profile, Record<LockdownMeasure, Cell>> = {
  windows: {
    full_screen: FULL_SCREEN_LOCKED,
    stay_on_top: ON_TOP,
    app_switching: ALT_TAB_WORKS,
    system_keys: detected('The Windows key, Ctrl+Alt+Del and Task Manager still work; leaving the exam window is reported.'),
    screen_capture: CAPTURE_EXCLUDED,
    ...DESKTOP_COMMON,
    screen_lock: LOCK_REPORTED,
  },
  macos_14: {
    full_screen: FULL_SCREEN_LOCKED,
    stay_on_top: ON_TOP,
    app_switching: enforced('Cmd+Tab is switched off during the exam; leaving the exam window any other way is reported.'),
    system_keys: detected('Force Quit and the Restart and Shut Down panel are switched off, but other system shortcuts still work; leaving the exam window is reported.'),
    screen_capture: CAPTURE_EXCLUDED,
    ...DESKTOP_COMMON,
    screen_lock: LOCK_REPORTED,
  },
  macos_15: {
    full_screen: FULL_SCREEN_LOCKED,
    stay_on_top: ON_TOP,
    app_switching: enforced('Cmd+Tab is switched off during the exam; leaving the exam window any other way is reported.'),
    system_keys: detected('Force Quit and the Restart and Shut Down panel are switched off, but other system shortcuts still work; leaving the exam window is reported.'),
    screen_capture: unavailable('From macOS 15 on, screen recording and sharing apps can capture the exam window.'),
    ...DESKTOP_COMMON,
    screen_lock: LOCK_REPORTED,
  },
  linux_x11: {
    full_screen: FULL_SCREEN_LOCKED,
    stay_on_top: ON_TOP,
    app_switching: ALT_TAB_WORKS,
    system_keys: DESKTOP_KEYS_WORK,
    screen_capture: NO_CAPTURE_PROTECTION,
    ...DESKTOP_COMMON,
    screen_lock: LOCK_UNSEEN,
  },
  linux_wayland: WAYLAND_LIKE,
  other_desktop: {
    ...WAYLAND_LIKE,
    full_screen: detected('The exam asks for full screen; leaving full screen is reported.'),
    stay_on_top: unavailable('This system gives the app no reliable way to keep its window above others.'),
    screen_capture: unavailable('This system has no way to keep a window out of screenshots or screen sharing.'),
  },
  web: {
    full_screen: detected('The browser shows the exam full screen when asked; leaving full screen is reported.'),
    stay_on_top: unavailable('A web page cannot keep itself above other windows.'),
    app_switching: detected('Switching tabs or programs still works; leaving the exam page is reported.'),
    system_keys: unavailable('A web page cannot stop or notice system keys.'),
    screen_capture: unavailable('A web page cannot hide from screenshots or screen sharing.'),
    print_screen: PRINT_SCREEN,
    clipboard: unavailable('A web page cannot keep copied text inside the exam.'),
    in_app_shortcuts: unavailable("A web page cannot block the browser's own shortcuts or developer tools."),
    other_programs: unavailable('A web page cannot see other programs.'),
    extra_displays: unavailable('A web page cannot reliably see extra displays.'),
    display_sleep: unavailable('A web page does not keep the screen awake.'),
    screen_lock: unavailable('A web page cannot notice the screen being locked.'),
  },
};

/** What a Keyboard Lock the exam page obtained changes, per profile. */
export const KEYBOARD_LOCK_UPGRADES: Partial<Record<Profile, Partial<Record<LockdownMeasure, Cell>>>> = {
  windows: {
    app_switching: enforced('Alt+Tab is captured by the exam while it is full screen; leaving it any other way is reported.'),
    system_keys: detected('Ctrl+Alt+Del and Task Manager still work (the Windows key is captured while the exam is full screen); leaving the exam window is reported.'),
  },
};

const RANK: Record<MeasureStatus, number> = { unavailable: 0, detected: 1, enforced: 2 };

/** `cell`, or `cap` when `cell` claims more than `cap`. */
const atMost = (cell: Cell, cap: Cell): Cell => (RANK[cell.status] > RANK[cap.status] ? cap : cell);

function printScreen(screenCapture: MeasureStatus): Cell {
  return screenCapture === 'enforced'
    ? unavailable('The screenshot keys cannot be blocked, but screenshots leave the exam window out.')
    : unavailable('The screenshot keys cannot be blocked, and screenshots show the exam.');
}

/**
 * The answers for one computer: the table's column for it, upgraded by a Keyboard Lock the page
 * obtained, then lowered to what actually took effect at engage (a step that failed never counts).
 */
export function lockdownCapabilities(input: CapabilityInput): LockdownCapabilities {
  const profile = profileOf(input.host, input.platform);
  const keyboardLock = input.keyboardLock === true && input.host === 'desktop';
  const engaged = input.engaged ?? null;
  const measures: Record<LockdownMeasure, Cell> = { ...CAPABILITY_TABLE[profile], ...(keyboardLock ? KEYBOARD_LOCK_UPGRADES[profile] : {}) };

  if (profile === 'windows') {
    const build = windowsBuild(input.platform.osVersion);
    // Before Windows 10 2004 (and when the build is unknown) protection shows a black window instead.
    if (build === null || build < 19041) measures.screen_capture = enforced('Screenshots, recordings and screen sharing show a black window instead of the exam.');
  }

  if (engaged !== null) {
    if (!engaged.kiosk) {
      measures.full_screen = atMost(measures.full_screen, detected('The window could not be locked full screen; leaving full screen is reported.'));
      measures.app_switching = atMost(measures.app_switching, SWITCHING_WORKS);
    }
    if (!engaged.alwaysOnTop) measures.stay_on_top = atMost(measures.stay_on_top, unavailable('The exam window could not be kept above other windows.'));
    if (!engaged.contentProtection) {
      measures.screen_capture = atMost(measures.screen_capture, unavailable('Protection from screenshots could not be switched on, so screenshots and screen sharing can show the exam.'));
    }
    if (!engaged.displaySleepBlocked) measures.display_sleep = atMost(measures.display_sleep, unavailable('The screen could not be kept awake; it may go to sleep during the exam.'));
    if (!engaged.processScan) measures.other_programs = atMost(measures.other_programs, unavailable('Running programs are not being checked.'));
  }
  measures.print_screen = printScreen(measures.screen_capture.status);

  return { host: input.host, platform: input.platform, engaged, keyboardLock, measures };
}

/** The same computer once the exam page obtained the Keyboard Lock. */
export const withKeyboardLock = (model: LockdownCapabilities): LockdownCapabilities =>
  lockdownCapabilities({ host: model.host, platform: model.platform, engaged: model.engaged, keyboardLock: true });

/** A browser: full screen on request and leaving the page are seen, nothing else. */
export const webLockdownCapabilities = (platform: PlatformDescriptor = { os: 'other', osVersion: '', session: null }): LockdownCapabilities =>
  lockdownCapabilities({ host: 'web', platform });

/** The key measures this computer can do nothing about. */
export const missingKeyMeasures = (model: LockdownCapabilities): LockdownMeasure[] => KEY_MEASURES.filter((m) => model.measures[m].status === 'unavailable');

export const countByStatus = (model: LockdownCapabilities): Record<MeasureStatus, number> => {
  const counts: Record<MeasureStatus, number> = { enforced: 0, detected: 0, unavailable: 0 };
  for (const measure of lockdownMeasures) counts[model.measures[measure].status] += 1;
  return counts;
};

// ---- In a system check report ----

/**
 * The model as a check item's figures (flat strings, as the report stores them): the platform, then
 * one status per measure. Read back with `measuresFromFigures`.
 */
export function lockdownFigures(model: LockdownCapabilities): Record<string, string | boolean | null> {
  const figures: Record<string, string | boolean | null> = {
    host: model.host,
    os: model.platform.os,
    osVersion: model.platform.osVersion,
    session: model.platform.session,
    platform: platformLabel(model.platform),
  };
  for (const measure of lockdownMeasures) figures[measure] = model.measures[measure].status;
  return figures;
}

/** The per-measure statuses a stored report carries, skipping anything unreadable (a learner's app sent it). */
export function measuresFromFigures(figures: Readonly<Record<string, unknown>>): Partial<Record<LockdownMeasure, MeasureStatus>> {
  const statuses: Partial<Record<LockdownMeasure, MeasureStatus>> = {};
  for (const measure of lockdownMeasures) {
    const status = MeasureStatus.safeParse(figures[measure]);
    if (status.success) statuses[measure] = status.data;
  }
  return statuses;
}

// ---- The docs table ----

/** The columns of the per-OS table in docs/security.md and the README, with the computer each stands for. */
export const DOCS_COLUMNS: readonly { readonly heading: string; readonly platform: PlatformDescriptor }[] = [
  { heading: 'Windows 10/11', platform: { os: 'windows', osVersion: '10.0.22631', session: null } },
  { heading: 'macOS 14', platform: { os: 'macos', osVersion: '23.6.0', session: null } },
  { heading: 'macOS 15+', platform: { os: 'macos', osVersion: '24.1.0', session: null } },
  { heading: 'Linux X11', platform: { os: 'linux', osVersion: '6.8.0', session: 'x11' } },
  { heading: 'Linux Wayland', platform: { os: 'linux', osVersion: '6.8.0', session: 'wayland' } },
];

/** How the docs table words each status (a cell may add a note in parentheses after it). */
export const DOCS_STATUS_WORDS: Record<MeasureStatus, string> = { enforced: 'prevented', detected: 'detected only', unavailable: 'out of reach' };

/** The docs table's rows as the model says they must be: measure name, then one status per column. */
export function docsTableRows(): { readonly measure: string; readonly cells: readonly MeasureStatus[] }[] {
  const models = DOCS_COLUMNS.map((column) => lockdownCapabilities({ host: 'desktop', platform: column.platform }));
  return lockdownMeasures.map((measure) => ({ measure: MEASURE_NAMES[measure], cells: models.map((m) => m.measures[measure].status) }));
}
