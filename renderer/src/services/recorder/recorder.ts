import type { Result } from '../../../../shared/result';
import type { CameraErrorCode } from '../camera/cameraErrors';

export type RecorderState =
  /** Not started yet. */
  | 'idle'
  /** Opening the camera or the take. */
  | 'starting'
  | 'recording'
  /** The camera stopped; the recorder keeps trying to reopen it and starts a new take when it can. */
  | 'camera_lost'
  /** The disk filled up: recording stopped cleanly; the exam continues. */
  | 'disk_full'
  /** The host did not take the recording (it restarted or failed); retrying. */
  | 'host_error'
  /** Stopped for good (submitted or left). */
  | 'stopped';

export interface RecorderStatus {
  readonly state: RecorderState;
  /** The take being recorded, or null between takes. */
  readonly take: number | null;
  /** Takes started by this recorder (a reload or a camera lost and found starts another). */
  readonly takesStarted: number;
  /** A sentence for the learner when something is wrong, with what to do. */
  readonly message: string | null;
}

export type RecorderStartError = CameraErrorCode | 'disk_full' | 'host_error' | 'stopped';

/**
 * One session's camera recording, from exam start to submit. Failures never escape as errors:
 * they become a state the UI shows, and the recorder recovers where it can (new take).
 */
export interface Recorder {
  readonly sessionId: string;
  readonly status: RecorderStatus;
  /** The live camera stream while recording, for the self-view; null otherwise. */
  readonly stream: MediaStream | null;
  subscribe(listener: () => void): () => void;
  /** Opens the camera and starts a take. On failure the recorder keeps trying in the background. */
  start(): Promise<Result<null, RecorderStartError>>;
  /** Ends the take (`endTake` with the reason) after the last chunk is written, and releases the camera. */
  stop(reason: 'submitted' | 'interrupted'): Promise<void>;
  /** Try a new take now (after the learner freed disk space, or the host came back). */
  retry(): void;
}

export const recorderMessages = {
  camera_lost:
    'Your camera stopped, so you are not being recorded. Check that the camera is plugged in and that no other app (Zoom, Teams) ' +
    'is using it. Recording starts again by itself when the camera is back.',
  disk_full:
    'Recording stopped because this computer’s disk is full. Your answers are still saved and your exam continues; the proctor ' +
    'will see when the recording stopped. If you can, free some disk space (empty the Recycle Bin or Trash, delete large files ' +
    'you do not need), then choose Record again.',
  host_error: 'Recording is paused: the app’s background service did not accept the recording. Trying again…',
} as const;
