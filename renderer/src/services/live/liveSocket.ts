import {
  LIVE_SOCKET_PATH,
  LiveCloseCode,
  LiveNotificationFrame,
  LiveReplyFrame,
  MAX_LIVE_FRAME_BYTES,
  liveMethods,
  liveNotifications,
  type LiveErrorCode,
  type LiveMethod,
  type LiveNotification,
  type LiveNotificationOf,
  type LiveReplyOf,
  type LiveRequestOf,
} from '../../../../shared/api/live';
import { fail, ok, type Result } from '../../../../shared/result';
import type { Logger } from '../logger';

/** The server's codes, plus: no answer in time, no open socket, or an answer this client cannot read. */
export type LiveCallError = LiveErrorCode | 'timeout' | 'disconnected' | 'bad_reply';
export type LiveResult<T> = Result<T, LiveCallError>;

/**
 * `idle` before `start`; `connecting` for the first connection; `open` once `hello` was answered;
 * `reconnecting` after a drop (waiting out the backoff or connecting again); `closed` for good.
 */
export type LiveSocketState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Why a socket closed for good: the sign-in was refused, the session is over, or `close()` was called. */
export type LiveStopReason = 'unauthorised' | 'session_over' | 'stopped';

export type LiveHello = LiveReplyOf<'hello'>;

/** What live media needs from a signalling socket; the real one is `LiveSocket`, tests hand in fakes. */
export interface LiveChannel {
  readonly state: LiveSocketState;
  /** Why the last `hello` was refused (`live_unavailable`: no SFU on the server now); null once one succeeds. */
  readonly lastFailure: LiveCallError | null;
  start(): void;
  close(): void;
  request<M extends LiveMethod>(method: M, data: LiveRequestOf<M>): Promise<LiveResult<LiveReplyOf<M>>>;
  on<N extends LiveNotification>(name: N, listener: (data: LiveNotificationOf<N>) => void): () => void;
  /** After every successful `hello` (the first connection and each reconnection). */
  onReady(listener: (hello: LiveHello) => void): () => void;
  onStateChange(listener: (state: LiveSocketState) => void): () => void;
}

/** The slice of the browser WebSocket this client uses. */
export interface LiveWebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { readonly code: number; readonly reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { readonly data: unknown }) => void) | null;
}
export type LiveWebSocketCtor = new (url: string) => LiveWebSocketLike;

/** The sign-in the socket says `hello` with. */
export interface LiveAuth {
  /** The current access token, or null when nobody is signed in. */
  accessToken(): string | null;
  /** Exchanges the refresh token for a new access token (shared with the API client's own refresh). */
  refreshAccessToken(): Promise<boolean>;
}

export interface LiveSocketOptions {
  /** The review server's base URL (http or https); the socket is at `LIVE_SOCKET_PATH` on it. */
  readonly serverUrl: () => Promise<string>;
  readonly auth: LiveAuth;
  readonly WebSocket: LiveWebSocketCtor;
  /** Returns a cancel function. */
  readonly setTimeout: (fn: () => void, ms: number) => () => void;
  /** In [0, 1): the backoff's jitter. */
  readonly random: () => number;
  readonly log: Logger;
  readonly requestTimeoutMs?: number;
}

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * The wait before reconnection attempt `attempt` (0-based): 1 s doubling up to 30 s, each drawn
 * between half and all of that ("equal jitter"), so clients dropped together do not return together.
 */
export function liveBackoffMs(attempt: number, random: number): number {
  const base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.min(attempt, 16));
  return Math.round(base / 2 + (base / 2) * random);
}

/** `https://exams.example.edu/` → `wss://exams.example.edu/api/live/socket`. */
export function liveSocketUrl(serverUrl: string): string {
  const base = serverUrl.replace(/\/+$/, '').replace(/^http(s?):/i, 'ws$1:');
  return base + LIVE_SOCKET_PATH;
}

interface Pending {
  readonly method: LiveMethod;
  readonly settle: (result: LiveResult<unknown>) => void;
  readonly cancelTimer: () => void;
}

/**
 * The live signalling socket: says `hello` with the current access token, matches replies to
 * requests by id, times requests out, hands server pushes to listeners, and reconnects with backoff
 * after a drop. Close code 4409 (session over) stops it for good; 4401 (token refused) makes it
 * refresh the access token and try once more, then stop. Nothing here throws: failures are results.
 */
