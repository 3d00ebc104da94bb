import {
  contract,
  events,
  hostErrorCodes,
  type Channel,
  type EventName,
  type EventPayload,
  type HostErrorCode,
  type HostResult,
  type InvigilHost,
  type RequestOf,
} from '../../../shared/ipc/contract';
import { decodeFrame, encodeFrame } from '../../../shared/ipc/frameCodec';
import { fail } from '../../../shared/result';
import type { Logger } from '../services/logger';

/** The slice of the browser WebSocket this client uses, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WebSocketHostOptions {
  readonly url: string;
  readonly createSocket: (url: string) => SocketLike;
  readonly timers: Timers;
  readonly log: Logger;
  /** How long an invoke made while (re)connecting waits for the socket before failing. */
  readonly connectWaitMs?: number;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

const OPEN = 1;

type Settle = (result: HostResult<Channel>) => void;
interface InFlight {
  readonly channel: Channel;
  readonly settle: Settle;
}
interface Waiting {
  readonly send: () => void;
  readonly giveUp: () => void;
  readonly timer: unknown;
}

/**
 * `InvigilHost` over the web host's socket: request ids match replies to invokes, the socket
 * reconnects with backoff, and an invoke whose socket goes down resolves with `host_unavailable`
 * instead of hanging, so callers (the answer journal above all) can decide what to do.
 */
export class WebSocketHostClient {
  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly inFlight = new Map<number, InFlight>();
  private waiting: Waiting[] = [];
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private backoffMs: number;
  private reconnectTimer: unknown = null;
  private closed = false;

  constructor(private readonly options: WebSocketHostOptions) {
    this.backoffMs = options.minBackoffMs ?? 250;
    this.connect();
  }

  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<HostResult<C>> {
    return new Promise<HostResult<C>>((resolve) => {
      const settle = resolve as unknown as Settle;
      const send = () => {
        const id = this.nextId++;
        this.inFlight.set(id, { channel, settle });
        try {
          this.socket?.send(encodeFrame({ type: 'invoke', id, channel, request }));
        } catch (error) {
          this.inFlight.delete(id);
          this.options.log.warn('host socket send failed', { channel, error: String(error) });
          settle(fail('host_unavailable', 'The connection to the host was lost.'));
        }
      };
      if (this.socket?.readyState === OPEN) {
        send();
        return;
      }
      if (this.closed) {
        settle(fail('host_unavailable', 'The connection to the host is closed.'));
        return;
      }
      // Still connecting (page load, or a reconnect): wait a little rather than fail at once.
      const waiter: Waiting = {
        send,
        giveUp: () => settle(fail('host_unavailable', 'The host did not answer: it may have stopped.')),
        timer: this.options.timers.setTimeout(() => {
          this.waiting = this.waiting.filter((w) => w !== waiter);
          waiter.giveUp();
        }, this.options.connectWaitMs ?? 5_000),
      };
      this.waiting.push(waiter);
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    this.listeners.set(event, set);
    return () => set.delete(wrapped);
  }

  /** The contract's shape: one method per channel, plus `on`. */
  asHost(): InvigilHost {
    const host: Record<string, unknown> = { on: this.on.bind(this) };
    for (const channel of Object.keys(contract) as Channel[]) {
      host[channel] = (request: RequestOf<Channel>) => this.invoke(channel, request);
    }
    return host as InvigilHost;
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer !== null) this.options.timers.clearTimeout(this.reconnectTimer);
    this.socket?.close();
    this.failAll();
  }

  private connect(): void {
    this.reconnectTimer = null;
    const socket = this.options.createSocket(this.options.url);
    this.socket = socket;
    socket.onopen = () => {
      this.backoffMs = this.options.minBackoffMs ?? 250;
      const waiting = this.waiting;
      this.waiting = [];
      for (const w of waiting) {
        this.options.timers.clearTimeout(w.timer);
        w.send();
      }
    };
    socket.onmessage = (ev) => this.onMessage(ev.data);
    socket.onerror = () => {
      // The close event follows and carries the reconnect; nothing to add here beyond the log.
      this.options.log.warn('host socket error');
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failInFlight();
      if (this.closed) return;
      const delay = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 10_000);
      this.reconnectTimer = this.options.timers.setTimeout(() => this.connect(), delay);
    };
  }

  private onMessage(data: unknown): void {
    // Binary values (recording chunks) travel as {"$bytes": base64}; decodeFrame restores them.
    const frame = decodeFrame(String(data));
    if (!frame) {
      this.options.log.warn('host socket: malformed frame ignored');
      return;
    }
    if (frame.type === 'reply') {
      const pending = this.inFlight.get(frame.id);
      if (!pending) return;
      this.inFlight.delete(frame.id);
      pending.settle(checkResult(pending.channel, frame.result));
    } else if (frame.type === 'event') {
      const schema = (events as Record<string, (typeof events)[EventName]>)[frame.event];
      const payload = schema?.safeParse(frame.payload);
      if (!payload?.success) {
        this.options.log.warn('host socket: unknown or malformed event ignored', { event: frame.event });
        return;
      }
      for (const listener of this.listeners.get(frame.event) ?? []) listener(payload.data);
    }
  }

  private failInFlight(): void {
    const inFlight = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const p of inFlight) p.settle(fail('host_unavailable', 'The connection to the host was lost.'));
  }

  private failAll(): void {
    this.failInFlight();
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) {
      this.options.timers.clearTimeout(w.timer);
      w.giveUp();
    }
  }
}

/** The host is trusted less than the contract: a reply that does not fit it becomes `internal`. */
function checkResult(channel: Channel, result: unknown): HostResult<Channel> {
  if (typeof result === 'object' && result !== null && 'ok' in result) {
    const r = result as { ok: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } };
    if (r.ok === true) {
      const value = contract[channel].reply.safeParse(r.value);
      if (value.success) return { ok: true, value: value.data } as HostResult<Channel>;
    } else if (r.ok === false && isHostErrorCode(r.error?.code)) {
      return fail(r.error.code, typeof r.error.message === 'string' ? r.error.message : '');
    }
  }
  return fail('internal', `The host sent an unexpected reply to ${channel}.`);
}

function isHostErrorCode(code: unknown): code is HostErrorCode {
  return typeof code === 'string' && (hostErrorCodes as readonly string[]).includes(code);
}
