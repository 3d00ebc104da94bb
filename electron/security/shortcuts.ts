/**
 * Which keys the exam window and the translator view refuse. Pure: the
 * before-input-event adapter asks this for every key and acts on the answer.
 *
 * Letters are matched on `code` (the physical key), so a keyboard layout cannot rename them away.
 * Both Ctrl and Cmd count as the command modifier on every platform: blocking Ctrl+R on a Mac costs
 * nothing, missing Cmd+R would open a hole. Zoom (Ctrl +/-/0) stays allowed on purpose: learners
 * with low vision use it, and it reveals nothing.
 */
export interface KeyInput {
  readonly type: string;
  readonly key: string;
  readonly code: string;
  readonly control: boolean;
  readonly meta: boolean;
  readonly shift: boolean;
  readonly alt: boolean;
}

export type ClipboardOperation = 'copy' | 'cut' | 'paste';

export type KeyDecision =
  | { readonly kind: 'allow' }
  | { readonly kind: 'block'; readonly action: string }
  | { readonly kind: 'clipboard'; readonly operation: ClipboardOperation };

const allow: KeyDecision = { kind: 'allow' };
const block = (action: string): KeyDecision => ({ kind: 'block', action });
const clipboard = (operation: ClipboardOperation): KeyDecision => ({ kind: 'clipboard', operation });

const letter = (code: string): string | null => (/^Key[A-Z]$/.test(code) ? code.slice(3).toLowerCase() : null);

const isKey = (input: KeyInput, name: string): boolean => input.code === name || input.key === name;

/** The decision for one key event; key-up events are only ever passed through. */
export function classifyKey(input: KeyInput): KeyDecision {
  if (input.type !== 'keyDown') return allow;
  const mod = input.control || input.meta;
  const key = letter(input.code);

  if (input.key === 'F12' || input.code === 'F12') return block('devtools');
  if (mod && (input.shift || input.alt) && (key === 'i' || key === 'j' || key === 'c')) return block('devtools');
  if (input.key === 'F5' || input.code === 'F5' || (mod && key === 'r')) return block('reload');
  if (input.key === 'F11' || input.code === 'F11') return block('fullscreen_toggle');
  // Ctrl+Cmd+F enters and leaves full screen on macOS.
  if (input.control && input.meta && key === 'f') return block('fullscreen_toggle');
  if (input.key === 'PrintScreen' || input.code === 'PrintScreen') return block('screenshot');

  // Clipboard keys with any extra Shift or Alt (Cmd+Opt+Shift+V is "Paste and Match Style" on macOS,
  // Ctrl+Alt+V pastes on some Linux desktops), the dedicated Copy/Cut/Paste keys of some keyboards,
  // and the old Windows/Linux spellings (Ctrl+Insert, Shift+Insert, Shift+Delete). Ctrl/Cmd+C with
  // Shift or Alt is the devtools inspector and is refused above.
  if (isKey(input, 'Copy')) return clipboard('copy');
  if (isKey(input, 'Cut')) return clipboard('cut');
  if (isKey(input, 'Paste')) return clipboard('paste');
  if (mod && key === 'c') return clipboard('copy');
  if (mod && key === 'x') return clipboard('cut');
  if (mod && key === 'v') return clipboard('paste');
  if (input.code === 'Insert' && input.control && !input.shift) return clipboard('copy');
  if (input.code === 'Insert' && input.shift && !input.control) return clipboard('paste');
  if (input.code === 'Delete' && input.shift && !mod) return clipboard('cut');

  if (!mod) return allow;
  switch (key) {
    case 'p':
      return block('print');
    case 'n':
    case 't':
      return block('new_window');
    case 's':
      return block('save_page');
    case 'o':
      return block('open_file');
    case 'w':
      return block('close_window');
    case 'q':
      return block('quit');
    case 'h':
    case 'm':
      return block('hide_window');
    default:
      return allow;
  }
}
