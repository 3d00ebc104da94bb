import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import { MemoryLocker, Server, type Upload } from '@tus/server';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { MAX_SEGMENT_BYTES, SERVER_TIME_HEADER, UPLOAD_PATH } from '../../../shared/api';
import type { TokenService } from '../auth/tokens';
import type { Dialect } from '../db/connect';
import type { Database } from '../db/schema';
import { ApiError, apiErrorBody } from '../errors';
import { API_RESPONSE_HEADERS } from '../http/responseHeaders';
import { ChainHasher } from './chainHasher';
import { LeanPatch } from './leanPatch';
import type { RecordingFiles } from './recordingFiles';
import type { SegmentIntake } from './segmentIntake';
import { storageFull, storageFullCode } from './storageFull';
import type { Reservation, UploadGate } from './uploadGate';
import { bearerToken, checkSameSession, checkTusVersion, parseSegmentMetadata, TUS_VERSION, validateCreation } from './uploadRequests';
import { requireOpenWindow } from './uploadWindow';
import { mustBeginWithMagic } from './webmMagic';

export interface UploadEndpointOptions {
  readonly files: RecordingFiles;
  readonly tokens: TokenService;
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly intake: SegmentIntake;
  /** Admits creations (upload window, open uploads, quota) and keeps their rows. */
  readonly gate: UploadGate;
  readonly log: FastifyBaseLogger;
  readonly clock: () => number;
  /** Wall clock for upload expiry: the tus file store stamps creation with real time. */
  readonly wallClock: () => number;
  readonly expirationMs: number;
  readonly maxSegmentBytes?: number;
}

/** Unfinished uploads are dropped after a day: the uploader creates a new one from its journal. */
export const UPLOAD_EXPIRATION_MS = 24 * 3600_000;

const OFFSET_STREAM = 'application/offset+octet-stream';
/** @tus/server's default ids: 16 random bytes as hex. */
const UPLOAD_ID = /^[0-9a-f]{32}$/;
const EXPOSED_HEADERS = [
  'Location',
  'Tus-Resumable',
  'Tus-Version',
  'Upload-Offset',
  'Upload-Length',
  'Upload-Metadata',
  'Upload-Expires',
  SERVER_TIME_HEADER,
].join(', ');

interface TusFailure {
  status_code: number;
  body: string;
}
const isTusFailure = (error: unknown): error is TusFailure =>
  typeof (error as Partial<TusFailure> | null)?.status_code === 'number' && typeof (error as Partial<TusFailure>).body === 'string';

/** @tus/server's own refusals (plain text) in our stable codes. */
function fromTus(error: TusFailure): ApiError {
  const message = error.body.trim();
  if (error.status_code === 413) return new ApiError('segment_too_large', `The segment is too large (${message}).`);
  if (error.status_code === 404 || error.status_code === 410) {
    return new ApiError('not_found', 'This upload does not exist (it finished, expired or was never created); start it again.', undefined, error.status_code);
  }
  if (error.status_code >= 500) return new ApiError('internal', 'Something went wrong receiving the upload. Try again.', undefined, error.status_code);
  return new ApiError('bad_request', message, undefined, error.status_code);
}

