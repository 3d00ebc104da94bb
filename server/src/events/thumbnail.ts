import { MAX_THUMBNAIL_BASE64 } from '../../../shared/api';

/** An evidence thumbnail's largest size in bytes (the contract's 24 KB of JPEG). */
export const MAX_THUMBNAIL_BYTES = 24 * 1024;

/**
 * The bytes of an evidence thumbnail, or why it is refused. Checked here, not trusted from the app:
 * canonical base64 (what btoa and FileReader make), at most 24 KB, and a whole JPEG (starts with the
 * SOI marker and a segment, ends with EOI), so the review screen never shows anything but a picture.
 */
export function decodeThumbnail(base64: string): { ok: true; bytes: Buffer } | { ok: false; message: string } {
  if (base64.length > MAX_THUMBNAIL_BASE64) return { ok: false, message: `the thumbnail is larger than ${MAX_THUMBNAIL_BYTES / 1024} KB` };
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.toString('base64') !== base64) return { ok: false, message: 'the thumbnail is not canonical base64' };
  if (bytes.length > MAX_THUMBNAIL_BYTES) return { ok: false, message: `the thumbnail is larger than ${MAX_THUMBNAIL_BYTES / 1024} KB` };
  const n = bytes.length;
  const jpeg = n >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff && bytes[n - 2] === 0xff && bytes[n - 1] === 0xd9;
  return jpeg ? { ok: true, bytes } : { ok: false, message: 'the thumbnail is not a whole JPEG image' };
}
