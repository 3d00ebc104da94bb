import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, powerMonitor, protocol, session } from 'electron';
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
import { debuggingRequests } from './security/launchFlags';
import { FsAnswerJournal } from './services/answerJournal';
import { FsRecordingJournal } from './services/recordingJournal';
import { FsSettingsStore } from './services/settingsStore';
import { TusUploader } from './services/uploader';

// Composition root of the desktop host: builds the concrete services and wires them to Electron.
// Everything with logic lives in services/, ipc/ and adapters/ where tests can reach it.

const log = jsonLinesLogger((line) => process.stdout.write(line), Date.now);

// Tests run the unpackaged app with a throwaway profile. Never honoured when packaged: a second
// profile would let a learner start a second copy beside the single-instance lock.
const testProfile = process.env.INVIGIL_USER_DATA;
if (testProfile && !app.isPackaged) app.setPath('userData', testProfile);

const debugging = app.isPackaged ? debuggingRequests(process.argv, process.env) : [];

if (debugging.length > 0) {
  // A debugger attached to an exam client could read or drive the exam page.
  dialog.showErrorBox('Invigil cannot start', `Invigil does not run with debugging enabled (${debugging.join(', ')}). Start it normally.`);
  app.exit(1);
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
  guardAllWebContents(app, { isPackaged: app.isPackaged, log });
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
  const handlers = createHandlers({
    info: { hostKind: 'desktop', appVersion: app.getVersion(), platform: process.platform, capabilities: desktopCapabilities },
    journal,
    settings,
    recording,
    uploads,
  });
  await registerOnIpcMain({ handlers, log });

  // The CSP is fixed for this run; a changed server URL takes effect at the next start.
  const { serverUrl } = await settings.get();
  serveRenderer({ protocol, rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)), csp: contentSecurityPolicy({ serverUrl }), log });
  applyPermissionPolicy(session.defaultSession, { log });

  forwardPowerEvents(powerMonitor, emit);

  createMainWindow({
    BrowserWindow,
    preloadPath: fileURLToPath(new URL('../preload/preload.cjs', import.meta.url)),
    isPackaged: app.isPackaged,
    log,
  });
  log.info('desktop host: started', { serverUrl, packaged: app.isPackaged });
}
