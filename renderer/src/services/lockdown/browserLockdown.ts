import type { DisplayInfo, LockdownObservation } from '../../../../shared/domain/observations';
import type { BrowserLockdown } from './examLockdown';
import { lockExamKeys, unlockExamKeys, type KeyboardLockApi } from './keyboardLock';

/** The slice of the page's globals the browser lockdown uses (the composition root hands them in). */
export interface PageGlobals {
  readonly document: Pick<Document, 'fullscreenEnabled' | 'fullscreenElement' | 'exitFullscreen' | 'addEventListener' | 'removeEventListener' | 'visibilityState'> & {
    readonly documentElement: Pick<HTMLElement, 'requestFullscreen'>;
  };
  readonly window: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  /** `window.screen`; `isExtended` and its `change` event exist in Chromium only. */
  readonly screen: (Pick<Screen, 'width' | 'height'> & { readonly isExtended?: boolean } & Partial<Pick<EventTarget, 'addEventListener' | 'removeEventListener'>>) | null;
  readonly now: () => Date;
  /** `navigator.keyboard` (Chromium), for the Keyboard Lock API; absent elsewhere. */
  readonly keyboard?: KeyboardLockApi | null;
}

const screenAsDisplay = (screen: { width: number; height: number }, label: string): DisplayInfo => ({
  id: label,
  label,
  internal: null,
  primary: false,
  width: screen.width,
  height: screen.height,
  active: true,
});

/**
 * What a browser can enforce and see: full screen on request (the learner can leave it), focus and
 * visibility, and whether a second screen is attached (`screen.isExtended`, Chromium). Everything
 * else is the desktop app's.
 */
export function browserLockdown(g: PageGlobals): BrowserLockdown {
  return {
    async enterFullscreen() {
      if (!g.document.fullscreenEnabled) return false;
      try {
        await g.document.documentElement.requestFullscreen();
        return true;
      } catch {
        // Refused (no user gesture, or the browser's policy): the exam goes on, the proctor sees it.
        return false;
      }
    },
    async exitFullscreen() {
      if (g.document.fullscreenElement) await g.document.exitFullscreen().catch(() => undefined);
    },
    lockKeys: () => lockExamKeys(g.keyboard),
    unlockKeys: () => unlockExamKeys(g.keyboard),
    watch(listener) {
      const at = () => g.now().toISOString();
      const emit = (o: LockdownObservation) => listener(o);
      let hidden = g.document.visibilityState === 'hidden';
      let focused = true;
      const lost = () => {
        if (!focused) return;
        focused = false;
        emit({ kind: 'focus_lost', at: at() });
      };
      const back = () => {
        if (focused || hidden) return;
        focused = true;
        emit({ kind: 'focus_regained', at: at() });
      };
      const onVisibility = () => {
        hidden = g.document.visibilityState === 'hidden';
        if (hidden) lost();
        else back();
      };
      const onFullscreen = () => emit({ kind: g.document.fullscreenElement ? 'fullscreen_entered' : 'fullscreen_exited', at: at() });
      let extended = g.screen?.isExtended ?? null;
      const onScreen = () => {
        const now = g.screen?.isExtended ?? null;
        if (now === extended || now === null || !g.screen) return;
        extended = now;
        const display = screenAsDisplay(g.screen, now ? 'another screen' : 'a screen');
        emit({ kind: now ? 'display_added' : 'display_removed', at: at(), display });
      };
      g.document.addEventListener('visibilitychange', onVisibility);
      g.document.addEventListener('fullscreenchange', onFullscreen);
      g.window.addEventListener('blur', lost);
      g.window.addEventListener('focus', back);
      g.screen?.addEventListener?.('change', onScreen);
      return () => {
        g.document.removeEventListener('visibilitychange', onVisibility);
        g.document.removeEventListener('fullscreenchange', onFullscreen);
        g.window.removeEventListener('blur', lost);
        g.window.removeEventListener('focus', back);
        g.screen?.removeEventListener?.('change', onScreen);
      };
    },
  };
}
