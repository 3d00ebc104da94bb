import type { BrowserWindow, Session, WebContents, WebContentsView, WebPreferences } from 'electron';
import type { LockdownObservation } from '../../shared/domain/observations';
import { decideNavigation, decideSubresource, translators, type TranslatorId } from '../../shared/domain/translatorUrls';
import type { Logger } from '../log';

/** The WebContents pieces the view's rules are installed on. */
type ViewContents = Pick<WebContents, 'on' | 'setWindowOpenHandler' | 'loadURL' | 'close' | 'isDestroyed'>;
type ViewSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'on' | 'clearStorageData' | 'clearCache'> & {
  readonly webRequest: Pick<Session['webRequest'], 'onBeforeRequest'>;
};
type View = Pick<WebContentsView, 'setBounds' | 'setVisible'> & { readonly webContents: ViewContents };
export type HostWindow = Pick<BrowserWindow, 'getContentBounds' | 'on' | 'removeListener'> & {
  readonly contentView: Pick<BrowserWindow['contentView'], 'addChildView' | 'removeChildView'>;
};

export interface TranslatorViewOptions {
  readonly translator: TranslatorId;
  /** Names the in-memory partition; never `persist:`, so nothing reaches the disk. */
  readonly partition: string;
  readonly window: HostWindow;
  readonly createView: (options: { webPreferences: WebPreferences }) => View;
  readonly fromPartition: (partition: string) => ViewSession;
  readonly report: (observation: LockdownObservation) => void;
  readonly now: () => number;
  readonly log: Logger;
  /** Lets the caller add its own guards (keyboard, clipboard) before anything loads. */
  readonly prepare?: (contents: ViewContents) => void;
}

export interface TranslatorView {
  readonly contents: ViewContents;
  setVisible(visible: boolean, widthFraction: number): boolean;
  /** Wipes the partition's storage and cache, then destroys the view. */
  destroy(): Promise<void>;
}

/** The translator page runs with no preload and no Node, sandboxed, in its own throwaway session. */
export function translatorWebPreferences(partition: string): WebPreferences {
  if (partition.startsWith('persist:')) throw new Error('the translator partition must not persist');
  return {
    partition,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    devTools: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

const originOf = (url: string): string => {
  if (!URL.canParse(url)) return 'unparseable';
  const origin = new URL(url).origin;
  return (origin === 'null' ? url.split(':')[0] + ':' : origin).slice(0, 300);
};

/**
 * The translator side view: main-frame navigations and redirects only
 * where `decideNavigation` allows, every request the page makes only where `decideSubresource` (or,
 * for a main-frame request, `decideNavigation`) allows, no popups, downloads or permissions.
 */
export function openTranslatorView(options: TranslatorViewOptions): TranslatorView {
  const { translator, window, log } = options;
  const spec = translators[translator];
  const at = () => new Date(options.now()).toISOString();
  const blocked = (url: string, reason: string) => {
    log.warn('translator: navigation blocked', { origin: originOf(url), reason });
    options.report({ kind: 'translator_navigation_blocked', at: at(), origin: originOf(url), reason: reason.slice(0, 64) });
  };

  const session = options.fromPartition(options.partition);
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event, item) => {
    event.preventDefault();
    item.cancel();
    log.warn('translator: download refused');
  });
  // The network-level gate: it also catches what no navigation event announces (iframes, fetch, beacons).
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed =
      details.resourceType === 'mainFrame' ? decideNavigation(details.url, translator).allowed : decideSubresource(details.url, translator);
    if (!allowed && details.resourceType === 'mainFrame') blocked(details.url, decideNavigation(details.url, translator).reason);
    callback({ cancel: !allowed });
  });

  const view = options.createView({ webPreferences: translatorWebPreferences(options.partition) });
  const contents = view.webContents;
  const guardMainFrame = (event: { url: string; preventDefault(): void }) => {
    const decision = decideNavigation(event.url, translator);
    if (!decision.allowed) {
      event.preventDefault();
      blocked(event.url, decision.reason);
    }
  };
  contents.on('will-navigate', guardMainFrame);
  contents.on('will-redirect', (event) => {
    if (event.isMainFrame) guardMainFrame(event);
  });
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame) guardMainFrame(event);
  });
  contents.setWindowOpenHandler(({ url }) => {
    blocked(url, 'new-window');
    return { action: 'deny' };
  });
  options.prepare?.(contents);

  let visible = false;
  let fraction = 0.4;
  const layout = () => {
    const { width, height } = window.getContentBounds();
    const viewWidth = visible ? Math.round(width * fraction) : 0;
    view.setBounds({ x: width - viewWidth, y: 0, width: viewWidth, height });
    view.setVisible(visible);
  };
  window.on('resize', layout);
  view.setVisible(false);
  window.contentView.addChildView(view as WebContentsView);
  layout();

  const home = decideNavigation(spec.homeUrl, translator);
  if (home.allowed) {
    void contents.loadURL(spec.homeUrl).catch((error: unknown) => {
      log.warn('translator: page did not load', { translator, error: error instanceof Error ? error.message.slice(0, 200) : String(error) });
    });
  } else {
    blocked(spec.homeUrl, home.reason);
  }

  let destroyed = false;
  return {
    contents,
    setVisible: (show, widthFraction) => {
      if (destroyed) return false;
      visible = show;
      fraction = widthFraction;
      layout();
      return visible;
    },
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      window.removeListener('resize', layout);
      window.contentView.removeChildView(view as WebContentsView);
      if (!contents.isDestroyed()) contents.close();
      session.webRequest.onBeforeRequest(null);
      await Promise.all([session.clearStorageData(), session.clearCache()]).catch((error: unknown) => {
        log.warn('translator: storage not cleared', { error: error instanceof Error ? error.name : typeof error });
      });
    },
  };
}
