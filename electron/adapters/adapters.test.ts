import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindow, PowerMonitor, Protocol, Session } from 'electron';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { applyPermissionPolicy } from './permissions';
import { forwardPowerEvents } from './power';
import { registerAppScheme, serveRenderer } from './protocol';
import { createMainWindow, guardAllWebContents, lockNavigation, secureWebPreferences } from './window';

type AnyFn = (...args: never[]) => unknown;

/** Records what the adapter installs on a fake Electron object, so the test can call it. */
function recorder() {
  const installed = new Map<string, AnyFn>();
  const on = (name: string, fn: AnyFn) => {
    installed.set(name, fn);
  };
  return { installed, on };
}

describe('permissions', () => {
  function policy() {
    const { installed } = recorder();
    const session = {
      setPermissionRequestHandler: (fn: AnyFn) => installed.set('request', fn),
      setPermissionCheckHandler: (fn: AnyFn) => installed.set('check', fn),
      setDevicePermissionHandler: (fn: AnyFn) => installed.set('device', fn),
    } as unknown as Session;
    applyPermissionPolicy(session, { log: silentLogger });
    const request = installed.get('request') as unknown as (wc: unknown, p: string, cb: (g: boolean) => void, d: object) => void;
    const check = installed.get('check') as unknown as (wc: unknown, p: string, origin: string, d: object) => boolean;
    const ask = (permission: string, requestingUrl: string, extra: object = {}) => {
      let granted: boolean | undefined;
      request(null, permission, (g) => (granted = g), { requestingUrl, isMainFrame: true, ...extra });
      return granted;
    };
    return { ask, check, device: installed.get('device') as unknown as () => boolean };
  }

  it('grants the camera and microphone to the app page only', () => {
    const { ask } = policy();
    expect(ask('media', 'app://invigil/index.html', { mediaTypes: ['video', 'audio'] })).toBe(true);
    expect(ask('media', 'https://translate.google.com/', { mediaTypes: ['audio'] })).toBe(false);
    expect(ask('media', 'app://invigil/index.html', { isMainFrame: false, mediaTypes: ['video'] })).toBe(false);
  });

  it('lets the app page go full screen and lock the keyboard, and nobody else', () => {
    const { ask, check } = policy();
    for (const permission of ['fullscreen', 'keyboardLock']) {
      expect(ask(permission, 'app://invigil/index.html')).toBe(true);
      expect(ask(permission, 'app://invigil/index.html', { isMainFrame: false })).toBe(false);
      expect(ask(permission, 'https://translate.google.com/')).toBe(false);
      expect(check(null, permission, 'app://invigil', {})).toBe(true);
      expect(check(null, permission, 'https://translate.google.com', {})).toBe(false);
    }
  });

  it('denies everything else, even to the app page', () => {
    const { ask, check, device } = policy();
    for (const permission of ['notifications', 'geolocation', 'display-capture', 'clipboard-read', 'openExternal', 'pointerLock', 'window-management']) {
      expect(ask(permission, 'app://invigil/index.html')).toBe(false);
    }
    expect(check(null, 'media', 'app://invigil', {})).toBe(true);
    expect(check(null, 'media', 'https://fanyi.youdao.com', {})).toBe(false);
    expect(check(null, 'clipboard-read', 'app://invigil', {})).toBe(false);
    expect(device()).toBe(false);
  });
});

