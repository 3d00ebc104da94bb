// Types only: the module itself is imported on demand in `loadOnce`.
import type * as FaceApiModule from '@vladmandic/face-api';
import { fail, ok, type Result } from '../../../../shared/result';
import type { Logger } from '../logger';
import { vendorAssets } from '../vendorAssets';
import { facesBiggestFirst, mergeOverlapping } from './faceBoxes';
import type { DetectOptions, FaceDetection, FaceErrorCode, FaceImage, FacePoint, FaceService } from './faceService';

type FaceApi = typeof FaceApiModule;
type Tensor3D = FaceApiModule.tf.Tensor3D;
type DetectorOptions = InstanceType<FaceApi['TinyFaceDetectorOptions']>;
type Detection = InstanceType<FaceApi['FaceDetection']>;

/** The parts of tfjs that face-api's bundle carries at run time but leaves out of its type declarations. */
interface TfRuntime {
  setWasmPaths(prefix: string): void;
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  browser: { fromPixels(pixels: HTMLVideoElement | HTMLCanvasElement | HTMLImageElement | ImageBitmap, channels?: number): Tensor3D };
}

export interface DetectorSettings {
  /** The tiny face detector's square input (a multiple of 32): small finds big faces, big finds small ones. */
  readonly inputSize: number;
  readonly scoreThreshold: number;
}

/**
 * Camera frames (monitoring, several a second), chosen by measurement (test/e2e/faces.e2e.ts and
 * scripts/bench/face.ts): at 192 every portrait and both faces of the two-faces clip score 0.62 or
 * more and nothing else scores over 0.18; 224 scored one portrait 0.48 and 160 one second face 0.37.
 */
export const FRAME_DETECTOR: DetectorSettings = { inputSize: 192, scoreThreshold: 0.4 };

/**
 * Stills that are compared (face photo, ID photo): the frame pass plus a pass at 608 for small
 * faces, such as the photo on an ID card held up in a 1280×720 still. Measured on the 60 dev ID
 * images: a face matching its portrait in 19 at 192 alone, 54 with the 608 pass at 0.6 (57 at 0.5,
 * which also saw a second, non-existent face in 1 of 30 face_alone frames). 608 alone scores
 * close-up portraits low (0.35), hence both passes.
 */
export const STILL_DETECTORS: readonly DetectorSettings[] = [FRAME_DETECTOR, { inputSize: 608, scoreThreshold: 0.6 }];

export interface FaceApiServiceDeps {
  readonly log: Logger;
  /** Folder with the face-api models (tiny face detector, tiny 68-point landmarks, recognition). */
  readonly modelUrl?: string;
  /** Folder with the tfjs wasm binaries, with a trailing slash. */
  readonly wasmPath?: string;
  /** Detector for `detect` without descriptors (camera frames). */
  readonly frameDetector?: DetectorSettings;
  /** Detector passes for `detect` with descriptors (stills to compare); overlapping finds are merged. */
  readonly stillDetectors?: readonly DetectorSettings[];
  /** Milliseconds on a monotonic clock, for the durations logged and returned by `warm`. */
  readonly now?: () => number;
}

interface Loaded {
  readonly faceapi: FaceApi;
  readonly tf: TfRuntime;
  readonly detector: InstanceType<FaceApi['TinyFaceDetector']>;
  readonly landmarks: InstanceType<FaceApi['FaceLandmark68TinyNet']>;
  readonly recognition: InstanceType<FaceApi['FaceRecognitionNet']>;
  readonly framePasses: readonly DetectorOptions[];
  readonly stillPasses: readonly DetectorOptions[];
  readonly backend: string;
}

const UNAVAILABLE = 'Face detection could not start on this computer.';

/**
 * face-api (vladmandic) on the tfjs wasm backend: the tiny face detector for every frame, tiny
 * landmarks and the 128-D recognition net only when a descriptor is asked for. The nets are this
 * object's own instances (not face-api's global `nets`), loaded once from the app's vendor folder.
 * `withDescriptor` also switches to the still detector (`STILL_DETECTORS`): comparisons are made on
 * stills, where a small face (the ID card's photo) matters more than the ~100 ms the second pass costs.
 * WebGL is not tried: without a GPU Chromium renders it in software, 10–40× slower than wasm.
 */
export class FaceApiService implements FaceService {
  private loading: Promise<Result<Loaded, FaceErrorCode>> | null = null;
  private readonly now: () => number;

  constructor(private readonly deps: FaceApiServiceDeps) {
    this.now = deps.now ?? (() => performance.now());
  }

  async warm(): Promise<Result<{ backend: string; ms: number }, FaceErrorCode>> {
    const started = this.now();
    const loaded = await this.load();
    if (!loaded.ok) return loaded;
    return ok({ backend: loaded.value.backend, ms: Math.round(this.now() - started) });
  }

