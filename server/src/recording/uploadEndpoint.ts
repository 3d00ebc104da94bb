import { readdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import { MemoryLocker, Server, type Upload } from '@tus/server';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { MAX_SEGMENT_BYTES, SERVER_TIME_HEADER, UPLOAD_PATH } from '../../../shared/api';
import type { TokenService, UploadClaims } from '../auth/tokens';
import type { Database } from '../db/schema';
import { ApiError, apiErrorBody } from '../errors';
import { ChainHasher } from './chainHasher';
import { LeanPatch } from './leanPatch';
import type { RecordingFiles } from './recordingFiles';
import type { SegmentIntake } from './segmentIntake';
import { bearerToken, checkSameSession, checkTusVersion, parseSegmentMetadata, TUS_VERSION, validateCreation } from './uploadRequests';

export interface UploadEndpointOptions {
  readonly files: RecordingFiles;
  readonly tokens: TokenService;
  readonly db: Kysely<Database>;
  readonly intake: SegmentIntake;
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

/**
 * The tus endpoint at UPLOAD_PATH: @tus/server with its FileStore under `<data>/uploads`, mounted in
 * Fastify through a no-op body parser and `reply.hijack()`. Every request except OPTIONS passes the
 * protocol version and the upload token first; creation is validated in full before tus sees it;
 * PATCH bypasses tus's web-stream path (see LeanPatch) and hashes on the way in. A finished segment
 * goes to SegmentIntake (which moves a stored one's file away) and its upload is deleted whatever the
 * verdict.
 */
export class UploadEndpoint {
  readonly store: FileStore;
  private readonly locker = new MemoryLocker();
  private readonly tus: Server;
  private readonly patch: LeanPatch;

  constructor(private readonly o: UploadEndpointOptions) {
    this.store = new FileStore({ directory: o.files.uploadsDir, expirationPeriodInMilliseconds: o.expirationMs });
    this.tus = new Server({
      path: UPLOAD_PATH,
      datastore: this.store,
      locker: this.locker,
      maxSize: o.maxSegmentBytes ?? MAX_SEGMENT_BYTES,
      disableTerminationForFinishedUploads: true,
      onResponseError: (_req, error) => {
        const known = error instanceof ApiError ? error : isTusFailure(error) ? fromTus(error) : null;
        if (!known) {
          o.log.error({ err: error }, 'upload request failed');
          return undefined;
        }
        if (known.statusCode >= 500) o.log.error({ err: error }, 'upload request failed');
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
  async sweep(): Promise<{ finished: number; expired: number }> {
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
    await this.removeOrphanInfo();
    this.patch.retainOnly(new Set((await this.store.configstore.list?.()) ?? []));
    return { finished, expired };
  }

  private async finish(upload: Upload, hashed?: string | null): Promise<void> {
    const path = join(this.o.files.uploadsDir, upload.id);
    try {
      const meta = parseSegmentMetadata(upload.metadata);
      await this.o.intake.accept({ path, size: upload.size ?? 0, meta, hashed });
    } finally {
      // Refused, replayed or stored (then the file was moved into the take): the upload is done with.
      await this.removeUpload(upload.id, path);
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
    try {
      if (req.method === 'OPTIONS') return await this.tus.handle(req, res);
      checkTusVersion(req.headers);
      const claims = await this.o.tokens.verifyUpload(bearerToken(req.headers));
      if (req.method === 'POST') {
        if (req.headers['content-type'] === OFFSET_STREAM) {
          throw new ApiError('bad_request', 'Create the upload first, then send its bytes with PATCH.');
        }
        const meta = validateCreation(req.headers, claims, this.o.maxSegmentBytes);
        await this.checkOwner(claims, meta.sessionId);
        return await this.tus.handle(req, res);
      }
      if (id === undefined || !UPLOAD_ID.test(id)) throw new ApiError('not_found', 'There is no such upload.');
      const existing = await this.store.configstore.get(id);
      if (existing) checkSameSession(claims, existing.metadata?.['sessionId']);
      if (req.method !== 'PATCH') return await this.tus.handle(req, res);
      if (!existing) throw new ApiError('not_found', 'This upload does not exist (it finished, expired or was never created); start it again.');
      const headers = await this.patch.handle(req, res, id);
      if (headers) res.writeHead(204, headers).end();
    } catch (error) {
      this.writeError(req, res, error);
    }
  }

  private async checkOwner(claims: UploadClaims, sessionId: string): Promise<void> {
    const session = await this.o.db.selectFrom('sessions').select('user_id').where('id', '=', sessionId).executeTakeFirst();
    if (!session || session.user_id !== claims.userId) {
      throw new ApiError('forbidden', 'This upload token does not belong to an exam attempt on this account.');
    }
  }

  private writeError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    let known = error instanceof ApiError ? error : isTusFailure(error) ? fromTus(error) : null;
    if (!known || known.statusCode >= 500) {
      this.o.log.error({ err: error, method: req.method }, 'upload request failed');
      known ??= new ApiError('internal', 'Something went wrong receiving the upload. Try again.');
    }
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
