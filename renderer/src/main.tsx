import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ServerClock } from '../../shared/domain/deadline';
import { App } from './app/App';
import { FatalScreen } from './app/FatalScreen';
import type { Services } from './app/services';
import { createHostBridge } from './bridge/createHostBridge';
import { HttpApiClient } from './services/api/apiClient';
import { AuthStore } from './services/api/authStore';
import { AnswerSync } from './services/answers/answerSync';
import { BrowserCameraService } from './services/camera/browserCameraService';
import { browserMediaRecorderFactory } from './services/recorder/mediaRecorderLike';
import { MediaRecorderRecorder } from './services/recorder/mediaRecorderRecorder';
import { RecordingController } from './services/recorder/recordingController';
import { UploadCoordinator } from './services/uploads/uploadCoordinator';
import { ClockSync } from './services/clock/clockSync';
import { consoleLogger } from './services/logger';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/exam.css';
import './styles/recording.css';
import './styles/identity.css';
import './styles/checks.css';
import './styles/review.css';
import './styles/staff.css';
import './styles/live.css';
import { LiveRegionAnnouncer } from './services/announcer';
import { BrowserOcrService } from './services/ocr/browserOcrService';
import { FaceApiService } from './services/face/faceApiService';
import { ExamLockdown } from './services/lockdown/examLockdown';
import type { KeyboardLockApi } from './services/lockdown/keyboardLock';
import { browserLockdown } from './services/lockdown/browserLockdown';
import { EVENT_OUTBOX_KEY_PREFIX, EventOutbox } from './services/lockdown/eventOutbox';
import { osFamily, policyRules } from './services/lockdown/policyRules';
import { BrowserStillCamera } from './services/stillCapture/browserStillCamera';
import { browserSystemCheckEnvironment } from './services/systemCheck/browserSystemCheckEnvironment';
import { MediaExamMonitor } from './services/monitoring/examMonitor';
import { browserMonitorMedia } from './services/monitoring/browserMonitorMedia';
import { IdentityFaces } from './services/monitoring/identityFaces';
import { HostStorage } from './services/storage/hostStorage';
import { browserLiveServices } from './services/live/liveServices';
import type { LiveWebSocketCtor } from './services/live/liveSocket';

