import { fail, ok, type Result } from '../../../../shared/result';
import type { Logger } from '../logger';
import { classifyMediaError, cameraErrorText, type CameraErrorCode } from './cameraErrors';
import type { CameraService, DeviceChoice, DeviceList, DeviceOption } from './cameraService';

/** The slice of `navigator.mediaDevices` the service uses, so tests can hand in a fake. */
export interface MediaDevicesLike {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  enumerateDevices(): Promise<MediaDeviceInfo[]>;
  addEventListener(type: 'devicechange', listener: () => void): void;
  removeEventListener(type: 'devicechange', listener: () => void): void;
}

export const VIDEO_CONSTRAINTS = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 15, max: 15 } } as const;

export function constraintsFor(choice: DeviceChoice): MediaStreamConstraints {
  return {
    video: { ...VIDEO_CONSTRAINTS, ...(choice.cameraId ? { deviceId: { exact: choice.cameraId } } : {}) },
    audio: {
      echoCancellation: true,
      noiseSuppression: true,
      ...(choice.microphoneId ? { deviceId: { exact: choice.microphoneId } } : {}),
    },
  };
}

/** `CameraService` on the browser's media devices (Chromium in Electron or in the web host). */
export class BrowserCameraService implements CameraService {
  constructor(private readonly o: { readonly devices: MediaDevicesLike | undefined; readonly log: Logger }) {}

  async open(choice: DeviceChoice): Promise<Result<MediaStream, CameraErrorCode>> {
    const devices = this.o.devices;
    if (!devices) return failWith('unsupported');
    try {
      return ok(await devices.getUserMedia(constraintsFor(choice)));
    } catch (error) {
      let code = classifyMediaError(error);
      // NotFoundError covers both kinds of device: say which one is missing.
      if (code === 'no_camera') {
        const list = await this.listDevices();
        if (list.cameras.length > 0 && list.microphones.length === 0) code = 'no_microphone';
      }
      this.o.log.warn('camera open failed', { code, name: (error as { name?: unknown } | null)?.name });
      return failWith(code);
    }
  }

  async listDevices(): Promise<DeviceList> {
    if (!this.o.devices) return { cameras: [], microphones: [] };
    try {
      const all = await this.o.devices.enumerateDevices();
      return {
        cameras: options(all, 'videoinput', 'Camera'),
        microphones: options(all, 'audioinput', 'Microphone'),
      };
    } catch (error) {
      this.o.log.warn('device list failed', { error: String(error) });
      return { cameras: [], microphones: [] };
    }
  }

  onDeviceChange(listener: () => void): () => void {
    const devices = this.o.devices;
    if (!devices) return () => {};
    devices.addEventListener('devicechange', listener);
    return () => devices.removeEventListener('devicechange', listener);
  }
}

function failWith(code: CameraErrorCode) {
  const t = cameraErrorText(code);
  return fail(code, `${t.problem} ${t.fix}`);
}

function options(all: readonly MediaDeviceInfo[], kind: MediaDeviceKind, noun: string): DeviceOption[] {
  // Before permission, browsers list devices with empty ids and labels; those cannot be chosen.
  const usable = all.filter((d) => d.kind === kind && d.deviceId !== '');
  return usable.map((d, i) => ({ id: d.deviceId, label: d.label || `${noun} ${i + 1}` }));
}
