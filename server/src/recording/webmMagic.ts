import { open } from 'node:fs/promises';
import { ApiError } from '../errors';

/** The EBML magic every Matroska (and so WebM) file begins with. */
export const EBML_MAGIC = Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3]);

/**
 * A take is the concatenation of its segments, so its first segment (index 0) is where the file
 * begins: it must begin with the EBML magic. Anything else (a playlist, a concat list) is refused
 * before it is stored, and ffmpeg reads takes as Matroska only (media/mediaTool.ts).
 */
export const mustBeginWithMagic = (segment: number): boolean => segment === 0;

export function notWebm(take: number): ApiError {
  return new ApiError(
    'segment_not_webm',
    `The first segment of take ${take} does not begin with a WebM header (EBML 1A 45 DF A3), so it is not a recording; it was discarded. Upload the recorder's WebM bytes unchanged.`,
  );
}

/**
 * Checks bytes arriving at `position` of a segment against the magic; true when every byte that falls
 * within the magic's first four matches (bytes past them are not its business).
 */
export function matchesMagicAt(position: number, bytes: Uint8Array): boolean {
  for (let i = 0; position + i < EBML_MAGIC.length && i < bytes.length; i += 1) {
    if (bytes[i] !== EBML_MAGIC[position + i]) return false;
  }
  return true;
}

/** Whether the file begins with the magic (a file shorter than it does not). */
export async function fileBeginsWithMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(EBML_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === EBML_MAGIC.length && matchesMagicAt(0, head);
  } finally {
    await handle.close();
  }
}
