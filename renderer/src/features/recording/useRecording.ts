import { useSyncExternalStore } from 'react';
import type { UploadProgress } from '../../../../shared/ipc/contract';
import { useServices } from '../../app/services';
import type { Recorder, RecorderStatus } from '../../services/recorder/recorder';

const NOT_RECORDING: RecorderStatus = { state: 'idle', take: null, takesStarted: 0, message: null };

/** The recorder for this session (null when another session, or none, is recording) and its status. */
export function useSessionRecorder(sessionId: string): { recorder: Recorder | null; status: RecorderStatus } {
  const { recording } = useServices();
  const recorder = useSyncExternalStore(
    (cb) => recording.subscribe(cb),
    () => {
      const active = recording.active();
      return active?.sessionId === sessionId ? active : null;
    },
  );
  const status = useSyncExternalStore(
    (cb) => recorder?.subscribe(cb) ?? (() => {}),
    () => recorder?.status ?? NOT_RECORDING,
  );
  return { recorder, status };
}

/** Latest upload progress the host reported for this session, or null before any. */
export function useUploadProgress(sessionId: string): UploadProgress | null {
  const { uploads } = useServices();
  return useSyncExternalStore(
    (cb) => uploads.subscribe(cb),
    () => uploads.snapshot().get(sessionId) ?? null,
  );
}

export function useAllUploads(): ReadonlyMap<string, UploadProgress> {
  const { uploads } = useServices();
  return useSyncExternalStore(
    (cb) => uploads.subscribe(cb),
    () => uploads.snapshot(),
  );
}

/** Bytes recorded for this session that the server has not confirmed yet. */
export function bytesWaiting(p: UploadProgress | null): number {
  return p ? p.pendingBytes + p.recordingBytes : 0;
}
