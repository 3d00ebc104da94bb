import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { release as osRelease } from 'node:os';
import { app, BrowserWindow, clipboard, dialog, Menu, net, powerMonitor, powerSaveBlocker, protocol, safeStorage, screen, session, WebContentsView } from 'electron';
import originalFs from 'original-fs';
import { attachAttestationHeader, privateStoreBox, safeStorageBox } from './adapters/attestation';
import si from 'systeminformation';
import { IsolatedClipboard } from './adapters/clipboard';
import { CrashRecovery, handleProcessErrors } from './adapters/crashRecovery';
import { readDisplays } from './adapters/displays';
import { DesktopLockdown } from './adapters/lockdown';
import { NetHttpStack } from './adapters/netHttpStack';
import { applyPermissionPolicy } from './adapters/permissions';
import { decideX11, describePlatform, type PlatformFacts } from './adapters/platformSession';
import { forwardPowerEvents } from './adapters/power';
import { registerAppScheme, serveRenderer } from './adapters/protocol';
import { finishBeforeQuit, releaseOnSessionEnd } from './adapters/shutdown';
import { createMainWindow, guardAllWebContents } from './adapters/window';
import { DEFAULT_SERVER_URL, DEPLOYMENT_SETTINGS_FILE, serverUrlOverride, serverUrlOverrideRequested } from './config';
import { desktopCapabilities } from './ipc/capabilities';
import { createEventEmitter, registerOnIpcMain } from './ipc/electronTransport';
import { createHandlers } from './ipc/handlers';
import { jsonLinesLogger, streamSink, teeSinks, type LogSink } from './log';
import { contentSecurityPolicy } from './security/csp';
import { debuggingRequests, launchRefusalMessage } from './security/launchFlags';
import { FsAnswerJournal } from './services/answerJournal';
import { FsInstallKey } from './services/installKey';
import { RotatingLogFile } from './services/logFile';
import { FsPrivateStore } from './services/privateStore';
import { readRangeWith, releaseKeyOfAsar, releaseKeyOfDirectory } from './services/releaseKey';
import { FsRecordingJournal } from './services/recordingJournal';
import { FsSettingsStore } from './services/settingsStore';
import { SiSystemProbe } from './services/systemProbe';
import { TusUploader } from './services/uploader';

// Composition root of the desktop host: builds the concrete services and wires them to Electron.
// Everything with logic lives in services/, ipc/ and adapters/ where tests can reach it.

// Tests run the unpackaged app with a throwaway profile. Never honoured when packaged: a second
// profile would let a learner start a second copy beside the single-instance lock.
const testProfile = process.env.INVIGIL_USER_DATA;
if (testProfile && !app.isPackaged) app.setPath('userData', testProfile);

// stdout for whoever launched the app (its write errors ignored: EPIPE once that pipe closes), and a
// rotating file in the app's logs folder for support after an incident on a learner's computer.
const log = jsonLinesLogger(teeSinks(streamSink(process.stdout), logFileSink()), Date.now);

function logFileSink(): LogSink {
  try {
    return new RotatingLogFile({ dir: app.getPath('logs'), maxBytes: 5 * 1024 * 1024, files: 3 }).write;
  } catch {
    return () => undefined; // no logs folder: stdout only
  }
}

/** Reloads a crashed or hung exam page, and releases the lockdown when the app cannot go on (set in start()). */
let recovery: CrashRecovery | null = null;
handleProcessErrors(
  process,
  async (origin, error) => {
    if (recovery !== null) return recovery.mainProcessError(origin, error);
    // Before start-up finished nothing is locked down: the learner can quit as usual.
    log.error('desktop host: error in the main process before start-up finished', { origin, error: error instanceof Error ? error.name : typeof error });
  },
  log,
);

/** The translator views' contents: their navigation rules are the translator adapter's, not the app's. */
const translatorContents = new WeakSet<object>();

// A debugger attached to an exam client could read or drive the exam page. A packaged build refuses
// to start at all; a development build starts (tools such as Playwright's _electron attach this way)
// but refuses to lock an exam down, unless a developer says INVIGIL_DEV_ALLOW_DEBUGGING=1.
const debugging = debuggingRequests(process.argv, process.env, process.execArgv);
const devDebuggingAllowed = !app.isPackaged && process.env.INVIGIL_DEV_ALLOW_DEBUGGING === '1';
const launchProblem = debugging.length > 0 && !devDebuggingAllowed ? launchRefusalMessage(debugging) : null;

// The computer and the display server Electron chose (it writes its ozone choice on the command line).
const platformFacts = (): PlatformFacts => ({
  platform: process.platform,
  release: osRelease(),
  env: process.env,
  ozonePlatform: app.commandLine.getSwitchValue('ozone-platform'),
});
// On Wayland the lockdown loses always-on-top, placement and focus: an installed app with XWayland
// at hand starts again on X11 (adapters/platformSession.ts says why this cannot be a switch set here).
const x11 = decideX11({ ...platformFacts(), argv: process.argv, packaged: app.isPackaged });
if (!x11.relaunch && x11.reason === 'development') {
  log.warn('desktop host: running on Wayland; start with --ozone-platform=x11 for the lockdown learners get');
}