export class LiveSocket implements LiveChannel {
  private ws: LiveWebSocketLike | null = null;
  private current: LiveSocketState = 'idle';
  private reason: LiveStopReason | null = null;
  private failure: LiveCallError | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private attempt = 0;
  /** A 4401 was answered with a refresh and a new connection; another one ends the socket. */
  private refreshed = false;
  private cancelReconnect: (() => void) | null = null;
  private readonly notificationListeners = new Map<string, Set<(data: unknown) => void>>();
  private readonly readyListeners = new Set<(hello: LiveHello) => void>();
  private readonly stateListeners = new Set<(state: LiveSocketState) => void>();

  constructor(private readonly o: LiveSocketOptions) {}

  get state(): LiveSocketState {
    return this.current;
  }

  get lastFailure(): LiveCallError | null {
    return this.failure;
  }

  /** Set once the socket has closed for good. */
  get stopReason(): LiveStopReason | null {
    return this.reason;
  }

  start(): void {
    if (this.current !== 'idle') return;
    this.setState('connecting');
    void this.connect();
  }

  close(): void {
    this.stopForGood('stopped');
  }

  on<N extends LiveNotification>(name: N, listener: (data: LiveNotificationOf<N>) => void): () => void {
    let set = this.notificationListeners.get(name);
    if (!set) this.notificationListeners.set(name, (set = new Set()));
    const l = listener as (data: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  onReady(listener: (hello: LiveHello) => void): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  onStateChange(listener: (state: LiveSocketState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  request<M extends LiveMethod>(method: M, data: LiveRequestOf<M>): Promise<LiveResult<LiveReplyOf<M>>> {
    const ws = this.ws;
    if (this.current !== 'open' || !ws) return Promise.resolve(fail('disconnected', 'The live connection is not open.'));
    return this.send(ws, method, data);
  }

  private send<M extends LiveMethod>(ws: LiveWebSocketLike, method: M, data: LiveRequestOf<M>): Promise<LiveResult<LiveReplyOf<M>>> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      const frame = JSON.stringify({ id, method, data });
      if (frame.length > MAX_LIVE_FRAME_BYTES) {
        this.o.log.warn('live request too large, not sent', { method, bytes: frame.length });
        resolve(fail('bad_request', 'The request is too large.'));
        return;
      }
      const cancelTimer = this.o.setTimeout(() => {
        if (!this.pending.delete(id)) return;
        this.o.log.warn('live request timed out', { method });
        resolve(fail('timeout', 'The live server did not answer in time.'));
      }, this.o.requestTimeoutMs ?? 10_000);
      this.pending.set(id, { method, settle: resolve as (result: LiveResult<unknown>) => void, cancelTimer });
      try {
        ws.send(frame);
      } catch (error) {
        this.pending.delete(id);
        cancelTimer();
        this.o.log.warn('live request not sent', { method, error: String(error) });
        resolve(fail('disconnected', 'The live connection is not open.'));
      }
    });
  }

  private async connect(): Promise<void> {
    this.cancelReconnect = null;
    let url: string;
    try {
      url = liveSocketUrl(await this.o.serverUrl());
    } catch (error) {
      this.o.log.warn('live server address unavailable', { error: String(error) });
      this.scheduleReconnect();
      return;
    }
    if (this.current === 'closed') return;
    const token = this.o.auth.accessToken();
    if (!token) {
      this.o.log.warn('live not started: not signed in');
      this.stopForGood('unauthorised');
      return;
    }
    let ws: LiveWebSocketLike;
    try {
      ws = new this.o.WebSocket(url);
    } catch (error) {
      this.o.log.warn('live socket could not be created', { error: String(error) });
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (ws === this.ws) void this.hello(ws, token);
    };
    ws.onmessage = (ev) => {
      if (ws === this.ws) this.receive(ev.data);
    };
    ws.onerror = () => {
      // A close event follows with the code; the error event itself says nothing useful.
    };
    ws.onclose = (ev) => {
      if (ws === this.ws) this.onClosed(ev.code);
    };
  }

  private async hello(ws: LiveWebSocketLike, accessToken: string): Promise<void> {
    const reply = await this.send(ws, 'hello', { accessToken });
    if (ws !== this.ws) return;
    if (!reply.ok) {
      this.o.log.warn('live hello refused', { code: reply.error.code });
      this.failure = reply.error.code;
      this.detach(ws, 1000);
      if (reply.error.code === 'unauthorised') void this.onUnauthorised();
      else this.scheduleReconnect();
      return;
    }
    this.attempt = 0;
    this.refreshed = false;
    this.failure = null;
    this.setState('open');
    this.o.log.info('live socket open', { role: reply.value.role });
    for (const listener of [...this.readyListeners]) this.safely('ready', () => listener(reply.value));
  }

  private onClosed(code: number): void {
    this.ws = null;
    this.failPending();
    if (this.current === 'closed') return;
    this.o.log.warn('live socket closed', { code });
    if (code === LiveCloseCode.sessionOver) this.stopForGood('session_over');
    else if (code === LiveCloseCode.unauthorised) void this.onUnauthorised();
    else this.scheduleReconnect();
  }

  private async onUnauthorised(): Promise<void> {
    if (this.refreshed) {
      this.stopForGood('unauthorised');
      return;
    }
    this.refreshed = true;
    this.setState('reconnecting');
    const refreshed = await this.o.auth.refreshAccessToken().catch(() => false);
    if (this.current === 'closed') return;
    if (refreshed) {
      void this.connect();
      return;
    }
    if (this.o.auth.accessToken() === null) {
      // The API client dropped the sign-in: the learner signs in again, and nothing here can help.
      this.stopForGood('unauthorised');
      return;
    }
    // Kept tokens mean the refresh could not reach the server: try again later, refreshing again if needed.
    this.refreshed = false;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.current === 'closed') return;
    // Told on every attempt, not only the first: `lastFailure` may have changed.
    this.setState('reconnecting', true);
    const delay = liveBackoffMs(this.attempt++, this.o.random());
    this.o.log.info('live socket reconnecting', { delayMs: delay });
    this.cancelReconnect?.();
    this.cancelReconnect = this.o.setTimeout(() => void this.connect(), delay);
  }

