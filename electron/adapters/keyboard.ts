import type { Input, MouseInputEvent, WebContents } from 'electron';
import { classifyKey } from '../security/shortcuts';
import { CLIPBOARD_WORLD_ID, nativePasteScript, type EditableContents, type IsolatedClipboard } from './clipboard';

export type GuardedContents = EditableContents & Pick<WebContents, 'on' | 'removeListener'>;

/**
 * Intercepts keys before the page and the menu see them (`before-input-event`): refused shortcuts are
 * swallowed and reported; copy, cut and paste are swallowed too and carried out by the isolated
 * clipboard instead, so Chromium never writes the system clipboard from this page.
 *
 * Pasting without keys is refused as well. The middle mouse button's presses never reach the page
 * (`before-mouse-event`): on Linux a middle click pastes the PRIMARY selection, which another program
 * can fill while the exam window has focus; elsewhere it only autoscrolls or opens links. And each
 * page loaded while guarded gets `nativePasteScript` in the clipboard's isolated world, which cancels
 * every `paste` event (the isolated clipboard types with `insertText`, which fires none).
 * Returns the function that removes the guard.
 */
export function guardKeyboard(
  contents: GuardedContents,
  options: { readonly clipboard: IsolatedClipboard; readonly report: (action: string) => void },
): () => void {
  const listener = (event: { preventDefault(): void }, input: Input): void => {
    const decision = classifyKey(input);
    if (decision.kind === 'allow') return;
    event.preventDefault();
    if (input.isAutoRepeat) return; // one report per press, not one per repeat
    if (decision.kind === 'block') {
      options.report(decision.action);
      return;
    }
    if (!options.clipboard.allowed) {
      options.report(decision.operation);
      return;
    }
    void options.clipboard.perform(decision.operation, contents);
  };
  const mouse = (event: { preventDefault(): void }, input: Pick<MouseInputEvent, 'type' | 'button'>): void => {
    if (input.button === 'middle' && (input.type === 'mouseDown' || input.type === 'mouseUp')) event.preventDefault();
  };
  const nativePaste = (block: boolean): void => {
    if (contents.isDestroyed()) return;
    // A page still loading answers this at its dom-ready; the mouse guard holds meanwhile.
    contents.executeJavaScriptInIsolatedWorld(CLIPBOARD_WORLD_ID, [{ code: nativePasteScript(block) }]).catch(() => undefined);
  };
  const pageLoaded = (): void => nativePaste(true);
  contents.on('before-input-event', listener);
  contents.on('before-mouse-event', mouse);
  contents.on('dom-ready', pageLoaded);
  nativePaste(true);
  return () => {
    contents.removeListener('before-input-event', listener);
    contents.removeListener('before-mouse-event', mouse);
    contents.removeListener('dom-ready', pageLoaded);
    nativePaste(false);
  };
}
