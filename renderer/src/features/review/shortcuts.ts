/** The review screen's keyboard shortcuts, kept away from typing in the comment and decision forms. */
export type ReviewShortcut = 'toggle-play' | 'next-flag' | 'previous-flag' | 'mark' | 'back-5' | 'forward-5';

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly target: EventTarget | null;
}

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** Keys on a control that uses them itself (a button's Space, a field's letters) are not shortcuts. */
function ownsKeys(target: EventTarget | null, key: string): boolean {
  const el = target as {
    tagName?: string;
    isContentEditable?: boolean;
    getAttribute?: (n: string) => string | null;
    closest?: (selector: string) => unknown;
  } | null;
  if (!el?.tagName) return false;
  // A dialog (the decision's confirmation) has the keyboard to itself.
  if (el.closest?.('dialog, [role="dialog"], [role="alertdialog"]')) return true;
  if (TYPING.has(el.tagName) || el.isContentEditable) return true;
  const role = el.getAttribute?.('role');
  if (key === ' ' && (el.tagName === 'BUTTON' || el.tagName === 'A' || el.tagName === 'SUMMARY' || role === 'button')) return true;
  if (el.tagName === 'VIDEO' && (key === ' ' || key === 'ArrowLeft' || key === 'ArrowRight')) return true;
  return false;
}

export const SHORTCUT_HELP: readonly { readonly keys: string; readonly does: string }[] = [
  { keys: 'Space or K', does: 'Play or pause' },
  { keys: ']  or  N', does: 'Next flag' },
  { keys: '[  or  P', does: 'Previous flag' },
  { keys: 'J / L', does: 'Back or forward 5 seconds' },
  { keys: 'M', does: 'Comment at the current time' },
];

export function shortcutFor(e: KeyLike): ReviewShortcut | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (ownsKeys(e.target, e.key)) return null;
  switch (e.key) {
    case ' ':
    case 'k':
    case 'K':
      return 'toggle-play';
    case ']':
    case 'n':
    case 'N':
      return 'next-flag';
    case '[':
    case 'p':
    case 'P':
      return 'previous-flag';
    case 'j':
    case 'J':
      return 'back-5';
    case 'l':
    case 'L':
      return 'forward-5';
    case 'm':
    case 'M':
      return 'mark';
    default:
      return null;
  }
}
