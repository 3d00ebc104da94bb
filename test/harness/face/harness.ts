// Browser side of the face harness: the real FaceApiService, built by Vite like the app and served
// with the app's CSP, driven from Playwright through `window.faceHarness` (test/e2e/faces.e2e.ts,
// scripts/bench/face.ts). Frames and images never leave the page; only boxes, descriptors and times do.
import { FaceApiService, type FaceApiServiceDeps } from '../../../renderer/src/services/face/faceApiService';
import type { FaceService } from '../../../renderer/src/services/face/faceService';
import { consoleLogger } from '../../../renderer/src/services/logger';
import type { HarnessApi, HarnessFace, HarnessTransform, HarnessConfig, FrameResult } from './api';

let service: FaceService | null = null;
const video = document.getElementById('camera') as HTMLVideoElement;

const plain = (faces: { box: HarnessFace['box']; descriptor: Float32Array | null }[]): HarnessFace[] =>
  faces.map((f) => ({ box: { ...f.box }, descriptor: f.descriptor ? Array.from(f.descriptor) : null }));

async function loadImage(src: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = src;
  await image.decode();
  return image;
}

/** The portrait under a change a real photo could show: another scale, a tighter crop, other lighting. */
function transformed(image: HTMLImageElement, t: HarnessTransform): HTMLCanvasElement {
  const crop = t.crop ?? { x: 0, y: 0, width: image.naturalWidth, height: image.naturalHeight };
  const scale = t.scale ?? 1;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(crop.width * scale);
  canvas.height = Math.round(crop.height * scale);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  if (t.brightness !== undefined) ctx.filter = `brightness(${t.brightness})`;
  ctx.drawImage(image, crop.x, crop.y, crop.width, crop.height, 0, 0, canvas.width, canvas.height);
  return canvas;
}

const nextFrame = () => new Promise<void>((resolve) => video.requestVideoFrameCallback(() => resolve()));

const api: HarnessApi = {
  async warm(config: HarnessConfig = {}) {
    const deps: FaceApiServiceDeps = { log: consoleLogger(console), ...config };
    service = new FaceApiService(deps);
    return service.warm();
  },
  async detectImage(src, options = {}) {
    if (!service) throw new Error('warm() first');
    const image = await loadImage(src);
    const input = options.transform ? transformed(image, options.transform) : image;
    const started = performance.now();
    const result = await service.detect(input, { withDescriptor: options.withDescriptor ?? false });
    const ms = performance.now() - started;
    const size = input instanceof HTMLImageElement ? { width: input.naturalWidth, height: input.naturalHeight } : { width: input.width, height: input.height };
    return result.ok ? { ok: true, faces: plain(result.value), ms, ...size } : { ok: false, code: result.error.code, ms, ...size };
  },
  async startCamera() {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
    video.srcObject = stream;
    await video.play();
    await nextFrame();
    return { width: video.videoWidth, height: video.videoHeight };
  },
  async cameraFrames(count, options = {}) {
    if (!service) throw new Error('warm() first');
    const frames: FrameResult[] = [];
    for (let i = 0; i < count; i++) {
      await nextFrame();
      const started = performance.now();
      const result = await service.detect(video, { withDescriptor: options.withDescriptor ?? false });
      const ms = performance.now() - started;
      frames.push(result.ok ? { ok: true, faces: plain(result.value), ms } : { ok: false, code: result.error.code, ms });
    }
    return frames;
  },
  async tensors() {
    const faceapi = await import('@vladmandic/face-api');
    return (faceapi.tf as unknown as { memory(): { numTensors: number } }).memory().numTensors;
  },
};

window.faceHarness = api;
document.title = 'Face harness ready';
