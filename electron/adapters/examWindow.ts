import type { BrowserWindow, Menu, MenuItemConstructorOptions, Rectangle, Screen } from 'electron';
import type { LockdownObservation } from '../../shared/domain/observations';
import type { PlatformOs } from '../../shared/domain/lockdownCapabilities';

export type LockableWindow = Pick<
  BrowserWindow,
  | 'getBounds'
  | 'setBounds'
  | 'setKiosk'
  | 'isKiosk'
  | 'setAlwaysOnTop'
  | 'isAlwaysOnTop'
  | 'setContentProtection'
  | 'isContentProtected'
  | 'setMenuBarVisibility'
  | 'setAutoHideMenuBar'
  | 'isMenuBarAutoHide'
  | 'focus'
  | 'isFocused'
  | 'on'
  | 'removeListener'
>;

/** Menu's static side: how the lockdown swaps the application menu. */
export type MenuFactory = Pick<typeof Menu, 'buildFromTemplate' | 'getApplicationMenu' | 'setApplicationMenu'>;

/**
 * The application menu during the exam: undo, redo, select all and zoom, nothing else. The default
 * menu's Edit items (Paste and Match Style, Cut, Copy, Paste) would reach the system clipboard, its
 * View and Window items toggle full screen, reload and open devtools, and the macOS app menu offers
 * Services, which hands the selection to other programs. The items keep their roles' default
 * accelerators; none of those touches the clipboard. AppKit adds "Enter Full Screen" to a menu
 * titled View and dictation and emoji to one titled Edit, so this one has neither title.
 */
export const EXAM_MENU: readonly MenuItemConstructorOptions[] = [
  {
    label: 'Invigil',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'selectAll' },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
    ],
  },
];

/** Sets the exam menu; returns the function that puts the previous menu back. */
export function lockApplicationMenu(menu: MenuFactory): () => void {
  const previous = menu.getApplicationMenu();
  menu.setApplicationMenu(menu.buildFromTemplate([...EXAM_MENU]));
  return () => menu.setApplicationMenu(previous);
}

export interface WindowLock {
  readonly kiosk: boolean;
  readonly alwaysOnTop: boolean;
  /** Content protection is on, as the window says; never on Linux, which has none. */
  readonly contentProtection: boolean;
  /** Puts the window back as it was before the exam. */
  restore(): void;
}

/** Content protection exists on Windows and macOS only (Electron: `@platform darwin,win32`). */
const hasContentProtection = (os: PlatformOs): boolean => os === 'windows' || os === 'macos';

/**
 * Kiosk full screen on the primary display, above every other window, out of screen captures, and
 * without a menu bar the mouse could reach (its Copy would bypass the isolated clipboard). Reports
 * what took effect as the window reads it back; content protection that throws counts as off, and
 * the rest of the lock still goes on.
 */
export function lockExamWindow(window: LockableWindow, screen: Pick<Screen, 'getPrimaryDisplay'>, os: PlatformOs): WindowLock {
  const before: Rectangle = window.getBounds();
  const autoHide = window.isMenuBarAutoHide();
  // Move first: kiosk goes full screen on the display the window is on, and that must be the primary one.
  window.setBounds(screen.getPrimaryDisplay().bounds);
  window.setAutoHideMenuBar(false);
  window.setMenuBarVisibility(false);
  window.setKiosk(true);
  window.setAlwaysOnTop(true, 'screen-saver');
  let contentProtection = false;
  if (hasContentProtection(os)) {
    try {
      window.setContentProtection(true);
      contentProtection = window.isContentProtected();
    } catch {
      contentProtection = false;
    }
  }
  window.focus();
  return {
    kiosk: window.isKiosk(),
    alwaysOnTop: window.isAlwaysOnTop(),
    contentProtection,
    restore: () => {
      try {
        if (hasContentProtection(os)) window.setContentProtection(false);
      } finally {
        // The window must come out of kiosk even when content protection will not switch off.
        window.setAlwaysOnTop(false);
        window.setKiosk(false);
        window.setAutoHideMenuBar(autoHide);
        window.setBounds(before);
      }
    },
  };
}

/**
 * Focus, full-screen changes and attempts to close the window during the exam become observations.
 * Closing is refused (the renderer asks the learner to submit first). Returns the function that stops.
 */
export function watchExamWindow(window: LockableWindow, report: (observation: LockdownObservation) => void, now: () => number): () => void {
  const at = () => new Date(now()).toISOString();
  const handlers = {
    blur: () => report({ kind: 'focus_lost', at: at() }),
    focus: () => report({ kind: 'focus_regained', at: at() }),
    'leave-full-screen': () => report({ kind: 'fullscreen_exited', at: at() }),
    'enter-full-screen': () => report({ kind: 'fullscreen_entered', at: at() }),
    close: (event: { preventDefault(): void }) => {
      event.preventDefault();
      report({ kind: 'quit_requested', at: at() });
    },
  } as const;
  for (const [name, handler] of Object.entries(handlers)) window.on(name as 'blur', handler);
  return () => {
    for (const [name, handler] of Object.entries(handlers)) window.removeListener(name as 'blur', handler);
  };
}
