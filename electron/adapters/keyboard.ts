import type { Input, WebContents } from 'electron';
import { classifyKey } from '../security/shortcuts';
import type { EditableContents, IsolatedClipboard } from './clipboard';

export type GuardedContents = EditableContents & Pick<WebContents, 'on' | 'removeListener'>;

/**
 * Intercepts keys before the page and the menu see them (`before-input-event`): refused shortcuts are
 * swallowed and reported; copy, cut and paste are swallowed too and carried out by the isolated
 * clipboard instead, so Chromium never writes the system clipboard from this page.
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
  contents.on('before-input-event', listener);
  return () => {
    contents.removeListener('before-input-event', listener);
  };
}
