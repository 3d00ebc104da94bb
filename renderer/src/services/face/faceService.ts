import type { FaceBox } from '../../../../shared/api/identity';
import type { Result } from '../../../../shared/result';

export type FaceErrorCode = 'model_unavailable' | 'detect_failed';

export type FaceImage = HTMLVideoElement | HTMLCanvasElement | HTMLImageElement | ImageBitmap;

export interface FaceDetection {
  readonly box: FaceBox;
  /** 128-D descriptor (face-api), present when asked for with `withDescriptor`. */
  readonly descriptor: Float32Array | null;
  /** The 68 landmarks (iBUG order) in the image's pixels, present when asked for with `withLandmarks`. */
  readonly landmarks?: readonly FacePoint[] | null;
}

export interface FacePoint {
  readonly x: number;
  readonly y: number;
}

export interface DetectOptions {
  /** Descriptors for comparing faces (stills): more passes and ~50–80 ms more. */
  readonly withDescriptor?: boolean;
  /** Landmarks on the frame detector's faces (head pose during monitoring): a few ms per face. */
  readonly withLandmarks?: boolean;
}

/**
 * Face detection and description behind one interface (for the ID check and for
 * monitoring). Models ship inside an npm package and load from the app (`vendorAssets`); the
 * backend is the fastest measured here.
 */
export interface FaceService {
  /** Loads the backend and models; safe to call again. */
  warm(): Promise<Result<{ backend: string; ms: number }, FaceErrorCode>>;
  /** Faces in the image, biggest first. Descriptors cost more: ask only when comparing. */
  detect(image: FaceImage, options?: DetectOptions): Promise<Result<FaceDetection[], FaceErrorCode>>;
}

/** Euclidean distance between two descriptors; under `SAME_PERSON_DISTANCE` counts as the same person. */
export function descriptorDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`descriptor lengths differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/** face-api's published threshold; measured here: same person ~0.11, different people 0.67–0.87. */
export const SAME_PERSON_DISTANCE = 0.6;
