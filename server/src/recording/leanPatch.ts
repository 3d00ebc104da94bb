import { createWriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileStore } from '@tus/file-store';
import type { Locker, Upload } from '@tus/server';
import { ApiError } from '../errors';
import type { ChainHasher } from './chainHasher';
import { FlushBehind } from './flushBehind';

export interface LeanPatchOptions {
  readonly store: FileStore;
  /** The store's folder; upload ids are checked hex, so joining is safe. */
  readonly directory: string;
  /** The tus server's locker, so HEAD and PATCH of one upload never interleave. */
  readonly locker: Locker;
  readonly expirationMs: number;
  /** Wall clock: the file store stamps uploads with real time. */
  readonly now: () => number;
  /** A hasher for the upload's declared chain, or null when its metadata cannot give one. */
  readonly hasher: (upload: Upload) => ChainHasher | null;
  /**
   * Runs (under the lock) when the last byte is in, with the chain head hashed on the way in (absent
   * when this process did not see every byte); throws an ApiError to refuse the upload.
   */
  readonly complete: (upload: Upload, hashed: string | null | undefined) => Promise<void>;
}

/** A chain hasher that has seen exactly the upload's first `bytes` bytes. */
interface Progress {
  readonly hasher: ChainHasher;
  bytes: number;
}

const writeHighWaterMark = 1024 * 1024;
/** Background flushes this far apart keep the finishing fsync short without a syscall per write. */
const flushEvery = 32 * 1024 * 1024;

/**
 * tus PATCH without the web-stream detour. @tus/server 2 wraps the Node request in a WHATWG stream
 * and converts it back (Readable.toWeb → Readable.fromWeb → PassThrough → limiter → Transform → file),
 * which measured at half the speed of a plain PUT; here the socket is piped straight into the file.
 * The bytes are also fed to the segment's chain hasher on the way, so finishing costs no second pass.
 * Everything else (creation, HEAD, OPTIONS, DELETE, expiry) stays with @tus/server and its FileStore.
 */
export class LeanPatch {
  /** Per upload id; held in memory only, so after a restart the finished file is hashed from disk once. */
  private readonly progress = new Map<string, Progress>();

  constructor(private readonly o: LeanPatchOptions) {}

  /** Drops the hashing state of uploads that are gone (expired or finished elsewhere). */
  retainOnly(ids: ReadonlySet<string>): void {
    for (const id of this.progress.keys()) if (!ids.has(id)) this.progress.delete(id);
  }

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

      const progress = this.progressAt(id, upload, offset);
      const file = createWriteStream(join(this.o.directory, id), {
        flags: 'r+',
        start: offset,
        highWaterMark: writeHighWaterMark,
      });
      const flush = new FlushBehind(file, flushEvery);
      try {
        // Node's parser already stops at Content-Length; only a chunked body needs counting.
        const stages = declared === undefined ? [limit(room)] : [];
        stages.push(tap(progress, flush));
        await pipeline([req, ...stages, file]);
      } catch (error) {
        // The hasher may have seen bytes the file never got; the next PATCH keeps it only if the counts agree.
        if (progress && progress.bytes !== offset + file.bytesWritten) this.progress.delete(id);
        if (error instanceof ApiError) throw error;
        // The client went away: what reached the disk stays, and HEAD reports it for the resume.
        if (res.destroyed || req.destroyed) return null;
        throw error;
      }
      receiving = false;
      const newOffset = offset + file.bytesWritten;
      if (newOffset === size) {
        this.progress.delete(id);
        const hashed = progress?.bytes === size ? progress.hasher.finish() : undefined;
        await this.o.complete(Object.assign(upload, { offset: newOffset }), hashed);
      }
      const headers: Record<string, string> = { 'Upload-Offset': String(newOffset) };
      if (newOffset < size && this.o.expirationMs > 0) headers['Upload-Expires'] = new Date(created + this.o.expirationMs).toUTCString();
      return headers;
    } finally {
      await lock.unlock();
    }
  }

  /** The hasher that continues at `offset`: kept when it saw exactly the bytes on disk, new at 0, else none. */
  private progressAt(id: string, upload: Upload, offset: number): Progress | null {
    const known = this.progress.get(id);
    if (known && known.bytes === offset) return known;
    this.progress.delete(id);
    if (offset !== 0) return null;
    const hasher = this.o.hasher(upload);
    if (!hasher) return null;
    const fresh = { hasher, bytes: 0 };
    this.progress.set(id, fresh);
    return fresh;
  }
}

/** Feeds the bytes to the chain hasher (if any) and the flush counter as they pass on to the file. */
function tap(progress: Progress | null, flush: FlushBehind): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (progress) {
        progress.hasher.update(chunk);
        progress.bytes += chunk.length;
      }
      flush.wrote(chunk.length);
      done(null, chunk);
    },
  });
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
