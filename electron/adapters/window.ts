import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import type { Logger } from '../log';
import { APP_ENTRY_URL, APP_ORIGIN, isSameOrigin } from '../security/appOrigin';

/** The web preferences of every Invigil window: the page is untrusted, the preload is its only door. */
export function secureWebPreferences(preloadPath: string, isPackaged: boolean): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    devTools: !isPackaged,
    // No spelling suggestions in answers (they would help with the exam), and no dictionary download.
    spellcheck: false,
    // Timers and rendering keep full speed while the window is covered or minimized (the section
    // countdown, recording and monitoring run behind a system dialog too).
    backgroundThrottling: false,
  };
}

/** Applies the navigation rules: stay on the app origin, open no new windows, no devtools when packaged. */
export function lockNavigation(
  window: Pick<BrowserWindow, 'webContents'>,
  options: {
    readonly isPackaged: boolean;
    readonly log: Logger;
    readonly appOrigin?: string;
    /** True once another adapter owns this contents' navigation rules (the translator view). */
    readonly ownedElsewhere?: () => boolean;
  },
): void {
  const appOrigin = options.appOrigin ?? APP_ORIGIN;
  const contents = window.webContents;
  const ours = () => !(options.ownedElsewhere?.() ?? false);
  contents.on('will-navigate', (event) => {
    if (ours() && !isSameOrigin(event.url, appOrigin)) {
      event.preventDefault();
      options.log.warn('window: navigation blocked', { origin: originOf(event.url) });
    }
  });
  contents.on('will-redirect', (event) => {
    if (ours() && !isSameOrigin(event.url, appOrigin)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    options.log.warn('window: new window denied', { origin: originOf(url) });
    return { action: 'deny' };
  });
  if (options.isPackaged) {
    contents.on('devtools-opened', () => contents.closeDevTools());
  }
}

/**
 * Applies the same rules to every web contents the app ever creates, and refuses <webview> outright,
 * so no new surface escapes them. The translator view is created here too; once its adapter claims
 * it (`ownedElsewhere`), its stricter per-translator rules replace the app-origin rule, which would
 * otherwise block every translator page. New windows stay denied for it either way.
 */
export function guardAllWebContents(
  app: { on(event: 'web-contents-created', listener: (event: unknown, contents: BrowserWindow['webContents']) => void): unknown },
  options: { readonly isPackaged: boolean; readonly log: Logger; readonly ownedElsewhere?: (contents: BrowserWindow['webContents']) => boolean },
): void {
  app.on('web-contents-created', (_event, contents) => {
    lockNavigation(
      { webContents: contents },
      { isPackaged: options.isPackaged, log: options.log, ownedElsewhere: () => options.ownedElsewhere?.(contents) ?? false },
    );
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      options.log.warn('window: <webview> refused');
    });
  });
}

export function createMainWindow(options: {
  readonly BrowserWindow: typeof BrowserWindow;
  readonly preloadPath: string;
  readonly isPackaged: boolean;
  readonly log: Logger;
}): BrowserWindow {
  const window = new options.BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Invigil',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(options.preloadPath, options.isPackaged),
  });
  // Navigation rules come from guardAllWebContents, which covers this window's contents too.
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
    options.log.error('window: the app page did not load', { error: error instanceof Error ? error.message : String(error) });
  });
  return window;
}

function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : 'unparseable';
}
