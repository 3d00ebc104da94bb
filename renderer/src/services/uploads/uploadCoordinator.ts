import type { InvigilHost, UploadProgress } from '../../../../shared/ipc/contract';
import { fail, ok, type Result } from '../../../../shared/result';
import type { ApiClient } from '../api/apiClient';
import type { Logger } from '../logger';

export interface UploadCoordinatorOptions {
  readonly host: Pick<InvigilHost, 'uploads:authorize' | 'uploads:list' | 'uploads:status' | 'on'>;
  readonly api: Pick<ApiClient, 'call'>;
  /** Returns a cancel function. */
  readonly setTimeout: (fn: () => void, ms: number) => () => void;
  /** Epoch ms. */
  readonly now: () => number;
  readonly log: Logger;
  /** A host that asks again at once is not asked back faster than this (a token the server refuses would loop). */
  readonly minReauthorizeMs?: number;
}

/**
 * The renderer's side of recording uploads: the host's uploader needs a session-scoped token from
 * the server, which only the signed-in renderer can fetch. This hands tokens over at exam start,
 * when the host asks (`needs_authorization`) and after sign-in for uploads a closed app left behind,
 * and keeps the latest progress per session for the footer, the receipt and the exam list.
 */
export class UploadCoordinator {
  private progress: ReadonlyMap<string, UploadProgress> = new Map();
  private readonly listeners = new Set<() => void>();
  private readonly inFlight = new Map<string, Promise<Result<null>>>();
  private readonly lastAuthorized = new Map<string, number>();
  private readonly deferred = new Map<string, () => void>();

  constructor(private readonly o: UploadCoordinatorOptions) {}

  /** Listens to the host's progress events; returns the unsubscribe. */
  start(): () => void {
    return this.o.host.on('uploads:onProgress', (p) => this.record(p));
  }

  snapshot(): ReadonlyMap<string, UploadProgress> {
    return this.progress;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fetches a fresh upload token for the session and hands it to the host's uploader. */
  authorize(sessionId: string): Promise<Result<null>> {
    const running = this.inFlight.get(sessionId);
    if (running) return running;
    const attempt = (async (): Promise<Result<null>> => {
      const token = await this.o.api.call('recordingUploadToken', { params: { sessionId }, body: {} });
      if (!token.ok) {
        this.o.log.warn('upload token not issued', { sessionId, code: token.error.code });
        return fail(token.error.code, token.error.message);
      }
      const given = await this.o.host['uploads:authorize']({ sessionId, ...token.value });
      if (!given.ok) {
        this.o.log.warn('uploads:authorize failed', { sessionId, code: given.error.code });
        return fail(given.error.code, given.error.message);
      }
      this.lastAuthorized.set(sessionId, this.o.now());
      this.o.log.info('uploads authorized', { sessionId });
      return ok(null);
    })();
    this.inFlight.set(sessionId, attempt);
    void attempt.then(() => this.inFlight.delete(sessionId));
    return attempt;
  }

  /** Authorizes the session unless this page already did (the host keeps a token until it expires or is refused). */
  ensureAuthorized(sessionId: string): Promise<Result<null>> {
    if (this.lastAuthorized.has(sessionId)) return Promise.resolve(ok(null));
    return this.authorize(sessionId);
  }

  /** Asks the host what is left to upload (after a restart) and authorizes every such session. */
  async resumePending(): Promise<void> {
    const listed = await this.o.host['uploads:list']({});
    if (!listed.ok) {
      this.o.log.warn('uploads:list failed', { code: listed.error.code });
      return;
    }
    for (const p of listed.value.sessions) this.record(p, false);
    const pending = listed.value.sessions.filter((p) => !p.safeToClose);
    await Promise.all(pending.map((p) => this.authorize(p.sessionId)));
  }

  /** Reads one session's progress from the host (the receipt page on arrival). */
  async refresh(sessionId: string): Promise<Result<UploadProgress>> {
    const status = await this.o.host['uploads:status']({ sessionId });
    if (!status.ok) return status;
    this.record(status.value);
    return ok(status.value);
  }

  private record(p: UploadProgress, react = true): void {
    const next = new Map(this.progress);
    next.set(p.sessionId, p);
    this.progress = next;
    for (const listener of [...this.listeners]) listener();
    if (react && p.state === 'needs_authorization') this.reauthorize(p.sessionId);
  }

  private reauthorize(sessionId: string): void {
    if (this.inFlight.has(sessionId) || this.deferred.has(sessionId)) return;
    const last = this.lastAuthorized.get(sessionId);
    const wait = last === undefined ? 0 : Math.max(0, last + (this.o.minReauthorizeMs ?? 10_000) - this.o.now());
    if (wait === 0) {
      void this.authorize(sessionId);
      return;
    }
    const cancel = this.o.setTimeout(() => {
      this.deferred.delete(sessionId);
      if (this.progress.get(sessionId)?.state === 'needs_authorization') void this.authorize(sessionId);
    }, wait);
    this.deferred.set(sessionId, cancel);
  }
}
