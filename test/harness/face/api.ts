import type { FaceBox } from '../../../shared/api/identity';
import type { FaceErrorCode } from '../../../renderer/src/services/face/faceService';

/** What crosses from the harness page to Playwright: plain data (descriptors as arrays). */
export interface HarnessFace {
  box: FaceBox;
  descriptor: number[] | null;
}

export type FrameResult = { ok: true; faces: HarnessFace[]; ms: number } | { ok: false; code: FaceErrorCode; ms: number };
export type ImageResult = FrameResult & { width: number; height: number };

export interface HarnessTransform {
  scale?: number;
  crop?: { x: number; y: number; width: number; height: number };
  /** CSS `brightness()` factor: 0.6 darker, 1.4 brighter. */
  brightness?: number;
}

export interface HarnessConfig {
  modelUrl?: string;
  wasmPath?: string;
  frameDetector?: { inputSize: number; scoreThreshold: number };
  stillDetectors?: { inputSize: number; scoreThreshold: number }[];
}

export interface HarnessApi {
  warm(config?: HarnessConfig): Promise<{ ok: true; value: { backend: string; ms: number } } | { ok: false; error: { code: FaceErrorCode; message: string } }>;
  detectImage(src: string, options?: { withDescriptor?: boolean; transform?: HarnessTransform }): Promise<ImageResult>;
  startCamera(): Promise<{ width: number; height: number }>;
  cameraFrames(count: number, options?: { withDescriptor?: boolean }): Promise<FrameResult[]>;
  /** Live tfjs tensors: must not grow from one detection to the next. */
  tensors(): Promise<number>;
}

declare global {
  interface Window {
    faceHarness: HarnessApi;
  }
}
