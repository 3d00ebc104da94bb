import { describe, expect, it } from 'vitest';
import type { LockdownObservation } from '../../../../shared/domain/observations';
import { browserLockdown, type PageGlobals } from './browserLockdown';

class Target {
  private readonly listeners = new Map<string, Set<() => void>>();
  addEventListener(type: string, l: () => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(l);
  }
  removeEventListener(type: string, l: () => void) {
    this.listeners.get(type)?.delete(l);
  }
  fire(type: string) {
    for (const l of this.listeners.get(type) ?? []) l();
  }
  count() {
    return [...this.listeners.values()].reduce((n, s) => n + s.size, 0);
  }
}

function page(fullscreenEnabled = true, refuse = false) {
  const doc = Object.assign(new Target(), {
    fullscreenEnabled,
    fullscreenElement: null as unknown,
    visibilityState: 'visible' as DocumentVisibilityState,
    exitFullscreen: async () => {
      doc.fullscreenElement = null;
    },
    documentElement: {
      requestFullscreen: async () => {
        if (refuse) throw new Error('no gesture');
        doc.fullscreenElement = {};
      },
    },
  });
  const win = new Target();
  const screen = Object.assign(new Target(), { width: 1920, height: 1080, isExtended: false });
  const g = { document: doc, window: win, screen, now: () => new Date('2026-11-28T10:00:00Z') } as unknown as PageGlobals;
  return { g, doc, win, screen };
}

describe('browserLockdown', () => {
  it('enters full screen when the browser allows it, and says so when it does not', async () => {
    expect(await browserLockdown(page().g).enterFullscreen()).toBe(true);
    expect(await browserLockdown(page(false).g).enterFullscreen()).toBe(false);
    expect(await browserLockdown(page(true, true).g).enterFullscreen()).toBe(false);
  });

  it('locks the keys through navigator.keyboard when there is one, and does nothing when there is not', async () => {
    const asked: unknown[] = [];
    let unlocked = 0;
    const keyboard = { lock: async (keys?: string[]) => void asked.push(keys), unlock: () => void (unlocked += 1) };
    const withKeyboard = browserLockdown({ ...page().g, keyboard });
    expect(await withKeyboard.lockKeys()).toBe(true);
    withKeyboard.unlockKeys();
    expect(asked).toEqual([['Escape', 'Tab', 'MetaLeft', 'MetaRight']]);
    expect(unlocked).toBe(1);
    const without = browserLockdown(page().g);
    expect(await without.lockKeys()).toBe(false);
    expect(() => without.unlockKeys()).not.toThrow();
  });

  it('reports focus lost once for blur + hidden, and regained when visible and focused again', () => {
    const p = page();
    const seen: LockdownObservation[] = [];
    const stop = browserLockdown(p.g).watch((o) => seen.push(o));
    p.win.fire('blur');
    p.doc.visibilityState = 'hidden';
    p.doc.fire('visibilitychange');
    p.doc.visibilityState = 'visible';
    p.doc.fire('visibilitychange');
    expect(seen.map((o) => o.kind)).toEqual(['focus_lost', 'focus_regained']);
    stop();
    expect(p.win.count() + p.doc.count() + p.screen.count()).toBe(0);
  });

  it('reports a second screen attached and removed, and leaving full screen', () => {
    const p = page();
    const seen: LockdownObservation[] = [];
    browserLockdown(p.g).watch((o) => seen.push(o));
    p.screen.isExtended = true;
    p.screen.fire('change');
    p.screen.fire('change');
    p.screen.isExtended = false;
    p.screen.fire('change');
    p.doc.fire('fullscreenchange');
    expect(seen.map((o) => o.kind)).toEqual(['display_added', 'display_removed', 'fullscreen_exited']);
  });
});
