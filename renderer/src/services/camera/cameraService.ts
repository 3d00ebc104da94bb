import type { Result } from '../../../../shared/result';
import type { CameraErrorCode } from './cameraErrors';

export interface DeviceOption {
  readonly id: string;
  /** The device's name; a numbered fallback before the learner has granted permission (browsers hide names until then). */
  readonly label: string;
}

export interface DeviceList {
  readonly cameras: readonly DeviceOption[];
  readonly microphones: readonly DeviceOption[];
}

/** Which devices to use; null means the system default. */
export interface DeviceChoice {
  readonly cameraId: string | null;
  readonly microphoneId: string | null;
}

export const DEFAULT_DEVICES: DeviceChoice = { cameraId: null, microphoneId: null };

/**
 * The learner's camera and microphone. Opening asks for 640×480 at no more than 15 fps plus audio:
 * enough for a proctor to see the learner, cheap enough to record on a modest laptop.
 */
export interface CameraService {
  open(choice: DeviceChoice): Promise<Result<MediaStream, CameraErrorCode>>;
  listDevices(): Promise<DeviceList>;
  /** A camera or microphone was plugged in or removed. */
  onDeviceChange(listener: () => void): () => void;
}

/** Calls `listener` once when any track of the stream ends (unplugged, permission revoked, driver reset). */
export function onStreamEnded(stream: MediaStream, listener: () => void): () => void {
  let fired = false;
  const tracks = stream.getTracks();
  const handler = () => {
    if (fired) return;
    fired = true;
    listener();
  };
  for (const track of tracks) track.addEventListener('ended', handler);
  return () => {
    for (const track of tracks) track.removeEventListener('ended', handler);
  };
}

export function isLive(stream: MediaStream): boolean {
  const tracks = stream.getTracks();
  return tracks.length > 0 && tracks.every((t) => t.readyState === 'live');
}

export function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
