import { createContext, useContext, useSyncExternalStore } from 'react';
import type { UserView } from '../../../shared/api/auth';
import type { AppInfo, InvigilHost } from '../../../shared/ipc/contract';
import type { ApiClient } from '../services/api/apiClient';
import type { AnswerSync } from '../services/answers/answerSync';
import type { CameraService } from '../services/camera/cameraService';
import type { RecordingController } from '../services/recorder/recordingController';
import type { UploadCoordinator } from '../services/uploads/uploadCoordinator';
import type { ClockSync } from '../services/clock/clockSync';
import type { RemainingSource } from '../services/clock/sectionCountdown';
import type { Logger } from '../services/logger';
import type { Announcer } from '../services/announcer';
import type { FaceService } from '../services/face/faceService';
import type { OcrService } from '../services/ocr/ocrService';
import type { StillCamera } from '../services/stillCapture/stillCamera';
import type { SystemCheckEnvironment } from '../services/systemCheck/systemCheckEnvironment';
import type { LockdownService } from '../services/lockdown/lockdownService';
import type { ExamMonitor } from '../services/monitoring/examMonitor';
import type { LiveServices } from '../services/live/liveServices';

/** Everything the pages use, built once by the composition root (main.tsx) and fakeable in tests. */
export interface Services {
  readonly host: InvigilHost;
  readonly appInfo: AppInfo;
  readonly api: ApiClient;
  readonly clock: RemainingSource;
  readonly clockSync: ClockSync;
  readonly createAnswerSync: (sessionId: string) => AnswerSync;
  readonly camera: CameraService;
  /** The session recording that outlives pages (start page → player → submit). */
  readonly recording: RecordingController;
  /** Upload tokens for the host's uploader, and upload progress per session. */
  readonly uploads: UploadCoordinator;
  /** Offline ID reading (tesseract.js), one long-lived worker warmed during the system check. */
  readonly ocr: OcrService;
  /** Face detection and descriptors (identity check, monitoring). */
  readonly faces: FaceService;
  /** The identity check's camera: largest-size stream, guide samples, full-resolution stills. */
  readonly stills: StillCamera;
  /** The browser half of the system check: camera frames, microphone level, bandwidth probe, screen facts. */
  readonly systemCheck: SystemCheckEnvironment;
  /** Kiosk or full screen from Begin to submit, and the events it sees. */
  readonly lockdown: LockdownService;
  /** Faces, voice and camera during the exam: capture flags for the proctor, prompts for the learner. */
  readonly monitor: ExamMonitor;
  /** Live proctoring: the learner's camera and microphone to the SFU, the proctor's Live page. */
  readonly live: LiveServices;
  readonly setInterval: (fn: () => void, ms: number) => () => void;
  readonly setTimeout: (fn: () => void, ms: number) => () => void;
  /** Subscribes to the browser's `online` event. */
  readonly onOnline: (listener: () => void) => () => void;
  /** Wall-clock epoch ms, for display decisions only (exam windows); deadlines use `clock`. */
  readonly now: () => number;
  /** Urgent messages for screen readers (deadline warnings), heard even behind a dialog. */
  readonly announcer: Announcer;
  readonly log: Logger;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesContext');
  return services;
}

export function useCurrentUser(): UserView | null {
  const { api } = useServices();
  return useSyncExternalStore(
    (cb) => api.onUserChange(cb),
    () => api.currentUser(),
  );
}