if (app.isPackaged && launchProblem !== null) {
  log.error('desktop host: refused a debugging launch', { switches: debugging.join(',') });
  // Before 'ready' Linux prints the dialog to stderr only: wait, so the learner sees why nothing starts.
  void app.whenReady().then(() => {
    dialog.showErrorBox('Invigil cannot start', launchProblem);
    app.exit(1);
  });
} else if (x11.relaunch) {
  log.info('desktop host: starting again on X11 (XWayland) for a stronger lockdown');
  void app.whenReady().then(() => {
    app.relaunch({ args: [...x11.args] });
    app.exit(0);
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
  // What the lockdown can do here depends on it (shared/domain/lockdownCapabilities.ts).
  const platform = describePlatform(platformFacts());
  // Deployment-owned: beside app.asar, where the learner cannot write. The command line and the
  // environment may choose the server in a development build only.
  const override = serverUrlOverride(process.argv, process.env, { packaged: app.isPackaged });
  if (app.isPackaged && serverUrlOverrideRequested(process.argv, process.env)) {
    log.warn('desktop host: --server-url / INVIGIL_SERVER_URL ignored in an installed app');
  }
  const settings = new FsSettingsStore({
    file: join(process.resourcesPath, DEPLOYMENT_SETTINGS_FILE),
    defaults: { serverUrl: DEFAULT_SERVER_URL },
    overrides: override === undefined ? {} : { serverUrl: override },
    log,
  });
  // A misconfigured deployment stops here, with the sentence naming the file (shown in a dialog).
  await settings.get();
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
    // Chromium's network stack: the system proxy and certificate store, as for the exam page.
    httpStack: new NetHttpStack(net),
  });
  // Finds recordings left by an earlier run (closing takes a crash left open) before the UI can ask.
  await uploads.start();
  // Quitting waits for the uploader and the recording journal to close, at most 5 s.
  const shutdown = finishBeforeQuit({
    app,
    flush: async () => {
      await uploads.close();
      await recording.close();
    },
    timeoutMs: 5000,
    log,
  });
  const probe = new SiSystemProbe({ si, displays: () => readDisplays(screen), platform: process.platform, now: Date.now, log });
  let examWindow: BrowserWindow | null = null;
  const lockdown = new DesktopLockdown({
    examWindow: () => (examWindow !== null && !examWindow.isDestroyed() ? examWindow : null),
    menu: Menu,
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
    platform,
    log,
    launchProblem,
    nonce: randomUUID,
  });
  recovery = new CrashRecovery({
    lockdown,
    tell: async (message) => {
      await dialog.showMessageBox({ type: 'error', title: message.title, message: message.message, detail: message.detail, buttons: ['Close Invigil'], defaultId: 0, noLink: true });
    },
    quit: () => app.quit(),
    now: Date.now,
    log,
  });
  const handlers = createHandlers({
    info: { hostKind: 'desktop', appVersion: app.getVersion(), platform: process.platform, capabilities: desktopCapabilities(platform) },
    journal,
    settings,
    recording,
    uploads,
    probe,
    lockdown,
    attestation: new FsInstallKey({ dataDir, box: safeStorageBox(safeStorage, process.platform, log), log }),
    // The event outbox and the face reference, sealed with safeStorage instead of the page's localStorage.
    privateStore: new FsPrivateStore({ dataDir, box: privateStoreBox(safeStorage, process.platform, log), log }),
  });
  await registerOnIpcMain({ handlers, log });

  // The CSP is fixed for this run; a changed server URL takes effect at the next start.
  const { serverUrl } = await settings.get();
  // The release key of this very build: its asar header when packaged, its out/ files in development.
  const releaseKey = app.isPackaged
    ? await releaseKeyOfAsar(join(process.resourcesPath, 'app.asar'), readRangeWith(originalFs.promises))
    : await releaseKeyOfDirectory(join(app.getAppPath(), 'out'));
  attachAttestationHeader(session.defaultSession, { serverOrigin: new URL(serverUrl).origin, releaseKey });
  serveRenderer({ protocol, rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)), csp: contentSecurityPolicy({ serverUrl }), log });
  applyPermissionPolicy(session.defaultSession, { log });

  forwardPowerEvents(powerMonitor, emit);

  examWindow = createMainWindow({
    BrowserWindow,
    preloadPath: fileURLToPath(new URL('../preload/preload.cjs', import.meta.url)),
    isPackaged: app.isPackaged,
    log,
  });
  recovery.watch(examWindow.webContents);
  releaseOnSessionEnd(examWindow, { lockdown, shutdown, log });
  log.info('desktop host: started', {
    serverUrl,
    packaged: app.isPackaged,
    debugging: debugging.join(',') || 'none',
    os: platform.os,
    osVersion: platform.osVersion,
    session: platform.session ?? 'none',
  });
}
