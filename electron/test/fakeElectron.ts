/**
 * Fake Electron objects for adapter tests: they record what the adapters install and let a test
 * fire the events Electron would fire. Only the members the adapters use exist.
 */
import { nativePasteScript } from '../adapters/clipboard';

type Listener = (...args: never[]) => unknown;

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }
  removeListener(name: string, listener: Listener): this {
    this.listeners.set(name, (this.listeners.get(name) ?? []).filter((l) => l !== listener));
    return this;
  }
  count(name: string): number {
    return this.listeners.get(name)?.length ?? 0;
  }
  /** Fires `name` with a preventable event first; returns whether a listener prevented it. */
  fire(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    const event = { preventDefault: () => (prevented = true) };
    for (const listener of this.listeners.get(name) ?? []) (listener as (...a: unknown[]) => unknown)(event, ...args);
    return prevented;
  }
  /** Fires `name` with a preventable event that also carries `fields` (Electron's newer event style). */
  fireEvent(name: string, fields: object): boolean {
    let prevented = false;
    const event = { ...fields, preventDefault: () => (prevented = true) };
    for (const listener of this.listeners.get(name) ?? []) (listener as (e: unknown) => unknown)(event);
    return prevented;
  }
}

export class FakeWebContents extends FakeEmitter {
  destroyed = false;
  closed = false;
  loaded: string[] = [];
  inserted: string[] = [];
  scripts: { worldId: number; code: string }[] = [];
  /** What the page's selection "is" when the isolated clipboard reads it. */
  selection = '';
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
  }
  reloads = 0;
  /** Renderer processes killed with forcefullyCrashRenderer (which fires render-process-gone, as Electron does). */
  kills = 0;
  reload(): void {
    this.reloads += 1;
  }
  forcefullyCrashRenderer(): void {
    this.kills += 1;
    this.fire('render-process-gone', { reason: 'killed', exitCode: 9 });
  }
  close(): void {
    this.closed = true;
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** The input guard's native-paste switches (nativePasteScript), in order; kept apart from the clipboard's `scripts`. */
  nativePaste: { worldId: number; block: boolean }[] = [];
  async executeJavaScriptInIsolatedWorld(worldId: number, scripts: { code: string }[]): Promise<unknown> {
    for (const script of scripts) {
      if (script.code === nativePasteScript(true) || script.code === nativePasteScript(false)) {
        this.nativePaste.push({ worldId, block: script.code === nativePasteScript(true) });
      } else this.scripts.push({ worldId, code: script.code });
    }
    return this.selection;
  }
  /** A middle, left or right button press or release, the way before-mouse-event delivers it; returns whether a guard swallowed it. */
  mouse(type: 'mouseDown' | 'mouseUp', button: 'left' | 'middle' | 'right'): boolean {
    return this.fire('before-mouse-event', { type, button, x: 10, y: 10, clickCount: 1, modifiers: [] });
  }
  async insertText(text: string): Promise<void> {
    this.inserted.push(text);
  }
  /** Presses a key the way before-input-event delivers it; returns whether the guard swallowed it. */
  press(code: string, mods: { control?: boolean; meta?: boolean; shift?: boolean; alt?: boolean } = {}, key?: string): boolean {
    return this.fire('before-input-event', {
      type: 'keyDown',
      key: key ?? (code.startsWith('Key') ? code.slice(3).toLowerCase() : code),
      code,
      isAutoRepeat: false,
      isComposing: false,
      control: false,
      meta: false,
      shift: false,
      alt: false,
      location: 0,
      modifiers: [],
      ...mods,
    });
  }
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class FakeWindow extends FakeEmitter {
  readonly webContents = new FakeWebContents();
  bounds: Bounds = { x: 100, y: 100, width: 1280, height: 800 };
  kiosk = false;
  alwaysOnTop: [boolean, string | undefined] = [false, undefined];
  contentProtection = false;
  /** Set to make `setContentProtection` throw, as a failing platform call would. */
  contentProtectionError: Error | null = null;
  /** What `isFocused()` answers. */
  hasFocus = true;
  menuBarVisible = true;
  menuAutoHide = true;
  focused = 0;
  readonly children: unknown[] = [];
  readonly contentView = {
    addChildView: (view: unknown) => this.children.push(view),
    removeChildView: (view: unknown) => this.children.splice(this.children.indexOf(view), 1),
  };
  getBounds(): Bounds {
    return { ...this.bounds };
  }
  getContentBounds(): Bounds {
    return { ...this.bounds };
  }
  setBounds(bounds: Partial<Bounds>): void {
    this.bounds = { ...this.bounds, ...bounds };
  }
  setKiosk(flag: boolean): void {
    this.kiosk = flag;
  }
  isKiosk(): boolean {
    return this.kiosk;
  }
  setAlwaysOnTop(flag: boolean, level?: string): void {
    this.alwaysOnTop = [flag, level];
  }
  isAlwaysOnTop(): boolean {
    return this.alwaysOnTop[0];
  }
  setContentProtection(flag: boolean): void {
    if (this.contentProtectionError) throw this.contentProtectionError;
    this.contentProtection = flag;
  }
  isContentProtected(): boolean {
    return this.contentProtection;
  }
  isFocused(): boolean {
    return this.hasFocus;
  }
  setMenuBarVisibility(visible: boolean): void {
    this.menuBarVisible = visible;
  }
  setAutoHideMenuBar(flag: boolean): void {
    this.menuAutoHide = flag;
  }
  isMenuBarAutoHide(): boolean {
    return this.menuAutoHide;
  }
  focus(): void {
    this.focused += 1;
  }
}

export const display = (id: number, x: number, width: number, height: number, extra: object = {}) => ({
  id,
  label: `Display ${id}`,
  internal: id === 1,
  detected: true,
  bounds: { x, y: 0, width, height },
  size: { width, height },
  ...extra,
});

export class FakeScreen extends FakeEmitter {
  displays = [display(2, -1920, 1920, 1080), display(1, 0, 1440, 900)];
  primaryId = 1;
  getAllDisplays() {
    return this.displays;
  }
  getPrimaryDisplay() {
    return this.displays.find((d) => d.id === this.primaryId)!;
  }
}

export class FakePowerSaveBlocker {
  readonly started = new Set<number>();
  private next = 1;
  lastType: string | undefined;
  start(type: string): number {
    this.lastType = type;
    const id = this.next++;
    this.started.add(id);
    return id;
  }
  stop(id: number): boolean {
    return this.started.delete(id);
  }
  isStarted(id: number): boolean {
    return this.started.has(id);
  }
}

export class FakeSystemClipboard {
  clears = 0;
  selectionClears = 0;
  readonly selection = { clear: () => (this.selectionClears += 1) };
  clear(): void {
    this.clears += 1;
  }
}

export class FakeSession extends FakeEmitter {
  permissionRequest: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  permissionCheck: (() => boolean) | undefined;
  devicePermission: (() => boolean) | undefined;
  beforeRequest: ((details: { url: string; resourceType: string }, callback: (response: { cancel?: boolean }) => void) => void) | null | undefined;
  storageCleared = 0;
  cacheCleared = 0;
  readonly webRequest = {
    onBeforeRequest: (listener: FakeSession['beforeRequest']) => {
      this.beforeRequest = listener;
    },
  };
  setPermissionRequestHandler(handler: FakeSession['permissionRequest']): void {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheck']): void {
    this.permissionCheck = handler;
  }
  setDevicePermissionHandler(handler: FakeSession['devicePermission']): void {
    this.devicePermission = handler;
  }
  async clearStorageData(): Promise<void> {
    this.storageCleared += 1;
  }
  async clearCache(): Promise<void> {
    this.cacheCleared += 1;
  }
  /** Asks the installed network filter about one request; true when it may go ahead. */
  request(url: string, resourceType = 'script'): boolean {
    let cancel: boolean | undefined;
    this.beforeRequest?.({ url, resourceType }, (response) => (cancel = response.cancel));
    return cancel === false;
  }
}

export class FakeView {
  readonly webContents = new FakeWebContents();
  bounds: Bounds | undefined;
  visible: boolean | undefined;
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {}
  setBounds(bounds: Bounds): void {
    this.bounds = bounds;
  }
  setVisible(visible: boolean): void {
    this.visible = visible;
  }
}
