import type { Result } from '../../../../shared/result';
import type { CameraErrorCode } from '../camera/cameraErrors';

/** A still as the identity check keeps it: the JPEG to send, and a canvas to read and detect faces on. */
export interface Still {
  readonly jpeg: Blob;
  readonly width: number;
  readonly height: number;
  /** The same pixels, for OCR and face detection (never mirrored). */
  readonly canvas: HTMLCanvasElement;
  /** How the pixels were taken: the camera's photo mode, or a frame of the video stream. */
  readonly source: 'photo' | 'frame';
  /** An object URL of the JPEG for an `<img>` preview; released by `StillCamera.discard`. */
  readonly url: string;
}

/** A region of the video, in video pixels. */
export interface Region {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type StillErrorCode = 'no_frame' | 'encode_failed';

/**
 * The camera for the identity check's stills: opened at the highest resolution the camera
 * offers (its own stream, closed by the caller when the step ends, so the 640 × 480 recording
 * stream is never affected), small RGBA samples of the live picture for the card guide, and
 * full-resolution stills as JPEG.
 */
export interface StillCamera {
  /** Video only, at the camera's largest size (`cameraId` null: the system default). */
  open(cameraId: string | null): Promise<Result<MediaStream, CameraErrorCode>>;
  /** The `region` of the current frame scaled to `size`, as RGBA; null before the first frame. */
  sample(video: HTMLVideoElement, region: Region, size: { readonly width: number; readonly height: number }): ImageData | null;
  /** A still of what the camera sees now, at the highest resolution available, JPEG ~0.92. */
  capture(video: HTMLVideoElement, stream: MediaStream): Promise<Result<Still, StillErrorCode>>;
  /** Frees the still's preview URL. */
  discard(still: Still): void;
}

/** Base64 of a blob's bytes (the identity routes carry JPEGs in JSON). */
export async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}
