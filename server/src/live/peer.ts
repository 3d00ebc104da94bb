// One signalling socket: who said `hello` on it, what it joined or watches, and the mediasoup
// objects it owns. Requests run one at a time, in the order they arrived.
import type { types } from 'mediasoup';
import { WebSocket } from 'ws';
import type { LiveErrorCode, LiveNotification, LiveNotificationOf, UserView } from '../../../shared/api';

export type TransportDirection = 'send' | 'recv';

export interface OwnedTransport {
  readonly transport: types.WebRtcTransport;
  readonly direction: TransportDirection;
}

/** A request refused with one of the contract's error codes. */
export class LiveError extends Error {
  override readonly name = 'LiveError';
  constructor(
    readonly code: LiveErrorCode,
    message: string,
  ) {
    super(message);
  }
}

let peerCounter = 0;

export class Peer {
  readonly id = `peer-${++peerCounter}`;
  /** Set by a valid `hello`. */
  user: UserView | null = null;
  /** The pool slot (router) this socket's transports live on; a learner's is its session's. */
  slot: number | null = null;
  /** Whether it created transports on `slot` since it was last told `restarted`. */
  usedSlot = false;
  /** Its media went with a dead worker: tell it `restarted` once it has a router again. */
  needsRestart = false;
  /** Learner: the session it joined. */
  sessionId: string | null = null;
  /** Staff: receives `tiles`. */
  watching = false;
  /** Answered a ping since the last one. */
  alive = true;
  readonly transports = new Map<string, OwnedTransport>();
  readonly consumers = new Map<string, types.Consumer>();
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly socket: WebSocket) {}

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Runs `work` after every request received before it has been answered. */
  enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work, work);
  }

  reply(id: number, data: unknown): void {
    this.sendFrame({ id, ok: true, data });
  }

  fail(id: number, code: LiveErrorCode, message: string): void {
    this.sendFrame({ id, ok: false, error: { code, message } });
  }

  notify<N extends LiveNotification>(notification: N, data: LiveNotificationOf<N>): void {
    this.sendFrame({ notification, data });
  }

  sendText(text: string): void {
    if (this.open) this.socket.send(text);
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(code, reason);
  }

  /** Closes every transport (and with them its producers and consumers). */
  closeMedia(): void {
    for (const { transport } of [...this.transports.values()]) transport.close();
    this.transports.clear();
    for (const consumer of [...this.consumers.values()]) consumer.close();
    this.consumers.clear();
  }

  private sendFrame(frame: object): void {
    this.sendText(JSON.stringify(frame));
  }
}
