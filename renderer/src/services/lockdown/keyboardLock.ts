/**
 * The Keyboard Lock API (`navigator.keyboard.lock()`), feature-detected: Chromium has it, and it acts
 * only while the page is full screen through the Fullscreen API. It lets the page, not the OS, have
 * the keys listed here: on Windows that holds Alt+Tab (Tab with any modifier), the Windows key and
 * Escape (leaving full screen then needs Esc held down). It never holds Ctrl+Alt+Del, cannot hold
 * Cmd+Tab on macOS, and on X11 the window manager's own shortcuts win; what that means per computer
 * is `withKeyboardLock` in shared/domain/lockdownCapabilities.ts.
 *
 * Alt is not listed: the right Alt key is AltGr on many layouts (accented letters) and Alt+Shift
 * switches input languages. The keys still reach the page, so Tab moves focus as usual.
 */

/** KeyboardEvent `code` values. */
export const EXAM_LOCKED_KEYS: readonly string[] = ['Escape', 'Tab', 'MetaLeft', 'MetaRight'];

/** `navigator.keyboard` as far as the lock goes (not in TypeScript's DOM types). */
export interface KeyboardLockApi {
  lock?(keyCodes?: string[]): Promise<void>;
  unlock?(): void;
}

/** Asks for the lock; true once the browser granted it. Never throws: no API, a refusal or an error is false. */
export async function lockExamKeys(keyboard: KeyboardLockApi | null | undefined): Promise<boolean> {
  if (typeof keyboard?.lock !== 'function') return false;
  try {
    await keyboard.lock([...EXAM_LOCKED_KEYS]);
    return true;
  } catch {
    return false;
  }
}

/** Gives the keys back to the OS. Never throws. */
export function unlockExamKeys(keyboard: KeyboardLockApi | null | undefined): void {
  if (typeof keyboard?.unlock !== 'function') return;
  try {
    keyboard.unlock();
  } catch {
    // Nothing was locked, or the page is going away: the keys are the OS's again either way.
  }
}