describe('window', () => {
  function fakeWindow() {
    const { installed, on } = recorder();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    let devtoolsClosed = 0;
    const window = {
      webContents: {
        on,
        setWindowOpenHandler: (fn: typeof openHandler) => (openHandler = fn),
        closeDevTools: () => (devtoolsClosed += 1),
      },
    } as unknown as BrowserWindow;
    const navigate = (event: string, url: string) => {
      let prevented = false;
      (installed.get(event) as unknown as (e: object) => void)({ url, preventDefault: () => (prevented = true) });
      return prevented;
    };
    return { window, installed, navigate, open: (url: string) => openHandler?.({ url }), devtools: () => devtoolsClosed };
  }

  it('blocks navigation away from the app and allows moves inside it', () => {
    const fake = fakeWindow();
    lockNavigation(fake.window, { isPackaged: false, log: silentLogger });
    expect(fake.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fake.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fake.navigate('will-navigate', 'app://invigil/index.html#/exam')).toBe(false);
    expect(fake.navigate('will-redirect', 'https://evil.example/')).toBe(true);
  });

  it('denies every new window, including to the app itself', () => {
    const fake = fakeWindow();
    lockNavigation(fake.window, { isPackaged: false, log: silentLogger });
    expect(fake.open('https://translate.google.com/')).toEqual({ action: 'deny' });
    expect(fake.open('app://invigil/index.html')).toEqual({ action: 'deny' });
  });

  it('closes devtools in a packaged build only', () => {
    const packaged = fakeWindow();
    lockNavigation(packaged.window, { isPackaged: true, log: silentLogger });
    (packaged.installed.get('devtools-opened') as () => void)();
    expect(packaged.devtools()).toBe(1);
    const dev = fakeWindow();
    lockNavigation(dev.window, { isPackaged: false, log: silentLogger });
    expect(dev.installed.has('devtools-opened')).toBe(false);
  });

  it('guards every web contents the app creates, and refuses <webview>', () => {
    let created: ((event: unknown, contents: BrowserWindow['webContents']) => void) | undefined;
    const app = { on: (_event: 'web-contents-created', listener: typeof created) => (created = listener) };
    guardAllWebContents(app, { isPackaged: false, log: silentLogger });
    const fake = fakeWindow();
    created?.({}, fake.window.webContents);
    expect(fake.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fake.open('https://translate.google.com/')).toEqual({ action: 'deny' });
    let refused = false;
    (fake.installed.get('will-attach-webview') as unknown as (e: object) => void)({ preventDefault: () => (refused = true) });
    expect(refused).toBe(true);
  });

  it("leaves a translator view's navigation to the translator adapter once it is claimed, still denying new windows", () => {
    let created: ((event: unknown, contents: BrowserWindow['webContents']) => void) | undefined;
    const app = { on: (_event: 'web-contents-created', listener: typeof created) => (created = listener) };
    const claimed = new WeakSet<object>();
    guardAllWebContents(app, { isPackaged: false, log: silentLogger, ownedElsewhere: (contents) => claimed.has(contents) });
    const fake = fakeWindow();
    created?.({}, fake.window.webContents);
    expect(fake.navigate('will-navigate', 'https://translate.google.com/')).toBe(true); // not claimed yet: app rules
    claimed.add(fake.window.webContents);
    expect(fake.navigate('will-navigate', 'https://translate.google.com/')).toBe(false);
    expect(fake.navigate('will-redirect', 'https://translate.google.com/x')).toBe(false);
    expect(fake.open('https://translate.google.com/')).toEqual({ action: 'deny' });
  });

  it('creates the window isolated and sandboxed, with the preload and the app URL', async () => {
    let options: { webPreferences?: object } | undefined;
    let loaded: string | undefined;
    class FakeBrowserWindow {
      webContents = { on: () => undefined, setWindowOpenHandler: () => undefined, closeDevTools: () => undefined };
      constructor(opts: { webPreferences?: object }) {
        options = opts;
      }
      once() {}
      show() {}
      async loadURL(url: string) {
        loaded = url;
      }
    }
    createMainWindow({ BrowserWindow: FakeBrowserWindow as unknown as typeof BrowserWindow, preloadPath: '/app/preload.cjs', isPackaged: true, log: silentLogger });
    expect(options?.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: false,
      spellcheck: false,
      backgroundThrottling: false,
    });
    expect(loaded).toBe('app://invigil/index.html');
    expect(secureWebPreferences('/p', false).devTools).toBe(true);
  });
});

describe('app protocol', () => {
  it('registers a standard, secure, fetch-capable scheme', () => {
    let schemes: unknown;
    registerAppScheme({ registerSchemesAsPrivileged: (s: unknown) => (schemes = s) } as unknown as Protocol);
    expect(schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('serves renderer files with the CSP and refuses paths outside the folder', async () => {
    const root = await mkdtemp(join(tmpdir(), 'invigil-protocol-'));
    try {
      await writeFile(join(root, 'index.html'), '<!doctype html><title>Invigil</title>');
      let handler: ((request: Request) => Promise<Response>) | undefined;
      serveRenderer({
        protocol: { handle: (_scheme: string, fn: typeof handler) => (handler = fn) } as unknown as Protocol,
        rendererDir: root,
        csp: "default-src 'self'",
        log: silentLogger,
      });
      const get = (url: string) => handler!(new Request(url));
      const index = await get('app://invigil/');
      expect(index.status).toBe(200);
      expect(index.headers.get('content-security-policy')).toBe("default-src 'self'");
      expect(await index.text()).toContain('<title>Invigil</title>');
      expect((await get('app://invigil/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
      expect((await get('app://other/index.html')).status).toBe(404);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('power', () => {
  it('turns power monitor signals into power:onChange events and stops on request', () => {
    const { installed } = recorder();
    const monitor = {
      on: (name: string, fn: AnyFn) => installed.set(name, fn),
      removeListener: (name: string) => installed.delete(name),
    } as unknown as PowerMonitor;
    const states: string[] = [];
    const stop = forwardPowerEvents(monitor, (_event, payload) => states.push((payload as { state: string }).state));
    for (const signal of ['suspend', 'resume', 'lock-screen', 'unlock-screen']) (installed.get(signal) as () => void)();
    expect(states).toEqual(['suspend', 'resume', 'lock', 'unlock']);
    stop();
    expect(installed.size).toBe(0);
  });
});
