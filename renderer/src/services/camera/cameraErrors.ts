export const cameraErrorCodes = ['permission_denied', 'device_busy', 'no_camera', 'no_microphone', 'constraints', 'unsupported', 'unknown'] as const;
export type CameraErrorCode = (typeof cameraErrorCodes)[number];

export interface CameraErrorText {
  /** What happened, in one sentence. */
  readonly problem: string;
  /** What the learner can do about it. */
  readonly fix: string;
}

const text: Record<CameraErrorCode, CameraErrorText> = {
  permission_denied: {
    problem: 'Invigil is not allowed to use your camera and microphone.',
    fix:
      'Allow the camera and microphone for Invigil: in a browser, select the camera icon in the address bar and choose Allow; ' +
      'on Windows, open Settings › Privacy › Camera (and Microphone) and turn access on; on macOS, open System Settings › ' +
      'Privacy & Security › Camera (and Microphone) and turn Invigil on. Then choose Try again.',
  },
  device_busy: {
    problem: 'Your camera is being used by another app, so Invigil cannot start it.',
    fix: 'Close Zoom, Teams, Skype and any other app that uses the camera, then choose Try again.',
  },
  no_camera: {
    problem: 'No camera was found on this computer.',
    fix: 'Connect a webcam or turn on the built-in camera, then choose Try again.',
  },
  no_microphone: {
    problem: 'No microphone was found on this computer.',
    fix: 'Connect a microphone or a headset with a microphone, then choose Try again.',
  },
  constraints: {
    problem: 'The selected camera cannot record at 640 × 480.',
    fix: 'Choose another camera, or connect a different webcam, then choose Try again.',
  },
  unsupported: {
    problem: 'The camera cannot be used here.',
    fix: 'Use the Invigil desktop app. In a web browser, the page must be opened over a secure address (https or localhost).',
  },
  unknown: {
    problem: 'The camera could not be started.',
    fix: 'Unplug the camera and plug it in again (or restart your computer), then choose Try again.',
  },
};

export function cameraErrorText(code: CameraErrorCode): CameraErrorText {
  return text[code];
}

/** Maps what `getUserMedia` throws (a DOMException by name) to a code. */
export function classifyMediaError(error: unknown): CameraErrorCode {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'permission_denied';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'device_busy';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
      return 'no_camera';
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return 'constraints';
    case 'TypeError':
      return 'unsupported';
    default:
      return 'unknown';
  }
}
