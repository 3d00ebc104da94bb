import { describe, expect, it } from 'vitest';
import type { LockdownObservation } from '../../shared/domain/observations';
import { silentLogger } from '../log';
import { FakeSession, FakeView, FakeWindow } from '../test/fakeElectron';
import { openTranslatorView, translatorWebPreferences, type TranslatorViewOptions } from './translatorView';

function setup(translator: 'google' | 'youdao' | 'bing' = 'google') {
  const window = new FakeWindow();
  window.bounds = { x: 0, y: 0, width: 1000, height: 700 };
  const session = new FakeSession();
  const partitions: string[] = [];
  const views: FakeView[] = [];
  const observations: LockdownObservation[] = [];
  const view = openTranslatorView({
    translator,
    partition: 'invigil-translator-s1-abc',
    window: window as unknown as TranslatorViewOptions['window'],
    createView: (options) => {
      const created = new FakeView(options as { webPreferences: Record<string, unknown> });
      views.push(created);
      return created as unknown as ReturnType<TranslatorViewOptions['createView']>;
    },
    fromPartition: (partition) => {
      partitions.push(partition);
      return session as unknown as ReturnType<TranslatorViewOptions['fromPartition']>;
    },
    report: (observation) => observations.push(observation),
    now: () => Date.parse('2026-01-05T09:00:00.000Z'),
    log: silentLogger,
  });
  const fake = views[0]!;
  return { window, session, partitions, fake, contents: fake.webContents, view, observations };
}

describe('translator view', () => {
  it('opens the translator home page in a sandboxed, preload-free, in-memory partition', () => {
    const { fake, partitions, contents, window } = setup('bing');
    expect(partitions).toEqual(['invigil-translator-s1-abc']);
    expect(fake.options.webPreferences).toMatchObject({
      partition: 'invigil-translator-s1-abc',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: false,
    });
    expect(fake.options.webPreferences).not.toHaveProperty('preload');
    expect(contents.loaded).toEqual(['https://www.bing.com/translator']);
    expect(window.children).toEqual([fake]);
    expect(() => translatorWebPreferences('persist:translator')).toThrow(/must not persist/);
  });

  it("keeps main-frame navigation inside the chosen translator and reports only the origin of what it refused", () => {
    const { contents, observations } = setup('google');
    expect(contents.fireEvent('will-navigate', { url: 'https://translate.google.com/?sl=en&tl=fr' })).toBe(false);
    expect(contents.fireEvent('will-navigate', { url: 'https://mail.google.com/mail/u/0/#inbox?secret=1' })).toBe(true);
    expect(contents.fireEvent('will-navigate', { url: 'https://fanyi.youdao.com/' })).toBe(true); // another approved translator, not the chosen one
    expect(contents.fireEvent('will-redirect', { url: 'https://accounts.google.com/signin', isMainFrame: true })).toBe(true);
    expect(contents.fireEvent('will-redirect', { url: 'https://accounts.google.com/signin', isMainFrame: false })).toBe(false); // subframes: the network filter decides
    expect(contents.fireEvent('will-frame-navigate', { url: 'javascript:alert(1)', isMainFrame: true })).toBe(true);
    expect(observations).toEqual([
      { kind: 'translator_navigation_blocked', at: '2026-01-05T09:00:00.000Z', origin: 'https://mail.google.com', reason: 'host-not-allowed' },
      { kind: 'translator_navigation_blocked', at: '2026-01-05T09:00:00.000Z', origin: 'https://fanyi.youdao.com', reason: 'host-not-allowed' },
      { kind: 'translator_navigation_blocked', at: '2026-01-05T09:00:00.000Z', origin: 'https://accounts.google.com', reason: 'host-not-allowed' },
      { kind: 'translator_navigation_blocked', at: '2026-01-05T09:00:00.000Z', origin: 'javascript:', reason: 'scheme-not-allowed' },
    ]);
    expect(JSON.stringify(observations)).not.toContain('secret');
  });

  it('lets Bing navigate its translator path but not its search', () => {
    const { contents } = setup('bing');
    expect(contents.fireEvent('will-navigate', { url: 'https://cn.bing.com/translator?from=en' })).toBe(false);
    expect(contents.fireEvent('will-navigate', { url: 'https://www.bing.com/search?q=answer' })).toBe(true);
  });

  it('filters every request at the network: main frames by the navigation rule, the rest by the subresource list', () => {
    const { session } = setup('bing');
    expect(session.request('https://r.bing.com/rp/app.js')).toBe(true);
    expect(session.request('https://www.bing.com/ttranslatev3?isVertical=1', 'xhr')).toBe(true);
    expect(session.request('https://www.bing.com/search?q=answer', 'mainFrame')).toBe(false);
    expect(session.request('https://www.bing.com/search?q=answer', 'subFrame')).toBe(true); // same host, allowed as a resource
    expect(session.request('https://chat.openai.com/backend', 'xhr')).toBe(false);
    expect(session.request('http://r.bing.com/rp/app.js')).toBe(false);
    expect(session.request('wss://www.bing.com/socket', 'webSocket')).toBe(false);
  });

  it('denies popups, downloads and every permission', () => {
    const { contents, session, observations } = setup('youdao');
    expect(contents.openHandler?.({ url: 'https://fanyi.youdao.com/popup' })).toEqual({ action: 'deny' });
    expect(observations.at(-1)).toMatchObject({ kind: 'translator_navigation_blocked', origin: 'https://fanyi.youdao.com', reason: 'new-window' });
    let cancelled = false;
    expect(session.fire('will-download', { cancel: () => (cancelled = true) })).toBe(true);
    expect(cancelled).toBe(true);
    for (const permission of ['media', 'clipboard-read', 'clipboard-sanitized-write', 'notifications', 'geolocation']) {
      let granted: boolean | undefined;
      session.permissionRequest?.(null, permission, (g) => (granted = g));
      expect(granted).toBe(false);
    }
    expect(session.permissionCheck?.()).toBe(false);
    expect(session.devicePermission?.()).toBe(false);
  });

  it('takes the right part of the window when shown, follows resizes, and hides to nothing', () => {
    const { view, fake, window } = setup();
    expect(fake.visible).toBe(false);
    expect(view.setVisible(true, 0.4)).toBe(true);
    expect(fake.bounds).toEqual({ x: 600, y: 0, width: 400, height: 700 });
    expect(fake.visible).toBe(true);
    window.bounds = { x: 0, y: 0, width: 2000, height: 1000 };
    window.fire('resize');
    expect(fake.bounds).toEqual({ x: 1200, y: 0, width: 800, height: 1000 });
    expect(view.setVisible(false, 0.4)).toBe(false);
    expect(fake.bounds?.width).toBe(0);
    expect(fake.visible).toBe(false);
  });

  it('wipes storage and cache, removes and closes the view at destroy, and stops filtering', async () => {
    const { view, fake, window, session, contents } = setup();
    await view.destroy();
    expect(session.storageCleared).toBe(1);
    expect(session.cacheCleared).toBe(1);
    expect(window.children).toEqual([]);
    expect(contents.closed).toBe(true);
    expect(session.beforeRequest).toBeNull();
    expect(window.count('resize')).toBe(0);
    expect(view.setVisible(true, 0.5)).toBe(false);
    await view.destroy(); // twice is harmless
    expect(session.storageCleared).toBe(1);
    expect(fake.visible).toBe(false);
  });
});
