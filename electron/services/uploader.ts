import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tus from 'tus-js-client';
import type { UploadAuthorization, UploadProgress } from '../../shared/ipc/contract';
import { fail, ok, type Result } from '../../shared/result';
import type { Logger } from '../log';
import type { ClosedSegment, RecordingErrorCode, RecordingJournal } from './recordingJournal';
import { backoffDelay, classifyFailure, DEFAULT_BACKOFF, RECORDING_REFUSALS, serverErrorOf, type BackoffPolicy, type FailureKind } from './uploadBackoff';
import { ResumableUrls } from './tusUrlStorage';
import { SessionUploads } from './uploadSession';

/**
 * Sends closed recording segments to the server with tus, continuously, strictly in order per session,
 * retrying for as long as it takes; deletes a segment locally only once the server completed its final
 * PATCH (the server verifies order and chain before answering). A refusal of the whole recording
 * (RECORDING_REFUSALS) stops that session's uploads and is reported in its progress.
 */
export interface Uploader {
  /** Finds every session with recordings on this computer and starts working on them. */
  start(): Promise<void>;
  authorize(authorization: UploadAuthorization): Promise<void>;
  /** Sessions with something the server has not confirmed. */
  list(): Promise<UploadProgress[]>;
  status(sessionId: string): Promise<Result<UploadProgress, RecordingErrorCode>>;
  /** Uploads one closed file with the given metadata (benchmarks); resumes a previous attempt of the same file. */
  uploadFile(request: UploadFileRequest): Promise<Result<{ bytes: number; resumed: boolean }, 'upload_failed'>>;
  /** Stops uploading; unfinished uploads resume on the next start. */
  close(): Promise<void>;
}

export interface UploadFileRequest {
  readonly path: string;
  readonly metadata: Record<string, string>;
  readonly endpoint: string;
  readonly token: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (bytesSent: number, bytesTotal: number) => void;
}

export interface TusUploaderOptions {
  readonly dataDir: string;
  readonly journal: RecordingJournal;
  readonly emit: (progress: UploadProgress) => void;
  readonly log: Logger;
  readonly now: () => number;
  readonly random: () => number;
  /** Bytes per PATCH request. Large by default: 1 MiB PATCHes measured twice as slow. */
  readonly chunkSize?: number;
  readonly backoff?: BackoffPolicy;
  /** Minimum time between two progress events of one session. */
  readonly progressIntervalMs?: number;
  /**
   * The HTTP stack tus-js-client sends with. The desktop app passes one on Electron's network stack
   * (system proxy and certificates); without it tus-js-client uses Node's http/https.
   */
  readonly httpStack?: tus.HttpStack;
}

export const DEFAULT_TUS_CHUNK_SIZE = 64 * 1024 * 1024;

type Outcome =
  | { kind: 'done' }
  | { kind: 'aborted' }
  /** `error`: the server's stable code and sentence, when its reply carried them. */
  | { kind: FailureKind; status: number | undefined; message: string; error: { code: string; message: string } | null };

