import { createWriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileStore } from '@tus/file-store';
import type { Locker, Upload } from '@tus/server';
import { ApiError } from '../errors';

export interface LeanPatchOptions {
  readonly store: FileStore;
  /** The store's folder; upload ids are checked hex, so joining is safe. */
  readonly directory: string;
  /** The tus server's locker, so HEAD and PATCH of one upload never interleave. */
  readonly locker: Locker;
  readonly expirationMs: number;
  /** Wall clock: the file store stamps uploads with real time. */
  readonly now: () => number;
  /** Runs (under the lock) when the last byte is in; throws an ApiError to refuse the upload. */
  readonly complete: (upload: Upload) => Promise<void>;
}

const writeHighWaterMark = 1024 * 1024;

/**
 * tus PATCH without the web-stream detour. @tus/server 2 wraps the Node request in a WHATWG stream
 * and converts it back (Readable.toWeb → Readable.fromWeb → PassThrough → limiter → Transform → file),
 * which measured at half the speed of a plain PUT; here the socket is piped straight into the file.
 * Everything else (creation, HEAD, OPTIONS, DELETE, expiry) stays with @tus/server and its FileStore.
 */
export class LeanPatch {
  constructor(private readonly o: LeanPatchOptions) {}

  /** Resolves with the response headers once the body is stored (null: the client left), or throws an ApiError. */
  async handle(req: IncomingMessage, res: ServerResponse, id: string): Promise<Record<string, string> | null> {
    if (req.headers['content-type'] !== 'application/offset+octet-stream') {
      throw new ApiError('bad_request', 'Send PATCH bodies as application/offset+octet-stream.', undefined, 415);
    }
    const offsetText = req.headers['upload-offset'];
    if (typeof offsetText !== 'string' || !/^\d{1,15}$/.test(offsetText)) {
      throw new ApiError('bad_request', 'Upload-Offset must be a whole number of bytes.');
    }
    const offset = Number(offsetText);

    let receiving = true;
    const lock = this.o.locker.newLock(id);
    // Another request for this upload (a client retrying after a stalled connection) asks for the lock:
    // give it up by dropping the stalled body, but never in the middle of finishing the segment.
    await lock.lock(new AbortController().signal, async () => {
      if (receiving) req.destroy();
    });
    try {
      const upload = await this.o.store.getUpload(id);
      const created = upload.creation_date ? Date.parse(upload.creation_date) : this.o.now();
      if (this.o.expirationMs > 0 && this.o.now() > created + this.o.expirationMs) {
        throw new ApiError('not_found', 'This upload has expired; start it again.', undefined, 410);
      }
      if (upload.offset !== offset) {
        throw new ApiError('bad_request', `Upload-Offset is ${offset} but the server holds ${upload.offset} bytes; ask with HEAD.`, undefined, 409);
      }
      const size = upload.size;
      if (size === undefined) throw new ApiError('upload_metadata_invalid', 'This upload has no declared length.');
      const room = size - offset;
      const declared = req.headers['content-length'];
      if (declared !== undefined && Number(declared) > room) {
        throw new ApiError('segment_too_large', `This upload has room for ${room} more bytes, not ${declared}.`);
      }

      const file = createWriteStream(join(this.o.directory, id), {
        flags: 'r+',
        start: offset,
        highWaterMark: writeHighWaterMark,
      });
      try {
        // Node's parser already stops at Content-Length; only a chunked body needs counting.
        if (declared === undefined) await pipeline(req, limit(room), file);
        else await pipeline(req, file);
      } catch (error) {
        if (error instanceof ApiError) throw error;
        // The client went away: what reached the disk stays, and HEAD reports it for the resume.
        if (res.destroyed || req.destroyed) return null;
        throw error;
      }
      receiving = false;
      const newOffset = offset + file.bytesWritten;
      if (newOffset === size) await this.o.complete(Object.assign(upload, { offset: newOffset }));
      const headers: Record<string, string> = { 'Upload-Offset': String(newOffset) };
      if (newOffset < size && this.o.expirationMs > 0) headers['Upload-Expires'] = new Date(created + this.o.expirationMs).toUTCString();
      return headers;
    } finally {
      await lock.unlock();
    }
  }
}

function limit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) done(new ApiError('segment_too_large', `This upload has room for ${max} more bytes.`));
      else done(null, chunk);
    },
  });
}
