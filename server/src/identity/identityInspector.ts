import { createHash } from 'node:crypto';
import jpeg from 'jpeg-js';
import type { FaceBox, IdFields } from '../../../shared/api';
import { cardFace } from '../../../shared/ocr/cardFace';
import { documentSeen, idFieldsOf, NO_ID_FIELDS } from '../../../shared/ocr/idFields';
import { readIdImage } from '../../../shared/ocr/idReader';
import { ApiError } from '../errors';
import { type DescribedFace, descriptorDistance, FaceDescriptors, type FaceBoxFound, type RgbImage } from './faceDescriptors';
import { OcrPool, type OcrPoolLog, startNodeOcrWorker, type StartOcrWorker } from './ocrPool';

/** What the server itself found in an ID photo, and how its face compares with the face photo. */
export interface ServerReading {
  /** The server's reading; `NO_ID_FIELDS` when the image could not be decoded. */
  readonly fields: IdFields;
  /** The face printed on the card (in the ID photo's pixels), when a document was read and one was found. */
  readonly idFace: FaceBox | null;
  /** Descriptor distance between the face photo and `idFace`; null without both faces. */
  readonly faceDistance: number | null;
  readonly ocrMs: number;
  readonly faceMs: number;
}

/** The server's own reading of identity images (ID text and faces). */
export interface IdentityInspector {
  /** Reads `idImage` (JPEG) and compares the face on it with the one in `facePhoto` (JPEG; null: none taken). */
  inspect(idImage: Buffer, facePhoto: Buffer | null): Promise<ServerReading>;
  /** Starts the engines ahead of the first photo; failures are logged and retried by the next `inspect`. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** Photos that may wait for a worker, per worker, before more are refused with `server_busy`. */
export const DEFAULT_WAITING_PER_WORKER = 4;
/** Face photos whose descriptor is kept in memory (a learner's later ID photos compare with the same one). */
const FACE_PHOTO_CACHE = 256;
/** Larger stills are refused by the decoder (the app sends at most 1920×1080; 16 MP leaves room). */
const MAX_DECODE_MEGAPIXELS = 16;

export interface NodeIdentityInspectorOptions {
  /** tesseract.js workers (`ocrWorkers` setting); each reads one photo at a time. */
  readonly ocrWorkers: number;
  /** Photos that may wait beyond those being read; `ocrWorkers × DEFAULT_WAITING_PER_WORKER` by default. */
  readonly maxWaiting?: number;
  readonly log: OcrPoolLog;
  readonly startOcrWorker?: StartOcrWorker;
}

/** JPEG to RGB pixels; null when it is not a decodable JPEG (or larger than the decoder allows). */
export function decodeRgb(bytes: Buffer): RgbImage | null {
  try {
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: MAX_DECODE_MEGAPIXELS, maxMemoryUsageInMB: 256 });
    if (image.width === 0 || image.height === 0 || image.data.length !== image.width * image.height * 3) return null;
    return { width: image.width, height: image.height, data: image.data };
  } catch {
    return null;
  }
}

const biggest = (faces: readonly FaceBoxFound[]): FaceBoxFound | null =>
  faces.reduce<FaceBoxFound | null>((best, f) => (best === null || f.width * f.height > best.width * best.height ? f : best), null);

/**
 * The review server's reader: the app's OCR pipeline (`shared/ocr/idReader.ts`) on a pool of Node
 * tesseract.js workers, and face-api descriptors on the tfjs wasm backend, both fully offline. The
 * face on the ID is the one the app would pick (`cardFace`: inside the card guide, the smallest), and
 * it is compared only when a document was read, as in the app. Photos beyond the workers and the
 * waiting bound are refused with `server_busy` rather than queued without bound.
 */
export class NodeIdentityInspector implements IdentityInspector {
  private readonly pool: OcrPool;
  private readonly faces = new FaceDescriptors();
  private readonly capacity: number;
  private inFlight = 0;
  /** Face photo descriptors by the photo's SHA-256, oldest first (null: no face in it). */
  private readonly facePhotos = new Map<string, DescribedFace | null>();

  constructor(private readonly o: NodeIdentityInspectorOptions) {
    this.pool = new OcrPool({ size: o.ocrWorkers, start: o.startOcrWorker ?? (() => startNodeOcrWorker(o.log)), log: o.log });
    this.capacity = o.ocrWorkers + (o.maxWaiting ?? o.ocrWorkers * DEFAULT_WAITING_PER_WORKER);
  }

  async warm(): Promise<void> {
    await Promise.all([
      this.pool.warm(),
      this.faces.warm().catch((error: unknown) => this.o.log.warn({ error: String(error) }, 'face models failed to load')),
    ]);
  }

  async inspect(idImage: Buffer, facePhoto: Buffer | null): Promise<ServerReading> {
    if (this.inFlight >= this.capacity) {
      throw new ApiError('server_busy', 'Many ID photos are being checked right now. Wait a few seconds, then send yours again.');
    }
    this.inFlight += 1;
    try {
      return await this.inspectNow(idImage, facePhoto);
    } finally {
      this.inFlight -= 1;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  /** The biggest face in the face photo (the app accepts a photo with exactly one), described once. */
  private async facePhotoFace(bytes: Buffer): Promise<DescribedFace | null> {
    const key = createHash('sha256').update(bytes).digest('hex');
    if (this.facePhotos.has(key)) return this.facePhotos.get(key) ?? null;
    const photo = decodeRgb(bytes);
    const face = photo ? await this.faces.describeOne(photo, biggest) : null;
    this.facePhotos.set(key, face);
    if (this.facePhotos.size > FACE_PHOTO_CACHE) this.facePhotos.delete(this.facePhotos.keys().next().value!);
    return face;
  }

  private async inspectNow(idImage: Buffer, facePhoto: Buffer | null): Promise<ServerReading> {
    const id = decodeRgb(idImage);
    if (!id) return { fields: NO_ID_FIELDS, idFace: null, faceDistance: null, ocrMs: 0, faceMs: 0 };
    const started = performance.now();
    // OCR runs on a worker thread while the faces are described here.
    const reading = this.pool.run((worker) => readIdImage(worker, idImage, { width: id.width, height: id.height })).then((r) => {
      const ms = Math.round(performance.now() - started);
      return { fields: idFieldsOf(r), ms };
    });
    const faces = (async () => {
      try {
        const mine = facePhoto ? await this.facePhotoFace(facePhoto) : null;
        const printed = mine ? await this.faces.describeOne(id, (found) => cardFace(found.map((box) => ({ box })), id.width, id.height)?.box ?? null) : null;
        return { mine, printed, ms: Math.round(performance.now() - started) };
      } catch (error) {
        // Without the face models the comparison is unknown; the name is still decided.
        this.o.log.warn({ error: String(error) }, 'face comparison failed');
        return { mine: null, printed: null, ms: Math.round(performance.now() - started) };
      }
    })();
    const [read, face] = await Promise.all([reading, faces]);
    const compared = face.mine && face.printed && documentSeen(read.fields) ? face.printed : null;
    return {
      fields: read.fields,
      idFace: compared ? { x: compared.box.x, y: compared.box.y, width: compared.box.width, height: compared.box.height, score: compared.score } : null,
      faceDistance: compared && face.mine ? descriptorDistance(face.mine.descriptor, compared.descriptor) : null,
      ocrMs: read.ms,
      faceMs: face.ms,
    };
  }
}