/** The Node request behind @tus/server's web Request (srvx keeps it as `runtime.node.req`). */
const nodeRequest = (request: unknown): IncomingMessage | undefined =>
  (request as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;

/**
 * The tus endpoint at UPLOAD_PATH: @tus/server with its FileStore under `<data>/uploads`, mounted in
 * Fastify through a no-op body parser and `reply.hijack()`. Every request except OPTIONS passes the
 * protocol version and the upload token first; creation is validated in full and admitted by the
 * UploadGate (window, open uploads, quota) under the id tus then gives the upload; PATCH checks the
 * window again and bypasses tus's web-stream path (see LeanPatch), hashing on the way in and refusing
 * a take that does not begin as WebM at its first byte. A finished segment goes to SegmentIntake
 * (which moves a stored one's file away) and its upload is deleted, and its gate row released,
 * whatever the verdict. A full disk is logged with its code and answered `storage_full`.
 */
export class UploadEndpoint {
  readonly store: FileStore;
  private readonly locker = new MemoryLocker();
  private readonly tus: Server;
  private readonly patch: LeanPatch;
  /** Upload ids admitted by the gate, per creation request, for tus's naming function. */
  private readonly admitted = new WeakMap<IncomingMessage, string>();

  constructor(private readonly o: UploadEndpointOptions) {
    this.store = new FileStore({ directory: o.files.uploadsDir, expirationPeriodInMilliseconds: o.expirationMs });
    this.tus = new Server({
      path: UPLOAD_PATH,
      datastore: this.store,
      locker: this.locker,
      maxSize: o.maxSegmentBytes ?? MAX_SEGMENT_BYTES,
      disableTerminationForFinishedUploads: true,
      namingFunction: (request) => {
        const node = nodeRequest(request);
        const id = node ? this.admitted.get(node) : undefined;
        if (id === undefined) throw new Error('an upload creation reached tus without being admitted');
        return id;
      },
      onResponseError: (request, error) => {
        const known = this.known(error, request.method);
        if (!known) return undefined;
        return { status_code: known.statusCode, body: JSON.stringify(apiErrorBody(known)) };
      },
    });
    this.patch = new LeanPatch({
      store: this.store,
      directory: o.files.uploadsDir,
      locker: this.locker,
      expirationMs: o.expirationMs,
      now: o.wallClock,
      hasher: (upload) => {
        try {
          const meta = parseSegmentMetadata(upload.metadata);
          return new ChainHasher(meta.chainStart, meta.chunkSizes);
        } catch (error) {
          // Creation validated the metadata; should it not parse now, finishing refuses the upload anyway.
          if (error instanceof ApiError) return null;
          throw error;
        }
      },
      complete: (upload, hashed) => this.finish(upload, hashed),
      admit: (upload) => requireOpenWindow(o.db, String(upload.metadata?.['sessionId'] ?? ''), { lock: false, dialect: o.dialect }),
      magicTake: (upload) => {
        try {
          const meta = parseSegmentMetadata(upload.metadata);
          return mustBeginWithMagic(meta.segment) ? meta.take : null;
        } catch (error) {
          // Creation validated the metadata; should it not parse now, finishing refuses the upload anyway.
          if (error instanceof ApiError) return null;
          throw error;
        }
      },
      discard: async (upload) => {
        await this.removeUpload(upload.id, join(o.files.uploadsDir, upload.id));
        await o.gate.release(upload.id);
      },
    });
  }

  async register(app: FastifyInstance): Promise<void> {
    await app.register(async (scope) => {
      // Leaves the body unread for the hijacked handler; scoped to the upload routes only.
      scope.addContentTypeParser(OFFSET_STREAM, (_request, _payload, done) => done(null));
      const handler = (request: FastifyRequest, reply: FastifyReply): void => {
        reply.hijack();
        const id = (request.params as { id?: string }).id;
        void this.dispatch(request.raw, reply.raw, id);
      };
      scope.route({ method: ['POST', 'OPTIONS'], url: UPLOAD_PATH, handler });
      scope.route({ method: ['HEAD', 'PATCH', 'DELETE', 'OPTIONS'], url: `${UPLOAD_PATH}/:id`, handler });
    });
  }

  /**
   * Finishes uploads whose last byte arrived but whose segment was never taken in (the server stopped
   * in between), then deletes expired unfinished ones. Run at start-up and periodically.
   */
  async sweep(): Promise<{ finished: number; expired: number; forgotten: number }> {
    let finished = 0;
    for (const id of (await this.store.configstore.list?.()) ?? []) {
      const info = await this.store.configstore.get(id);
      if (!info || info.size === undefined) continue;
      const lock = this.locker.newLock(id);
      await lock.lock(new AbortController().signal, async () => undefined);
      try {
        const upload = await this.store.getUpload(id);
        if (upload.offset !== upload.size) continue;
        finished += 1;
        await this.finish(upload);
      } catch (error) {
        if (!(error instanceof ApiError) && !isTusFailure(error)) this.o.log.error({ err: error, uploadId: id }, 'finishing a stored upload failed');
      } finally {
        await lock.unlock();
      }
    }
    const expired = await this.store.deleteExpired();
    // Rows by age only: another instance's uploads are not in this store, but they expire alike.
    const forgotten = await this.o.gate.expire();
    await this.removeOrphanInfo();
    this.patch.retainOnly(new Set((await this.store.configstore.list?.()) ?? []));
    return { finished, expired, forgotten };
  }

  private async finish(upload: Upload, hashed?: string | null): Promise<void> {
    const path = join(this.o.files.uploadsDir, upload.id);
    try {
      const meta = parseSegmentMetadata(upload.metadata);
      await this.o.intake.accept({ path, size: upload.size ?? 0, meta, hashed });
    } finally {
      // Refused, replayed or stored (then the file was moved into the take): the upload is done with.
      await this.removeUpload(upload.id, path);
      await this.o.gate.release(upload.id);
    }
  }

  private async removeUpload(id: string, path: string): Promise<void> {
    try {
      await rm(path, { force: true });
      await rm(join(this.o.files.uploadsDir, `${id}.json`), { force: true });
    } catch (error) {
      this.o.log.error({ err: error, uploadId: id }, 'removing a finished upload failed');
    }
  }

  /** An upload's info without its file: a stop between moving a stored segment and removing its info. */
  private async removeOrphanInfo(): Promise<void> {
    const names = new Set(await readdir(this.o.files.uploadsDir));
    for (const name of names) {
      const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : null;
      if (id !== null && UPLOAD_ID.test(id) && !names.has(id)) await this.removeUpload(id, join(this.o.files.uploadsDir, id));
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, id: string | undefined): Promise<void> {
    res.setHeader('Tus-Resumable', TUS_VERSION);
    res.setHeader('Tus-Version', TUS_VERSION);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    res.setHeader(SERVER_TIME_HEADER, String(this.o.clock()));
    for (const [name, value] of Object.entries(API_RESPONSE_HEADERS)) res.setHeader(name, value);
    try {
      if (req.method === 'OPTIONS') return await this.tus.handle(req, res);
      checkTusVersion(req.headers);
      const claims = await this.o.tokens.verifyUpload(bearerToken(req.headers));
      if (req.method === 'POST') {
        if (req.headers['content-type'] === OFFSET_STREAM) {
          throw new ApiError('bad_request', 'Create the upload first, then send its bytes with PATCH.');
        }
        const meta = validateCreation(req.headers, claims, this.o.maxSegmentBytes);
        const length = Number(req.headers['upload-length']);
        return await this.create(req, res, { uploadId: randomBytes(16).toString('hex'), userId: claims.userId, meta, length });
      }
      if (id === undefined || !UPLOAD_ID.test(id)) throw new ApiError('not_found', 'There is no such upload.');
      const existing = await this.store.configstore.get(id);
      if (existing) checkSameSession(claims, existing.metadata?.['sessionId']);
      if (req.method === 'DELETE') {
        await this.tus.handle(req, res);
        if (res.statusCode === 204) await this.o.gate.release(id);
        return;
      }
      if (req.method !== 'PATCH') return await this.tus.handle(req, res);
      if (!existing) throw new ApiError('not_found', 'This upload does not exist (it finished, expired or was never created); start it again.');
      const headers = await this.patch.handle(req, res, id);
      if (headers) res.writeHead(204, headers).end();
    } catch (error) {
      this.writeError(req, res, error);
    }
  }

  /** Admits the creation (its row is the upload's place), lets tus create it under that id, and gives the place back if it did not. */
  private async create(req: IncomingMessage, res: ServerResponse, reservation: Reservation): Promise<void> {
    await this.o.gate.admit(reservation);
    this.admitted.set(req, reservation.uploadId);
    let created = false;
    try {
      await this.tus.handle(req, res);
      created = res.statusCode === 201;
    } finally {
      this.admitted.delete(req);
      if (!created) await this.o.gate.release(reservation.uploadId);
    }
  }

  /**
   * The stable code for a failure, logging what the client is not told: server errors with their cause,
   * and a full disk (ENOSPC, a full database) with its code, answered `storage_full`. Null: unknown (500).
   */
  private known(error: unknown, method: string): ApiError | null {
    const full = storageFullCode(error);
    if (full !== null) {
      this.o.log.error({ err: error, code: full, method }, `upload refused: the server's storage is full (${full})`);
      return storageFull();
    }
    const known = error instanceof ApiError ? error : isTusFailure(error) ? fromTus(error) : null;
    if (!known || known.statusCode >= 500) this.o.log.error({ err: error, method }, 'upload request failed');
    return known;
  }

  private writeError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    const known = this.known(error, req.method ?? '') ?? new ApiError('internal', 'Something went wrong receiving the upload. Try again.');
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(apiErrorBody(known));
    res.writeHead(known.statusCode, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      // A refused request's body was never read: the connection cannot carry another request.
      ...(req.complete ? {} : { Connection: 'close' }),
    });
    res.end(text);
  }
}
