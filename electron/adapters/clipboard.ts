import type { Clipboard, WebContents } from 'electron';
import type { ClipboardOperation } from '../security/shortcuts';
import type { Logger } from '../log';

/** What the isolated clipboard needs of a page: read its selection in a private world, type into it. */
export type EditableContents = Pick<WebContents, 'executeJavaScriptInIsolatedWorld' | 'insertText' | 'isDestroyed'>;

/** The system clipboard, and on Linux its X11 selection (filled by merely selecting text). */
export type SystemClipboard = Pick<Clipboard, 'clear'> & { readonly selection?: Pick<Clipboard, 'clear'> | undefined };

/**
 * A world of our own in each page: the page cannot replace `getSelection` or `execCommand` there, so
 * a translator page cannot feed the buffer something other than what the learner selected.
 */
export const CLIPBOARD_WORLD_ID = 1097;

/** Longest text kept, in UTF-16 units: an exam question, not a book. */
export const MAX_CLIPBOARD_CHARS = 100_000;

/**
 * Returns the selected text of the focused element (text fields) or of the page, and for a cut
 * removes it the way the page's own editing would (execCommand fires the input events React needs).
 */
export function selectionScript(cut: boolean): string {
  return `(() => {
  const el = document.activeElement;
  const isField = el instanceof HTMLTextAreaElement ||
    (el instanceof HTMLInputElement && ['text', 'search', 'url', 'tel', 'email', 'number'].includes(el.type));
  let text = '';
  let editable = false;
  if (isField) {
    const start = el.selectionStart ?? 0;
    const end = el.selectionEnd ?? 0;
    text = el.value.slice(start, end);
    editable = !el.readOnly && !el.disabled;
  } else {
    text = String(window.getSelection() ?? '');
    editable = Boolean(el && el.isContentEditable);
  }
  if (${cut ? 'true' : 'false'} && text !== '' && editable) document.execCommand('delete');
  return text;
})()`;
}

/**
 * Turns the page's native paste off (`block`) or on again, run in CLIPBOARD_WORLD_ID (the page cannot
 * see or remove these listeners). While off, every `paste` event is cancelled before the page's own
 * listeners see it, and a middle-button `mouseup` does nothing: on Linux that is what pastes the
 * PRIMARY selection (Chromium fires `paste` for it), bypassing the isolated clipboard. The isolated
 * clipboard's paste is `insertText`, which fires `beforeinput`/`input` but never `paste`.
 */
export function nativePasteScript(block: boolean): string {
  return block
    ? `(() => {
  if (window.__invigilNativePaste) return;
  const paste = (event) => {
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  const middleUp = (event) => {
    if (event.button === 1) event.preventDefault();
  };
  window.addEventListener('paste', paste, true);
  window.addEventListener('mouseup', middleUp, true);
  window.__invigilNativePaste = () => {
    window.removeEventListener('paste', paste, true);
    window.removeEventListener('mouseup', middleUp, true);
    delete window.__invigilNativePaste;
  };
})()`
    : `(() => {
  if (window.__invigilNativePaste) window.__invigilNativePaste();
})()`;
}

/**
 * The exam's clipboard (copy only between the exam and the translator). Copy and cut read
 * the selection straight from the page into a buffer in this process; paste types the buffer into the
 * focused field with `insertText`. The system clipboard is never written, so no other program (a
 * clipboard manager, a chat app) ever holds exam text, not even for a moment.
 *
 * The other way round, `webContents.copy()` and then reading and clearing the system clipboard, was
 * rejected: the copy is asynchronous in the renderer, so the text would sit on the system clipboard
 * for an unknown time, and clipboard managers record every change as it happens.
 */
export class IsolatedClipboard {
  private buffer = '';
  private mode: 'isolated' | 'off' = 'isolated';

  constructor(private readonly options: { readonly system: SystemClipboard; readonly log: Logger }) {}

  /**
   * Empties the system clipboard and the Linux selection (what middle-click pastes), e.g. at engage
   * and release. Each is cleared even when the other fails.
   */
  clearSystem(): void {
    const { system } = this.options;
    this.clearOne('system clipboard', () => system.clear());
    if (system.selection !== undefined) this.clearOne('selection', () => system.selection?.clear());
  }

  private clearOne(which: string, clear: () => void): void {
    try {
      clear();
    } catch (error) {
      this.options.log.warn(`clipboard: could not clear the ${which}`, { error: error instanceof Error ? error.name : typeof error });
    }
  }

  /** Starts an exam: `off` refuses every copy and paste. */
  reset(mode: 'isolated' | 'off'): void {
    this.buffer = '';
    this.mode = mode;
  }

  get allowed(): boolean {
    return this.mode === 'isolated';
  }

  /** True when the operation ran (false: refused by policy or the page is gone). */
  async perform(operation: ClipboardOperation, contents: EditableContents): Promise<boolean> {
    if (!this.allowed || contents.isDestroyed()) return false;
    try {
      if (operation === 'paste') {
        if (this.buffer !== '') await contents.insertText(this.buffer);
        return true;
      }
      const selected: unknown = await contents.executeJavaScriptInIsolatedWorld(CLIPBOARD_WORLD_ID, [{ code: selectionScript(operation === 'cut') }]);
      // Copying nothing keeps what was there, as every editor does.
      if (typeof selected === 'string' && selected !== '') this.buffer = selected.slice(0, MAX_CLIPBOARD_CHARS);
      return true;
    } catch (error) {
      this.options.log.warn('clipboard: operation failed', { operation, error: error instanceof Error ? error.name : typeof error });
      return false;
    }
  }

  /** Forgets the buffer (release). */
  wipe(): void {
    this.buffer = '';
  }
}
