import type { UploadProgress } from '../../../../shared/ipc/contract';
import type { RecorderStatus } from '../../services/recorder/recorder';
import { formatBytes } from './format';
import { bytesWaiting } from './useRecording';

export function recordingIndicatorText(status: RecorderStatus, upload: UploadProgress | null): string {
  switch (status.state) {
    case 'recording': {
      const waiting = bytesWaiting(upload);
      return waiting > 0 ? `Recording · ${formatBytes(waiting)} waiting to upload` : 'Recording';
    }
    case 'idle':
    case 'starting':
      return 'Starting the recording…';
    case 'camera_lost':
      return 'Not recording · camera stopped';
    case 'disk_full':
      return 'Not recording · disk full';
    case 'host_error':
      return 'Recording paused · retrying';
    case 'stopped':
      return 'Recording ended';
  }
}

/**
 * The footer's quiet recording line, beside the autosave status. Deliberately not a live region
 * (aria-live off): it changes every few seconds and must not talk over the exam. Problems are
 * announced by the player's alert instead.
 */
export function RecordingIndicator({ status, upload }: { readonly status: RecorderStatus; readonly upload: UploadProgress | null }) {
  const tone = status.state === 'recording' ? 'on' : status.state === 'idle' || status.state === 'starting' ? 'starting' : 'off';
  return (
    <p className={`recording-indicator recording-indicator--${tone}`} aria-live="off">
      <span className="recording-indicator__dot" aria-hidden="true">
        ●
      </span>{' '}
      {recordingIndicatorText(status, upload)}
    </p>
  );
}
