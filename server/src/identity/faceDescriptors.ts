import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as FaceApiModule from '@vladmandic/face-api';

type FaceApi = typeof FaceApiModule;
type Tensor3D = FaceApiModule.tf.Tensor3D;
type Detection = InstanceType<FaceApi['FaceDetection']>;

/** The parts of tfjs that face-api's Node bundle carries at run time but leaves out of its type declarations. */
interface TfRuntime {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  tensor3d(values: Uint8Array, shape: [number, number, number], dtype: 'int32'): Tensor3D;
}

/** RGB pixels, 3 bytes a pixel, rows top to bottom (jpeg-js `formatAsRGBA: false`). */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** A face the detector found: its box in the image's pixels and the detector's score. */
export interface FaceBoxFound {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly score: number;
}

export interface DescribedFace {
  readonly box: FaceBoxFound;
  readonly score: number;
  readonly descriptor: Float32Array;
}

/**
 * The app's still detector passes (renderer FaceApiService `STILL_DETECTORS`): 192 finds close-up
 * portraits, 608 the small photo printed on an ID card in a 1280×720 still.
 */
const STILL_PASSES = [
  { inputSize: 192, scoreThreshold: 0.4 },
  { inputSize: 608, scoreThreshold: 0.6 },
] as const;

interface Loaded {
  readonly faceapi: FaceApi;
  readonly tf: TfRuntime;
  readonly detector: InstanceType<FaceApi['TinyFaceDetector']>;
  readonly landmarks: InstanceType<FaceApi['FaceLandmark68TinyNet']>;
  readonly recognition: InstanceType<FaceApi['FaceRecognitionNet']>;
}

/**
 * face-api (vladmandic) in Node: its `face-api.node-wasm.js` build on the tfjs wasm backend (no
 * native TensorFlow), models read from the npm package's `model/` folder. Tiny face detector, tiny
 * 68-point landmarks with dlib alignment and the 128-D recognition net, as the app computes its
 * descriptors. The nets run on the calling thread, one image at a time.
 */
export class FaceDescriptors {
  private loading: Promise<Loaded> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Loads the backend and models (once; a failed load is tried again on the next call) and runs both
   * detector passes on a blank image, so the first photo does not pay for the kernels' first run.
   */
  async warm(): Promise<void> {
    await this.load();
    const side = 128;
    await this.describeOne({ width: side, height: side, data: new Uint8Array(side * side * 3).fill(128) }, () => null);
  }

  /**
   * Finds the faces in the image, lets `pick` choose one of their boxes (null: none), and describes
   * that face; null when no face was found or none was picked.
   */
  describeOne(image: RgbImage, pick: (faces: readonly FaceBoxFound[]) => FaceBoxFound | null): Promise<DescribedFace | null> {
    const run = this.queue.then(() => this.describeNow(image, pick));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async describeNow(image: RgbImage, pick: (faces: readonly FaceBoxFound[]) => FaceBoxFound | null): Promise<DescribedFace | null> {
    const loaded = await this.load();
    const { faceapi, tf } = loaded;
    const input = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    try {
      const found: Detection[] = [];
      for (const pass of STILL_PASSES) {
        found.push(...(await loaded.detector.locateFaces(input, new faceapi.TinyFaceDetectorOptions(pass))));
        // Between passes the event loop serves other requests.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const candidates = distinct(found);
      const boxes = candidates.map((d) => ({ x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height, score: d.score }));
      const chosen = pick(boxes);
      if (!chosen) return null;
      const detection = candidates[boxes.indexOf(chosen)];
      if (!detection) return null;
      return { box: chosen, score: chosen.score, descriptor: await descriptorOf(loaded, input, detection) };
    } finally {
      input.dispose();
    }
  }

  private load(): Promise<Loaded> {
    this.loading ??= loadOnce().catch((error: unknown) => {
      this.loading = null;
      throw error;
    });
    return this.loading;
  }
}

async function loadOnce(): Promise<Loaded> {
  const req = createRequire(import.meta.url);
  const faceapi = req('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  const tf = faceapi.tf as unknown as TfRuntime;
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend did not start');
  await tf.ready();
  const modelDir = join(dirname(req.resolve('@vladmandic/face-api/package.json')), 'model');
  const detector = new faceapi.TinyFaceDetector();
  const landmarks = new faceapi.FaceLandmark68TinyNet();
  const recognition = new faceapi.FaceRecognitionNet();
  await Promise.all([detector.loadFromDisk(modelDir), landmarks.loadFromDisk(modelDir), recognition.loadFromDisk(modelDir)]);
  return { faceapi, tf, detector, landmarks, recognition };
}

/** The two passes find the same face twice: of boxes whose centres lie inside each other, the higher score. */
function distinct(found: readonly Detection[]): Detection[] {
  const kept: Detection[] = [];
  for (const d of [...found].sort((a, b) => b.score - a.score)) {
    const cx = d.box.x + d.box.width / 2;
    const cy = d.box.y + d.box.height / 2;
    const inside = (k: Detection) => cx >= k.box.x && cx <= k.box.x + k.box.width && cy >= k.box.y && cy <= k.box.y + k.box.height;
    if (!kept.some(inside)) kept.push(d);
  }
  return kept;
}

/** Tiny landmarks, dlib alignment and the 128-D descriptor, as face-api's own task chain does it. */
async function descriptorOf(loaded: Loaded, input: Tensor3D, detection: Detection): Promise<Float32Array> {
  const { faceapi } = loaded;
  const [crop] = await faceapi.extractFaceTensors(input, [detection]);
  let aligned: Tensor3D[] = [];
  try {
    const unshifted = (await loaded.landmarks.detectLandmarks(crop!)) as InstanceType<FaceApi['FaceLandmarks68']>;
    const box = unshifted.shiftBy(detection.box.x, detection.box.y).align(null, { useDlibAlignment: true });
    aligned = await faceapi.extractFaceTensors(input, [new faceapi.Rect(box.x, box.y, box.width, box.height)]);
    return (await loaded.recognition.computeFaceDescriptor(aligned[0]!)) as Float32Array;
  } finally {
    for (const t of [crop, ...aligned]) t?.dispose();
  }
}

/** Euclidean distance between two 128-D descriptors (face-api's `euclideanDistance`). */
export function descriptorDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sum);
}
