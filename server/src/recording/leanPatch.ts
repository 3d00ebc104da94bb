import { createWriteStream, type WriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { finished, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileStore } from '@tus/file-store';
import type { Locker, Upload } from '@tus/server';
import { ApiError } from '../errors';
import type { ChainHasher } from './chainHasher';
import { FlushBehind } from './flushBehind';
import { EBML_MAGIC, matchesMagicAt, notWebm } from './webmMagic';

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
  /** Runs (under the lock) before any byte is received; throws an ApiError to refuse the PATCH. */
  readonly admit: (upload: Upload) => Promise<void>;
  /** The take index when the upload's first bytes must be the EBML magic (a take's first segment), else null. */
  readonly magicTake: (upload: Upload) => number | null;
  /** Deletes an upload refused for good (FINAL_REFUSALS), under the lock; the refusal is thrown after it. */
  readonly discard: (upload: Upload) => Promise<void>;
}

/** Refusals no later PATCH can overcome: the upload is deleted rather than left to expire. */
const FINAL_REFUSALS: ReadonlySet<string> = new Set(['session_closed', 'segment_not_webm']);

/** The request ended before its body did: the client left (or gave the lock to its own retry). */
class ClientGone extends Error {
  override readonly name = 'ClientGone';
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

      try {
        await this.o.admit(upload);
      } catch (error) {
        await this.refused(upload, error);
        throw error;
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
        const take = offset < EBML_MAGIC.length ? this.o.magicTake(upload) : null;
        // Before anything is written: a take that does not begin as WebM is refused at its first byte.
        if (take !== null) stages.push(magicGuard(offset, take));
        stages.push(tap(progress, flush));
        await receive(req, stages, file);
      } catch (error) {
        // The hasher may have seen bytes the file never got; the next PATCH keeps it only if the counts agree.
        if (progress && progress.bytes !== offset + file.bytesWritten) this.progress.delete(id);
        // The client went away: what reached the disk stays, and HEAD reports it for the resume.
        if (error instanceof ClientGone || res.destroyed) return null;
        await this.refused(upload, error);
        // Anything else (a full disk among them) is the caller's to log and answer; the request is still open.
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

  /** An upload refused for good is deleted at once (under the lock this PATCH holds). */
  private async refused(upload: Upload, error: unknown): Promise<void> {
    if (!(error instanceof ApiError) || !FINAL_REFUSALS.has(error.code)) return;
    this.progress.delete(upload.id);
    await this.o.discard(upload);
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

/**
 * Streams the request body through `stages` into the file. Unlike a pipeline that starts at the request,
 * a failure on the server's side (a refusal, a full disk) leaves the request open, so the client is
 * still answered; only the client's own leaving (or an aborted body) counts as ClientGone.
 */
async function receive(req: IncomingMessage, stages: Transform[], file: WriteStream): Promise<void> {
  const first = stages[0];
  if (!first) throw new Error('receive needs at least one stage');
  // `finished` also reports a request that closed before this was called (the admission check awaits the database).
  const stopWatching = finished(req, (error) => {
    if (error) first.destroy(new ClientGone('the client closed the request before its body ended'));
  });
  req.pipe(first);
  try {
    await pipeline([...stages, file]);
  } finally {
    req.unpipe(first);
    stopWatching();
  }
}

/** Refuses the body at its first byte that differs from the EBML magic (`start`: the body's offset). */
function magicGuard(start: number, take: number): Transform {
  let position = start;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (position < EBML_MAGIC.length && !matchesMagicAt(position, chunk)) return done(notWebm(take));
      position += chunk.length;
      done(null, chunk);
    },
  });
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
