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
import { LiveRegionAnnouncer } from './services/announcer';
import { BrowserOcrService } from './services/ocr/browserOcrService';
import { FaceApiService } from './services/face/faceApiService';
import { ExamLockdown } from './services/lockdown/examLockdown';
import { browserLockdown } from './services/lockdown/browserLockdown';
import { EventOutbox } from './services/lockdown/eventOutbox';
import { osFamily, policyRules } from './services/lockdown/policyRules';
import { BrowserStillCamera } from './services/stillCapture/browserStillCamera';
import { browserSystemCheckEnvironment } from './services/systemCheck/browserSystemCheckEnvironment';
import { MediaExamMonitor } from './services/monitoring/examMonitor';
import { browserMonitorMedia } from './services/monitoring/browserMonitorMedia';
import { IdentityFaces } from './services/monitoring/identityFaces';

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

  const lockdown = new ExamLockdown({
    host,
    desktop: info.value.hostKind === 'desktop',
    browser: browserLockdown({ document, window, screen: window.screen, now: () => new Date() }),
    rules: policyRules(osFamily(info.value.platform), () => crypto.randomUUID()),
    outbox: (sessionId) => new EventOutbox(sessionId, { api, storage: window.localStorage, setTimeout: setTimeoutFn, log }),
    now: () => new Date(),
    log,
  });

  const faces = new FaceApiService({ log });
  const monitor = new MediaExamMonitor({
    faces,
    media: browserMonitorMedia({ document, AudioContext: window.AudioContext, log }),
    // The lockdown's outbox key too: both append to the session's one durable queue.
    outbox: (sessionId) => new EventOutbox(sessionId, { api, storage: window.localStorage, setTimeout: setTimeoutFn, log }),
    identity: new IdentityFaces(window.localStorage, log),
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