export class TusUploader implements Uploader {
  private readonly sessions = new Map<string, SessionUploads>();
  private readonly urls: ResumableUrls;
  private readonly chunkSize: number;
  private readonly backoff: BackoffPolicy;
  private closed = false;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly options: TusUploaderOptions) {
    this.urls = new ResumableUrls(join(options.dataDir, 'recordings', 'tus-urls.json'));
    this.chunkSize = options.chunkSize ?? DEFAULT_TUS_CHUNK_SIZE;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  async start(): Promise<void> {
    await mkdir(join(this.options.dataDir, 'recordings'), { recursive: true });
    await this.urls.repair(this.options.log);
    this.unsubscribe = this.options.journal.onChange((sessionId) => this.session(sessionId).wake('segment'));
    for (const sessionId of await this.options.journal.sessions()) this.session(sessionId);
  }

  async authorize(authorization: UploadAuthorization): Promise<void> {
    const session = this.session(authorization.sessionId);
    session.authorize(authorization);
    this.options.log.info('uploader: authorized', { sessionId: authorization.sessionId, expiresAt: authorization.expiresAt });
  }

  async list(): Promise<UploadProgress[]> {
    const all = await Promise.all([...this.sessions.values()].map(async (session) => (await session.refresh(), session.progress())));
    return all.filter((progress) => !progress.safeToClose);
  }

  async status(sessionId: string): Promise<Result<UploadProgress, RecordingErrorCode>> {
    const listed = await this.options.journal.closedSegments(sessionId);
    if (!listed.ok) return listed;
    const session = this.session(sessionId);
    await session.refresh();
    return ok(session.progress());
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    await Promise.all([...this.sessions.values()].map((session) => session.stop()));
  }

  async uploadFile(request: UploadFileRequest): Promise<Result<{ bytes: number; resumed: boolean }, 'upload_failed'>> {
    const { size } = await stat(request.path);
    const stream = createReadStream(request.path);
    let resumed = false;
    try {
      const outcome = await new Promise<Outcome>((resolve) => {
        const upload = new tus.Upload(stream, {
          endpoint: request.endpoint,
          headers: { Authorization: `Bearer ${request.token}` },
          metadata: request.metadata,
          chunkSize: this.chunkSize,
          retryDelays: null,
          urlStorage: this.urls,
          storeFingerprintForResuming: true,
          ...this.stack(),
          onProgress: request.onProgress ?? null,
          onSuccess: () => resolve({ kind: 'done' }),
          onError: (error) => resolve(outcomeOf(error)),
        });
        request.signal?.addEventListener('abort', () => {
          void upload.abort(false).then(() => resolve({ kind: 'aborted' }));
        });
        void upload.findPreviousUploads().then(
          (previous) => {
            const latest = previous.at(-1);
            if (latest) {
              resumed = true;
              upload.resumeFromPreviousUpload(latest);
            }
            upload.start();
          },
          () => upload.start(),
        );
      });
      if (outcome.kind !== 'done') return fail('upload_failed', outcome.kind === 'aborted' ? 'aborted' : outcome.message);
      return ok({ bytes: size, resumed });
    } finally {
      stream.destroy();
    }
  }

  /** tus-js-client replaces its default stack with any `httpStack` key present, even an undefined one. */
  private stack(): { httpStack?: tus.HttpStack } {
    return this.options.httpStack === undefined ? {} : { httpStack: this.options.httpStack };
  }

  private session(sessionId: string): SessionUploads {
    let session = this.sessions.get(sessionId);
    if (!session) {
      session = new SessionUploads({
        sessionId,
        journal: this.options.journal,
        emit: this.options.emit,
        now: this.options.now,
        progressIntervalMs: this.options.progressIntervalMs ?? 250,
        log: this.options.log,
        send: (segment, authorization, onProgress, register) => this.send(segment, authorization, onProgress, register),
        forget: (segment) => this.urls.forget(fingerprintOf(segment)),
        retryDelay: (attempt) => backoffDelay(attempt, this.options.random(), this.backoff),
        closed: () => this.closed,
      });
      this.sessions.set(sessionId, session);
      session.run();
    }
    return session;
  }

  /** One attempt at one segment; resumes at the server's offset when an earlier attempt got somewhere. */
  private send(
    segment: ClosedSegment,
    authorization: UploadAuthorization,
    onProgress: (bytesSent: number) => void,
    register: (abort: () => void) => void,
  ): Promise<Outcome> {
    const stream = createReadStream(segment.dataPath);
    return new Promise<Outcome>((resolve) => {
      const upload = new tus.Upload(stream, {
        endpoint: authorization.endpoint,
        headers: { Authorization: `Bearer ${authorization.token}` },
        metadata: segment.wire,
        chunkSize: this.chunkSize,
        retryDelays: null, // retries are ours: backoff that outlives restarts and waits for new tokens
        urlStorage: this.urls,
        fingerprint: async () => fingerprintOf(segment),
        storeFingerprintForResuming: true,
        ...this.stack(),
        onProgress: (sent) => onProgress(sent),
        onSuccess: () => resolve({ kind: 'done' }),
        onError: (error) => resolve(outcomeOf(error)),
      });
      register(() => {
        void upload.abort(false).finally(() => resolve({ kind: 'aborted' }));
      });
      void upload.findPreviousUploads().then(
        (previous) => {
          const latest = previous.at(-1);
          if (latest) upload.resumeFromPreviousUpload(latest);
          upload.start();
        },
        (error: unknown) => {
          this.options.log.warn('uploader: stored upload URLs unreadable, starting afresh', { error: error instanceof Error ? error.name : typeof error });
          upload.start();
        },
      );
    }).finally(() => stream.destroy());
  }
}

/** Names a segment's upload independently of its path and mtime, so a moved data folder still resumes. */
const fingerprintOf = (segment: ClosedSegment): string =>
  `invigil-segment:${segment.sessionId}:${segment.segment}:${segment.bytes}:${segment.metadata.chainEnd}`;

function outcomeOf(error: Error): Outcome {
  const response = (error as Partial<tus.DetailedError>).originalResponse ?? null;
  const status = response ? response.getStatus() : undefined;
  // The server's body is a short code and sentence (it carries no secrets); the token never appears here.
  const body = response ? response.getBody().slice(0, 200) : '';
  const message = status === undefined ? 'the server could not be reached' : `the server answered ${status}${body ? `: ${body}` : ''}`;
  const server = response ? serverErrorOf(response.getBody()) : null;
  const kind = server !== null && RECORDING_REFUSALS.has(server.code) ? 'refused' : classifyFailure(status);
  return { kind, status, message, error: server };
}

export type { Outcome as UploadOutcome };
