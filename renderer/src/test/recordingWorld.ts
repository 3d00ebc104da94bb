import type { InvigilHost, UploadProgress } from '../../../shared/ipc/contract';
import { ok } from '../../../shared/result';
import type { Services } from '../app/services';
import { silentLogger } from '../services/logger';
import { MediaRecorderRecorder } from '../services/recorder/mediaRecorderRecorder';
import { RecordingController } from '../services/recorder/recordingController';
import { UploadCoordinator } from '../services/uploads/uploadCoordinator';
import { FakeCamera, FakeMediaFactory, FakeRecordingHost } from './fakeMedia';

/** A fake host for uploads: scripted replies, recorded calls, and progress events pushed by the test. */
export class FakeUploadHost {
  authorized: Array<{ sessionId: string; token: string }> = [];
  listed: UploadProgress[] = [];
  listCalls = 0;
  status = new Map<string, UploadProgress>();
  freeBytes = 50e9;
  diskAsked: number[] = [];
  private listeners = new Set<(p: UploadProgress) => void>();

  readonly host = {
    'uploads:authorize': async ({ sessionId, token }: { sessionId: string; token: string }) => {
      this.authorized.push({ sessionId, token });
      return ok({});
    },
    'uploads:list': async () => {
      this.listCalls++;
      return ok({ sessions: this.listed });
    },
    'uploads:status': async ({ sessionId }: { sessionId: string }) => ok(this.status.get(sessionId) ?? progress(sessionId, {})),
    'recording:checkDisk': async ({ requiredBytes }: { requiredBytes: number }) => {
      this.diskAsked.push(requiredBytes);
      return ok({ freeBytes: this.freeBytes, enough: this.freeBytes >= requiredBytes * 1.1 });
    },
    on: (_event: string, listener: (p: UploadProgress) => void) => {
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    },
  };

  emit(p: UploadProgress) {
    for (const l of [...this.listeners]) l(p);
  }
}

export const progress = (sessionId: string, patch: Partial<UploadProgress>): UploadProgress => ({
  sessionId,
  state: 'idle',
  pendingSegments: 0,
  pendingBytes: 0,
  recordingBytes: 0,
  uploadedBytes: 0,
  bytesPerSecond: null,
  lastError: null,
  nextRetryAt: null,
  safeToClose: true,
  ...patch,
});

const timer = (fn: () => void, ms: number) => {
  const id = setTimeout(fn, ms);
  return () => clearTimeout(id);
};

/**
 * The recording side of `Services` with real controller, recorder and upload coordinator over fake
 * camera, MediaRecorder and host. `call` is the test's API fake.
 */
export function recordingWorld(call: Services['api']['call'], extraHost: Partial<Record<string, unknown>> = {}) {
  const camera = new FakeCamera();
  const media = new FakeMediaFactory();
  const journal = new FakeRecordingHost();
  const uploadHost = new FakeUploadHost();
  const host = { ...journal.host, ...uploadHost.host, ...extraHost } as unknown as InvigilHost;
  const storage = new Map<string, string>();
  const recording = new RecordingController({
    createRecorder: (sessionId, devices) =>
      new MediaRecorderRecorder({ sessionId, devices, host, camera, media, setTimeout: timer, now: () => new Date('2030-06-01T09:00:00.000Z'), log: silentLogger }),
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
    log: silentLogger,
  });
  const uploads = new UploadCoordinator({ host, api: { call }, setTimeout: timer, now: () => Date.now(), log: silentLogger });
  uploads.start();
  return { camera, media, journal, uploadHost, host, recording, uploads };
}