  private stopForGood(reason: LiveStopReason): void {
    if (this.current === 'closed') return;
    this.reason = reason;
    this.cancelReconnect?.();
    this.cancelReconnect = null;
    const ws = this.ws;
    if (ws) this.detach(ws, 1000);
    this.failPending();
    if (reason !== 'stopped') this.o.log.warn('live stopped', { reason });
    this.setState('closed');
  }

  /** Forgets a socket and closes it; its late events are ignored. */
  private detach(ws: LiveWebSocketLike, code: number): void {
    if (this.ws === ws) this.ws = null;
    this.failPending();
    try {
      ws.close(code);
    } catch (error) {
      this.o.log.warn('live socket close failed', { error: String(error) });
    }
  }

  private failPending(): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      p.cancelTimer();
      p.settle(fail('disconnected', 'The live connection closed.'));
    }
  }

  private receive(raw: unknown): void {
    if (typeof raw !== 'string' || raw.length > MAX_LIVE_FRAME_BYTES) {
      this.o.log.warn('live frame ignored: not text or too large');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      this.o.log.warn('live frame ignored: not JSON');
      return;
    }
    if (typeof json === 'object' && json !== null && 'id' in json) this.onReply(json);
    else this.onNotification(json);
  }

  private onReply(json: object): void {
    const frame = LiveReplyFrame.safeParse(json);
    if (!frame.success) {
      this.o.log.warn('live reply ignored: malformed');
      return;
    }
    const pending = this.pending.get(frame.data.id);
    if (!pending) return;
    this.pending.delete(frame.data.id);
    pending.cancelTimer();
    if (!frame.data.ok) {
      pending.settle(fail(frame.data.error.code, frame.data.error.message));
      return;
    }
    const data = liveMethods[pending.method].reply.safeParse(frame.data.data ?? {});
    if (!data.success) {
      this.o.log.warn('live reply did not match its schema', { method: pending.method });
      pending.settle(fail('bad_reply', 'The live server sent a reply this app does not understand.'));
      return;
    }
    pending.settle(ok(data.data));
  }

  private onNotification(json: unknown): void {
    const frame = LiveNotificationFrame.safeParse(json);
    if (!frame.success || !(frame.data.notification in liveNotifications)) {
      this.o.log.warn('live push ignored: unknown', { notification: frame.success ? frame.data.notification : null });
      return;
    }
    const name = frame.data.notification as LiveNotification;
    const data = liveNotifications[name].safeParse(frame.data.data);
    if (!data.success) {
      this.o.log.warn('live push ignored: malformed', { notification: name });
      return;
    }
    for (const listener of [...(this.notificationListeners.get(name) ?? [])]) this.safely(name, () => listener(data.data));
  }

  private setState(state: LiveSocketState, always = false): void {
    if (this.current === state && !always) return;
    this.current = state;
    for (const listener of [...this.stateListeners]) this.safely('state', () => listener(state));
  }

  /** A listener's bug is logged; it never breaks the socket. */
  private safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.o.log.error('live listener failed', { what, error: String(error) });
    }
  }
}
