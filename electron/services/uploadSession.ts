import type { UploadAuthorization, UploadProgress } from '../../shared/ipc/contract';
import type { Logger } from '../log';
import type { ClosedSegment, RecordingJournal } from './recordingJournal';
import type { UploadOutcome } from './uploader';

export interface SessionUploadsOptions {
  readonly sessionId: string;
  readonly journal: RecordingJournal;
  readonly emit: (progress: UploadProgress) => void;
  readonly now: () => number;
  readonly progressIntervalMs: number;
  readonly log: Logger;
  readonly send: (
    segment: ClosedSegment,
    authorization: UploadAuthorization,
    onProgress: (bytesSent: number) => void,
    register: (abort: () => void) => void,
  ) => Promise<UploadOutcome>;
  readonly forget: (segment: ClosedSegment) => Promise<void>;
  readonly retryDelay: (attempt: number) => number;
  readonly closed: () => boolean;
}

type WakeReason = 'segment' | 'auth' | 'stop';

/**
 * One session's upload loop: oldest closed segment first, one at a time (the server checks the chain
 * order), backing off on failures, parked while it has no valid token or the server refused a segment
 * for good. Holds counters only; the segment list is read from the journal each round.
 */
export class SessionUploads {
  private authorization: UploadAuthorization | null = null;
  private authRejected = false;
  /** A segment the server refused for good: kept on disk, reported, not retried until the next start. */
  private refused: number | null = null;
  /** The server refused the whole recording (RECORDING_REFUSALS): nothing more is sent until the next start. */
  private refusal: { code: string; message: string } | null = null;
  private attempt = 0;
  private pendingSegments = 0;
  private pendingBytes = 0;
  private uploadedBytes = 0;
  private inFlightSent = 0;
  private uploading = false;
  private bytesPerSecond: number | null = null;
  private sample: { at: number; bytes: number } | null = null;
  private lastError: string | null = null;
  private nextRetryAt: number | null = null;
  private waiter: { resolve: () => void; wakesOn: readonly WakeReason[] } | null = null;
  private abortCurrent: (() => void) | null = null;
  private loop: Promise<void> = Promise.resolve();
  private lastEmitAt = -Infinity;
  private emitTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: SessionUploadsOptions) {}

  run(): void {
    this.loop = this.work().catch((error: unknown) => {
      this.options.log.error('uploader: session loop stopped', { sessionId: this.options.sessionId, error: error instanceof Error ? error.name : typeof error });
    });
  }

  authorize(authorization: UploadAuthorization): void {
    this.authorization = authorization;
    this.authRejected = false;
    this.wake('auth');
  }

  wake(reason: WakeReason): void {
    if (this.waiter?.wakesOn.includes(reason)) this.waiter.resolve();
    else this.report(); // recording bytes changed, say so
  }

  async stop(): Promise<void> {
    this.abortCurrent?.();
    this.wake('stop');
    await this.loop;
    if (this.emitTimer) clearTimeout(this.emitTimer);
  }

  async refresh(): Promise<void> {
    const listed = await this.options.journal.closedSegments(this.options.sessionId);
    if (!listed.ok) return;
    this.pendingSegments = listed.value.length;
    this.pendingBytes = listed.value.reduce((sum, segment) => sum + segment.bytes, 0);
  }

  progress(): UploadProgress {
    const activity = this.options.journal.activity(this.options.sessionId);
    const safeToClose = this.pendingSegments === 0 && activity.openTake === null;
    const state: UploadProgress['state'] = this.uploading
      ? 'uploading'
      : this.nextRetryAt !== null
        ? 'retrying'
        : this.pendingSegments > 0 && this.needsAuthorization()
          ? 'needs_authorization'
          : safeToClose
            ? 'done'
            : 'idle';
    return {
      sessionId: this.options.sessionId,
      state,
      pendingSegments: this.pendingSegments,
      pendingBytes: this.pendingBytes,
      recordingBytes: activity.recordingBytes,
      uploadedBytes: this.uploadedBytes + this.inFlightSent,
      bytesPerSecond: this.bytesPerSecond,
      lastError: this.lastError,
      nextRetryAt: this.nextRetryAt === null ? null : new Date(this.nextRetryAt).toISOString(),
      safeToClose,
      refused: this.refusal,
    };
  }

  private needsAuthorization(): boolean {
    const { authorization } = this;
    return authorization === null || this.authRejected || Date.parse(authorization.expiresAt) <= this.options.now();
  }

  private async work(): Promise<void> {
    const { sessionId, log } = this.options;
    while (!this.options.closed()) {
      const listed = await this.options.journal.closedSegments(sessionId);
      if (!listed.ok) {
        log.error('uploader: cannot list segments', { sessionId, code: listed.error.code });
        return;
      }
      const segments = listed.value;
      this.pendingSegments = segments.length;
      this.pendingBytes = segments.reduce((sum, segment) => sum + segment.bytes, 0);
      const next = segments[0];
      const authorization = this.authorization;
      if (this.refusal !== null) {
        // Retrying cannot change the server's answer; progress still reports what waits on this computer.
        this.report();
        await this.sleep(null, ['stop']);
        continue;
      }
      if (!next || next.segment === this.refused || authorization === null || this.needsAuthorization()) {
        this.report();
        await this.sleep(null, ['segment', 'auth', 'stop']);
        continue;
      }

      this.uploading = true;
      this.inFlightSent = 0;
      this.report();
      const startedAt = this.options.now();
      const outcome = await this.options.send(next, authorization, (sent) => this.sent(sent), (abort) => (this.abortCurrent = abort));
      this.abortCurrent = null;
      this.uploading = false;
      this.inFlightSent = 0;

      if (outcome.kind === 'aborted') return;
      if (outcome.kind === 'done') {
        await this.options.forget(next);
        await this.options.journal.removeSegment(sessionId, next.segment);
        this.uploadedBytes += next.bytes;
        this.attempt = 0;
        this.lastError = null;
        log.info('uploader: segment confirmed', { sessionId, segment: next.segment, bytes: next.bytes, ms: this.options.now() - startedAt });
        continue;
      }
      this.lastError = outcome.message;
      log.warn('uploader: segment upload failed', { sessionId, segment: next.segment, status: outcome.status ?? null, kind: outcome.kind });
      if (outcome.kind === 'unauthorized') {
        this.authRejected = true;
        continue;
      }
      if (outcome.kind === 'refused') {
        this.refusal = outcome.error ?? { code: 'refused', message: outcome.message };
        log.error('uploader: the server refused this recording for good; uploads stopped', {
          sessionId,
          segment: next.segment,
          code: this.refusal.code,
          status: outcome.status ?? null,
        });
        await this.options.forget(next);
        continue;
      }
      if (outcome.kind === 'permanent') {
        // Kept on disk; later segments would fail the chain check, so the session waits here.
        this.refused = next.segment;
        await this.options.forget(next);
        continue;
      }
      if (outcome.kind === 'gone') await this.options.forget(next);
      const delay = this.options.retryDelay(this.attempt++);
      this.nextRetryAt = this.options.now() + delay;
      this.report();
      await this.sleep(delay, ['auth', 'stop']);
      this.nextRetryAt = null;
    }
  }

  private sent(bytes: number): void {
    this.inFlightSent = bytes;
    const now = this.options.now();
    if (this.sample === null || bytes < this.sample.bytes) this.sample = { at: now, bytes };
    else if (now - this.sample.at >= 1000) {
      this.bytesPerSecond = Math.round(((bytes - this.sample.bytes) * 1000) / (now - this.sample.at));
      this.sample = { at: now, bytes };
    }
    this.report();
  }

  private sleep(ms: number | null, wakesOn: readonly WakeReason[]): Promise<void> {
    if (this.options.closed()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = ms === null ? null : setTimeout(() => done(), ms);
      const done = (): void => {
        if (timer) clearTimeout(timer);
        this.waiter = null;
        resolve();
      };
      this.waiter = { resolve: done, wakesOn };
    });
  }

  /** Emits progress at most once per interval, always ending on the latest state. */
  private report(): void {
    const wait = this.lastEmitAt + this.options.progressIntervalMs - this.options.now();
    if (wait <= 0) {
      this.lastEmitAt = this.options.now();
      this.options.emit(this.progress());
      return;
    }
    this.emitTimer ??= setTimeout(() => {
      this.emitTimer = null;
      this.lastEmitAt = this.options.now();
      this.options.emit(this.progress());
    }, wait);
  }
}

