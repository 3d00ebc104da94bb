import { fail, ok, type Result } from '../../../../shared/result';
import { classifyMediaError, cameraErrorText, type CameraErrorCode } from '../camera/cameraErrors';
import type { MediaDevicesLike } from '../camera/browserCameraService';
import type { Logger } from '../logger';
import type { Region, Still, StillCamera, StillErrorCode } from './stillCamera';

/** Asks for more than any webcam gives: the browser then picks the camera's largest mode. */
const LARGEST = { width: { ideal: 4096 }, height: { ideal: 2160 } } as const;
const JPEG_QUALITY = 0.92;
/** A camera whose photo mode does not answer in this time is treated as having none. */
const PHOTO_TIMEOUT_MS = 3000;

interface ImageCaptureLike {
  getPhotoCapabilities(): Promise<{ imageWidth?: { max?: number }; imageHeight?: { max?: number } }>;
  takePhoto(settings?: { imageWidth?: number; imageHeight?: number }): Promise<Blob>;
}
type ImageCaptureCtor = new (track: MediaStreamTrack) => ImageCaptureLike;

export interface BrowserStillCameraOptions {
  readonly devices: MediaDevicesLike | undefined;
  readonly document: Document;
  /** `window.ImageCapture` where the browser has it (Chromium). */
  readonly imageCapture: ImageCaptureCtor | undefined;
  readonly createImageBitmap: (blob: Blob) => Promise<ImageBitmap>;
  readonly createObjectURL: (blob: Blob) => string;
  readonly revokeObjectURL: (url: string) => void;
  readonly log: Logger;
}

/** `StillCamera` on the browser's media devices, canvas and (where present) ImageCapture. */
export class BrowserStillCamera implements StillCamera {
  private sampler: HTMLCanvasElement | null = null;

  constructor(private readonly o: BrowserStillCameraOptions) {}

  async open(cameraId: string | null): Promise<Result<MediaStream, CameraErrorCode>> {
    const devices = this.o.devices;
    if (!devices) return failCamera('unsupported');
    try {
      return ok(await devices.getUserMedia({ video: { ...LARGEST, ...(cameraId ? { deviceId: { exact: cameraId } } : {}) }, audio: false }));
    } catch (error) {
      const code = classifyMediaError(error);
      this.o.log.warn('still camera open failed', { code });
      return failCamera(code);
    }
  }

  sample(video: HTMLVideoElement, region: Region, size: { readonly width: number; readonly height: number }): ImageData | null {
    if (video.readyState < 2 || video.videoWidth === 0) return null;
    this.sampler ??= this.o.document.createElement('canvas');
    const canvas = this.sampler;
    if (canvas.width !== size.width || canvas.height !== size.height) {
      canvas.width = size.width;
      canvas.height = size.height;
    }
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return null;
    ctx.drawImage(video, region.x, region.y, region.width, region.height, 0, 0, size.width, size.height);
    return ctx.getImageData(0, 0, size.width, size.height);
  }

  async capture(video: HTMLVideoElement, stream: MediaStream): Promise<Result<Still, StillErrorCode>> {
    if (video.readyState < 2 || video.videoWidth === 0) return fail('no_frame', 'The camera has not shown a picture yet.');
    // The frame first, synchronously: it is the picture the learner (or the auto-capture) judged.
    const frame = this.o.document.createElement('canvas');
    frame.width = video.videoWidth;
    frame.height = video.videoHeight;
    frame.getContext('2d')?.drawImage(video, 0, 0);
    const photo = await this.photoIfLarger(stream, frame.width, frame.height);
    const canvas = photo ?? frame;
    const jpeg = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY));
    if (!jpeg) return fail('encode_failed', 'The photo could not be saved.');
    const url = this.o.createObjectURL(jpeg);
    this.o.log.info('still taken', { width: canvas.width, height: canvas.height, bytes: jpeg.size, source: photo ? 'photo' : 'frame' });
    return ok({ jpeg, width: canvas.width, height: canvas.height, canvas, source: photo ? 'photo' : 'frame', url });
  }

  discard(still: Still): void {
    this.o.revokeObjectURL(still.url);
  }

  /** The camera's photo mode, when it gives more pixels than the video (many webcams do); else null. */
  private async photoIfLarger(stream: MediaStream, width: number, height: number): Promise<HTMLCanvasElement | null> {
    const Ctor = this.o.imageCapture;
    const track = stream.getVideoTracks()[0];
    if (!Ctor || !track) return null;
    try {
      const capture = new Ctor(track);
      const caps = await withTimeout(capture.getPhotoCapabilities());
      const maxW = caps.imageWidth?.max ?? 0;
      const maxH = caps.imageHeight?.max ?? 0;
      if (maxW * maxH <= width * height) return null;
      const blob = await withTimeout(capture.takePhoto({ imageWidth: maxW, imageHeight: maxH }));
      const bitmap = await this.o.createImageBitmap(blob);
      const canvas = this.o.document.createElement('canvas');
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
      bitmap.close();
      this.o.log.info('still from photo mode', { width: canvas.width, height: canvas.height, videoWidth: width, videoHeight: height });
      return canvas;
    } catch (error) {
      this.o.log.warn('photo mode failed; using the video frame', { error: String(error) });
      return null;
    }
  }
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('photo mode timed out')), PHOTO_TIMEOUT_MS);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function failCamera(code: CameraErrorCode) {
  const t = cameraErrorText(code);
  return fail(code, `${t.problem} ${t.fix}`);
}
