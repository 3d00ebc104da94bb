import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_IDENTITY_IMAGE_BYTES } from '../../../shared/api';

/** Session and image ids are base64url; anything else must never become part of a path. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

export interface JpegImage {
  readonly bytes: Buffer;
  readonly sha256: string;
}

/**
 * Decodes a base64 JPEG from a request and checks what the schema cannot: that it is a JPEG (FF D8 FF)
 * and not larger than MAX_IDENTITY_IMAGE_BYTES. Returns a reason when it is not acceptable.
 */
export function decodeJpeg(base64: string): JpegImage | string {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > MAX_IDENTITY_IMAGE_BYTES) return `is larger than ${MAX_IDENTITY_IMAGE_BYTES} bytes`;
  if (bytes.length < JPEG_MAGIC.length || JPEG_MAGIC.some((b, i) => bytes[i] !== b)) return 'is not a JPEG image';
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * Identity images live under the data folder like recordings (`identity/<session>/<image>.jpg`), never
 * in the database; they are served to proctors and administrators only.
 */
export class IdentityFiles {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'identity');
  }

  imageFile(sessionId: string, imageId: string): string {
    if (!SAFE_ID.test(sessionId) || !SAFE_ID.test(imageId)) throw new Error('unsafe id for a path');
    return join(this.root, sessionId, `${imageId}.jpg`);
  }

  /** Written under a temporary name and renamed, so a reader never sees half an image. */
  async write(sessionId: string, imageId: string, bytes: Buffer): Promise<void> {
    const file = this.imageFile(sessionId, imageId);
    await mkdir(join(this.root, sessionId), { recursive: true, mode: 0o700 });
    const temp = `${file}.part`;
    await writeFile(temp, bytes, { mode: 0o600, flag: 'wx' });
    await rename(temp, file);
  }

  read(sessionId: string, imageId: string): Promise<Buffer> {
    return readFile(this.imageFile(sessionId, imageId));
  }

  /** Removes an image whose database row was never committed. */
  async remove(sessionId: string, imageId: string): Promise<void> {
    await rm(this.imageFile(sessionId, imageId), { force: true });
  }
}