/** Composition root: the only place that creates concrete services and touches globals. */
async function boot(): Promise<void> {
  const container = document.getElementById('root');
  if (!container) throw new Error('index.html has no #root');
  const root = createRoot(container);
  const log = consoleLogger(console);

  // Bugs outside React's render still get logged; the page is never reloaded for them.
  window.addEventListener('error', (e) => log.error('uncaught error', { message: e.message }));
  window.addEventListener('unhandledrejection', (e) => log.error('unhandled rejection', { reason: String(e.reason) }));

  const host = createHostBridge(window, log);
  const [info, settings] = await Promise.all([host['app:getInfo']({}), host['settings:get']({})]);
  if (!info.ok || !settings.ok) {
    const error = !info.ok ? info.error : !settings.ok ? settings.error : null;
    log.error('host not available', { code: error?.code });
    root.render(<FatalScreen title="Invigil cannot start" detail={`${error?.code ?? 'unknown'}: the app's background service did not answer.`} />);
    return;
  }
  const serverUrl = settings.value.serverUrl;

  const monotonicNow = () => performance.now();
  const clock = new ServerClock(monotonicNow);
  const timers = {
    setTimeout: (fn: () => void, ms: number) => window.setTimeout(fn, ms),
    clearTimeout: (handle: unknown) => window.clearTimeout(handle as number),
  };
  const api = new HttpApiClient({
    baseUrl: () => Promise.resolve(serverUrl),
    fetch: window.fetch.bind(window),
    auth: new AuthStore(window.sessionStorage),
    clock,
    monotonicNow,
    log,
  });
  const setIntervalFn = (fn: () => void, ms: number) => {
    const id = window.setInterval(fn, ms);
    return () => window.clearInterval(id);
  };
  const clockSync = new ClockSync({ api, setInterval: setIntervalFn, log });

  // Anything that may have moved the local clock or the link: take a fresh server sample.
  const resync = () => void clockSync.syncNow();
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && resync());
  window.addEventListener('online', resync);
  host.on('power:onChange', ({ state }) => state === 'resume' && resync());

  const setTimeoutFn = (fn: () => void, ms: number) => {
    const id = window.setTimeout(fn, ms);
    return () => window.clearTimeout(id);
  };
  // Undefined outside a secure context; the camera service then answers `unsupported`.
  const camera = new BrowserCameraService({ devices: navigator.mediaDevices as MediaDevices | undefined, log });
  const media = browserMediaRecorderFactory(window.MediaRecorder);
  const recording = new RecordingController({
    createRecorder: (sessionId, devices) =>
      new MediaRecorderRecorder({ sessionId, devices, host, camera, media, setTimeout: setTimeoutFn, now: () => new Date(), log }),
    storage: window.localStorage,
    log,
  });
  const uploads = new UploadCoordinator({ host, api, setTimeout: setTimeoutFn, now: () => Date.now(), log });
  uploads.start();

  // The session event outbox and the face reference: in the desktop host's encrypted store (what an
  // earlier version left in localStorage is moved there); a browser taking the trial test keeps
  // them in its own localStorage.
  const [eventStorage, faceStorage] =
    info.value.hostKind === 'desktop'
      ? await Promise.all([
          HostStorage.open({ host, namespace: 'events', log, migrate: { from: window.localStorage, prefix: EVENT_OUTBOX_KEY_PREFIX } }),
          HostStorage.open({ host, namespace: 'identity', log, migrate: { from: window.localStorage, prefix: IdentityFaces.key('') } }),
        ])
      : [window.localStorage, window.localStorage];

  const lockdown = new ExamLockdown({
    host,
    desktop: info.value.hostKind === 'desktop',
    // `navigator.keyboard` (Keyboard Lock API) exists in Chromium only; not in TypeScript's DOM types.
    browser: browserLockdown({ document, window, screen: window.screen, now: () => new Date(), keyboard: (navigator as { keyboard?: KeyboardLockApi }).keyboard }),
    rules: policyRules(osFamily(info.value.platform), () => crypto.randomUUID()),
    outbox: (sessionId) => new EventOutbox(sessionId, { api, storage: eventStorage, setTimeout: setTimeoutFn, log }),
    now: () => new Date(),
    log,
  });

  const faces = new FaceApiService({ log });
  const monitor = new MediaExamMonitor({
    faces,
    media: browserMonitorMedia({ document, AudioContext: window.AudioContext, log }),
    // The lockdown's outbox key too: both append to the session's one durable queue.
    outbox: (sessionId) => new EventOutbox(sessionId, { api, storage: eventStorage, setTimeout: setTimeoutFn, log }),
    identity: new IdentityFaces(faceStorage, log),
    now: () => Date.now(),
    monotonic: monotonicNow,
    setInterval: setIntervalFn,
    newId: () => crypto.randomUUID(),
    // Durations only, observable by a PerformanceObserver (bench:capture); cleared so hours of exam keep no buffer.
    measure: (name, start, end) => {
      performance.measure(`invigil.${name}`, { start, end });
      performance.clearMeasures(`invigil.${name}`);
    },
    log,
  });

  const services: Services = {
    host,
    appInfo: info.value,
    api,
    clock,
    clockSync,
    createAnswerSync: (sessionId) =>
      new AnswerSync({ sessionId, journal: host, api, timers, now: () => new Date(), log }),
    camera,
    recording,
    uploads,
    ocr: new BrowserOcrService({ log }),
    faces,
    lockdown,
    monitor,
    live: browserLiveServices({
      serverUrl: () => Promise.resolve(serverUrl),
      auth: api,
      WebSocket: window.WebSocket as unknown as LiveWebSocketCtor,
      createStream: (track) => new MediaStream([track]),
      setTimeout: setTimeoutFn,
      random: Math.random,
      log,
    }),
    stills: new BrowserStillCamera({
      devices: navigator.mediaDevices as MediaDevices | undefined,
      document,
      imageCapture: (window as { ImageCapture?: ConstructorParameters<typeof BrowserStillCamera>[0]['imageCapture'] }).ImageCapture,
      createImageBitmap: (blob) => window.createImageBitmap(blob),
      createObjectURL: (blob) => URL.createObjectURL(blob),
      revokeObjectURL: (url) => URL.revokeObjectURL(url),
      log,
    }),
    systemCheck: browserSystemCheckEnvironment({ window, uploadProbe: (bytes) => api.postBytes('bandwidthProbe', {}, bytes), log }),
    setInterval: setIntervalFn,
    setTimeout: setTimeoutFn,
    onOnline: (listener) => {
      window.addEventListener('online', listener);
      return () => window.removeEventListener('online', listener);
    },
    now: () => Date.now(),
    announcer: new LiveRegionAnnouncer(document.getElementById('announcer') ?? document.body.appendChild(liveRegion())),
    log,
  };
  root.render(
    <StrictMode>
      <App services={services} />
    </StrictMode>,
  );
}

/** The announcer's live region, if index.html lacks one. */
function liveRegion(): HTMLElement {
  const region = document.createElement('div');
  region.className = 'visually-hidden';
  region.setAttribute('aria-live', 'assertive');
  region.setAttribute('aria-atomic', 'true');
  return region;
}

void boot();