  async detect(image: FaceImage, options?: DetectOptions): Promise<Result<FaceDetection[], FaceErrorCode>> {
    const loaded = await this.load();
    if (!loaded.ok) return loaded;
    const { tf } = loaded.value;
    const size = imageSize(image);
    if (size.width === 0 || size.height === 0) return fail('detect_failed', 'The picture is empty (the camera has not started yet).');
    let input: Tensor3D | null = null;
    try {
      input = tf.browser.fromPixels(image);
      const passes = options?.withDescriptor ? loaded.value.stillPasses : loaded.value.framePasses;
      const found: Detection[] = [];
      for (const pass of passes) found.push(...(await loaded.value.detector.locateFaces(input, pass)));
      const raw = found.map((d) => ({ x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height, score: d.score }));
      const kept = passes.length > 1 ? mergeOverlapping(raw) : raw.map((_, i) => i);
      const ordered = facesBiggestFirst(
        kept.map((i) => raw[i]!),
        size,
      ).map(({ box, index }) => ({ box, index: kept[index]! })); // index into `found`
      if (!options?.withDescriptor && options?.withLandmarks) {
        const points = await landmarksOf(loaded.value, input, ordered.map(({ index }) => found[index]!));
        return ok(ordered.map(({ box }, i) => ({ box, descriptor: null, landmarks: points[i]! })));
      }
      if (!options?.withDescriptor) return ok(ordered.map(({ box }) => ({ box, descriptor: null })));
      const descriptors = await describe(loaded.value, input, ordered.map(({ index }) => found[index]!));
      return ok(ordered.map(({ box }, i) => ({ box, descriptor: descriptors[i]! })));
    } catch (error) {
      this.deps.log.error('face detection failed', { error: String(error), width: size.width, height: size.height });
      return fail('detect_failed', 'Faces could not be checked in this picture.');
    } finally {
      input?.dispose();
    }
  }

  /** One load for every caller; a failed load may be tried again. */
  private load(): Promise<Result<Loaded, FaceErrorCode>> {
    this.loading ??= this.loadOnce().then((result) => {
      if (!result.ok) this.loading = null;
      return result;
    });
    return this.loading;
  }

  private async loadOnce(): Promise<Result<Loaded, FaceErrorCode>> {
    const started = this.now();
    const modelUrl = this.deps.modelUrl ?? vendorAssets.faceModels;
    try {
      // Loaded on demand: the bundle (face-api with tfjs) is 1.3 MB the sign-in screen does not need.
      const faceapi = await import('@vladmandic/face-api');
      const tf = faceapi.tf as unknown as TfRuntime;
      await startWasm(tf, this.deps.wasmPath ?? vendorAssets.tfjsWasm, this.deps.log);
      const detector = new faceapi.TinyFaceDetector();
      const landmarks = new faceapi.FaceLandmark68TinyNet();
      const recognition = new faceapi.FaceRecognitionNet();
      await Promise.all([detector.loadFromUri(modelUrl), landmarks.loadFromUri(modelUrl), recognition.loadFromUri(modelUrl)]);
      const toOptions = (d: DetectorSettings) => new faceapi.TinyFaceDetectorOptions({ inputSize: d.inputSize, scoreThreshold: d.scoreThreshold });
      const framePasses = [toOptions(this.deps.frameDetector ?? FRAME_DETECTOR)];
      const stillPasses = (this.deps.stillDetectors ?? STILL_DETECTORS).map(toOptions);
      const backend = tf.getBackend();
      this.deps.log.info('face models loaded', { backend, ms: Math.round(this.now() - started) });
      return ok({ faceapi, tf, detector, landmarks, recognition, framePasses, stillPasses, backend });
    } catch (error) {
      this.deps.log.error('face models failed to load', { error: String(error), ms: Math.round(this.now() - started) });
      return fail('model_unavailable', UNAVAILABLE);
    }
  }
}

async function startWasm(tf: TfRuntime, wasmPath: string, log: Logger): Promise<void> {
  try {
    tf.setWasmPaths(wasmPath);
  } catch (error) {
    // tfjs keeps one wasm backend per page: a second service finds it already started with its paths.
    log.info('tfjs wasm paths already set', { error: String(error) });
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend did not start');
  await tf.ready();
}

/** Tiny 68-point landmarks of each detection, in the image's pixels (head pose during monitoring). */
async function landmarksOf(loaded: Loaded, input: Tensor3D, detections: readonly Detection[]): Promise<FacePoint[][]> {
  const crops = await loaded.faceapi.extractFaceTensors(input, [...detections]);
  try {
    const all: FacePoint[][] = [];
    for (const [i, crop] of crops.entries()) {
      const found = (await loaded.landmarks.detectLandmarks(crop)) as InstanceType<FaceApi['FaceLandmarks68']>;
      const { x, y } = detections[i]!.box;
      all.push(found.shiftBy<InstanceType<FaceApi['FaceLandmarks68']>>(x, y).positions.map((p) => ({ x: p.x, y: p.y })));
    }
    return all;
  } finally {
    for (const t of crops) t.dispose();
  }
}

/** Tiny landmarks, dlib alignment and the 128-D descriptor for each detection, as face-api's own task chain does it. */
async function describe(loaded: Loaded, input: Tensor3D, detections: readonly Detection[]): Promise<Float32Array[]> {
  const { faceapi } = loaded;
  const crops = await faceapi.extractFaceTensors(input, [...detections]);
  let aligned: Tensor3D[] = [];
  try {
    const rects = [];
    for (const [i, crop] of crops.entries()) {
      const unshifted = (await loaded.landmarks.detectLandmarks(crop)) as InstanceType<FaceApi['FaceLandmarks68']>;
      const { x, y } = detections[i]!.box;
      const box = unshifted.shiftBy(x, y).align(null, { useDlibAlignment: true });
      rects.push(new faceapi.Rect(box.x, box.y, box.width, box.height));
    }
    aligned = await faceapi.extractFaceTensors(input, rects);
    const descriptors: Float32Array[] = [];
    for (const face of aligned) descriptors.push((await loaded.recognition.computeFaceDescriptor(face)) as Float32Array);
    return descriptors;
  } finally {
    for (const t of [...crops, ...aligned]) t.dispose();
  }
}

function imageSize(image: FaceImage): { width: number; height: number } {
  if (image instanceof HTMLVideoElement) return { width: image.videoWidth, height: image.videoHeight };
  if (image instanceof HTMLImageElement) return { width: image.naturalWidth, height: image.naturalHeight };
  return { width: image.width, height: image.height };
}
