import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, clipboard, dialog, powerMonitor, powerSaveBlocker, protocol, screen, session, WebContentsView } from 'electron';
import si from 'systeminformation';
import { IsolatedClipboard } from './adapters/clipboard';
import { readDisplays } from './adapters/displays';
import { DesktopLockdown } from './adapters/lockdown';
import { applyPermissionPolicy } from './adapters/permissions';
import { forwardPowerEvents } from './adapters/power';
import { registerAppScheme, serveRenderer } from './adapters/protocol';
import { createMainWindow, guardAllWebContents } from './adapters/window';
import { DEFAULT_SERVER_URL, serverUrlOverride } from './config';
import { desktopCapabilities } from './ipc/capabilities';
import { createEventEmitter, registerOnIpcMain } from './ipc/electronTransport';
import { createHandlers } from './ipc/handlers';
import { jsonLinesLogger } from './log';
import { contentSecurityPolicy } from './security/csp';
import { debuggingRequests, launchRefusalMessage } from './security/launchFlags';
import { FsAnswerJournal } from './services/answerJournal';
import { FsRecordingJournal } from './services/recordingJournal';
import { FsSettingsStore } from './services/settingsStore';
import { SiSystemProbe } from './services/systemProbe';
import { TusUploader } from './services/uploader';

// Composition root of the desktop host: builds the concrete services and wires them to Electron.
// Everything with logic lives in services/, ipc/ and adapters/ where tests can reach it.

const log = jsonLinesLogger((line) => process.stdout.write(line), Date.now);

// Tests run the unpackaged app with a throwaway profile. Never honoured when packaged: a second
// profile would let a learner start a second copy beside the single-instance lock.
const testProfile = process.env.INVIGIL_USER_DATA;
if (testProfile && !app.isPackaged) app.setPath('userData', testProfile);

/** The translator views' contents: their navigation rules are the translator adapter's, not the app's. */
const translatorContents = new WeakSet<object>();

// A debugger attached to an exam client could read or drive the exam page. A packaged build refuses
// to start at all; a development build starts (tools such as Playwright's _electron attach this way)
// but refuses to lock an exam down, unless a developer says INVIGIL_DEV_ALLOW_DEBUGGING=1.
const debugging = debuggingRequests(process.argv, process.env, process.execArgv);
const devDebuggingAllowed = !app.isPackaged && process.env.INVIGIL_DEV_ALLOW_DEBUGGING === '1';
const launchProblem = debugging.length > 0 && !devDebuggingAllowed ? launchRefusalMessage(debugging) : null;

if (app.isPackaged && launchProblem !== null) {
  log.error('desktop host: refused a debugging launch', { switches: debugging.join(',') });
  // Before 'ready' Linux prints the dialog to stderr only: wait, so the learner sees why nothing starts.
  void app.whenReady().then(() => {
    dialog.showErrorBox('Invigil cannot start', launchProblem);
    app.exit(1);
  });
} else if (!app.requestSingleInstanceLock()) {
  // A second copy would share the journal files and could let a learner run two exam windows.
  app.quit();
} else {
  registerAppScheme(protocol); // must happen before 'ready'
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  guardAllWebContents(app, { isPackaged: app.isPackaged, log, ownedElsewhere: (contents) => translatorContents.has(contents) });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      log.error('desktop host: failed to start', { error: message });
      dialog.showErrorBox('Invigil could not start', message);
      app.exit(1);
    });
}

async function start(): Promise<void> {
  const dataDir = app.getPath('userData');
  const override = serverUrlOverride(process.argv, process.env);
  const settings = new FsSettingsStore({
    dataDir,
    defaults: { serverUrl: DEFAULT_SERVER_URL },
    overrides: override === undefined ? {} : { serverUrl: override },
    log,
  });
  const journal = new FsAnswerJournal({ dataDir, now: Date.now, log });
  const emit = createEventEmitter({ targets: () => BrowserWindow.getAllWindows().map((window) => window.webContents), log });
  const recording = new FsRecordingJournal({ dataDir, now: Date.now, log });
  const uploads = new TusUploader({
    dataDir,
    journal: recording,
    emit: (progress) => emit('uploads:onProgress', progress),
    log,
    now: Date.now,
    random: Math.random,
  });
  // Finds recordings left by an earlier run (closing takes a crash left open) before the UI can ask.
  await uploads.start();
  app.on('will-quit', () => {
    void uploads.close().then(() => recording.close());
  });
  const probe = new SiSystemProbe({ si, displays: () => readDisplays(screen), platform: process.platform, now: Date.now, log });
  let examWindow: BrowserWindow | null = null;
  const lockdown = new DesktopLockdown({
    examWindow: () => (examWindow !== null && !examWindow.isDestroyed() ? examWindow : null),
    screen,
    powerMonitor,
    powerSaveBlocker,
    app,
    clipboard: new IsolatedClipboard({ system: clipboard, log }),
    probe,
    createView: (options) => new WebContentsView(options),
    fromPartition: (partition) => session.fromPartition(partition, { cache: false }),
    translatorContents,
    report: (observation) => emit('lockdown:onObservation', observation),
    now: Date.now,
    platform: process.platform,
    log,
    launchProblem,
    nonce: randomUUID,
  });
  const handlers = createHandlers({
    info: { hostKind: 'desktop', appVersion: app.getVersion(), platform: process.platform, capabilities: desktopCapabilities(process.platform) },
    journal,
    settings,
    recording,
    uploads,
    probe,
    lockdown,
  });
  await registerOnIpcMain({ handlers, log });

  // The CSP is fixed for this run; a changed server URL takes effect at the next start.
  const { serverUrl } = await settings.get();
  serveRenderer({ protocol, rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)), csp: contentSecurityPolicy({ serverUrl }), log });
  applyPermissionPolicy(session.defaultSession, { log });

  forwardPowerEvents(powerMonitor, emit);

  examWindow = createMainWindow({
    BrowserWindow,
    preloadPath: fileURLToPath(new URL('../preload/preload.cjs', import.meta.url)),
    isPackaged: app.isPackaged,
    log,
  });
  log.info('desktop host: started', { serverUrl, packaged: app.isPackaged, debugging: debugging.join(',') || 'none' });
}
