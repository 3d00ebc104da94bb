import { vi } from 'vitest';
import type { LiveMethod, LiveNotification, LiveNotificationOf, LiveReplyOf, LiveRequestOf } from '../../../shared/api/live';
import { fail, ok } from '../../../shared/result';
import type { LiveConsumeOptions, LiveConsumerLike, LiveDeviceLike, LiveProduceOptions, LiveProducerLike, LiveRtpCapabilities, LiveTransportLike } from '../services/live/liveMedia';
import type { LiveCallError, LiveChannel, LiveHello, LiveResult, LiveSocketState } from '../services/live/liveSocket';

/**
 * Test doubles for the live services' collaborators: a signalling channel answering like the
 * server (scripted per method), and a mediasoup device whose transports behave like
 * mediasoup-client's (a `connect` event before the first produce or consume, `produce` events).
 */

type Handler = (data: unknown) => LiveResult<unknown> | Promise<LiveResult<unknown>>;

export const HELLO: LiveHello = { role: 'learner', routerRtpCapabilities: { codecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }] } };

export class FakeChannel implements LiveChannel {
  state: LiveSocketState = 'idle';
  lastFailure: LiveCallError | null = null;
  closed = false;
  requests: Array<{ method: LiveMethod; data: unknown }> = [];
  handlers: Partial<Record<LiveMethod, Handler>> = {};
  private consumerIds = 0;
  private readonly listeners = new Map<string, Set<(data: unknown) => void>>();
  private readonly ready = new Set<(hello: LiveHello) => void>();
  private readonly states = new Set<(state: LiveSocketState) => void>();

  start() {
    this.setState('connecting');
  }
  close() {
    this.closed = true;
    this.setState('closed');
  }
  async request<M extends LiveMethod>(method: M, data: LiveRequestOf<M>): Promise<LiveResult<LiveReplyOf<M>>> {
    this.requests.push({ method, data });
    if (this.state !== 'open') return fail('disconnected', 'not open');
    const handler = this.handlers[method];
    if (handler) return (await handler(data)) as LiveResult<LiveReplyOf<M>>;
    return ok(this.defaultReply(method, data)) as LiveResult<LiveReplyOf<M>>;
  }
  on<N extends LiveNotification>(name: N, listener: (data: LiveNotificationOf<N>) => void) {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as (data: unknown) => void);
    return () => set.delete(listener as (data: unknown) => void);
  }
  onReady(listener: (hello: LiveHello) => void) {
    this.ready.add(listener);
    return () => this.ready.delete(listener);
  }
  onStateChange(listener: (state: LiveSocketState) => void) {
    this.states.add(listener);
    return () => this.states.delete(listener);
  }

  /** The socket opened and `hello` was answered. */
  open(hello: LiveHello = HELLO) {
    this.setState('open');
    for (const l of [...this.ready]) l(hello);
  }
  push<N extends LiveNotification>(name: N, data: LiveNotificationOf<N>) {
    for (const l of [...(this.listeners.get(name) ?? [])]) l(data);
  }
  setState(state: LiveSocketState) {
    this.state = state;
    for (const l of [...this.states]) l(state);
  }
  methods(): LiveMethod[] {
    return this.requests.map((r) => r.method);
  }
  sent<M extends LiveMethod>(method: M): Array<LiveRequestOf<M>> {
    return this.requests.filter((r) => r.method === method).map((r) => r.data as LiveRequestOf<M>);
  }

  private defaultReply(method: LiveMethod, data: unknown): unknown {
    switch (method) {
      case 'hello':
        return HELLO;
      case 'createTransport':
        return { id: `t-${(data as { direction: string }).direction}-${this.requests.length}`, iceParameters: {}, iceCandidates: [], dtlsParameters: {} };
      case 'produce':
        return { producerId: `p-${(data as { source: string }).source}` };
      case 'consume': {
        const { sessionId, source } = data as { sessionId: string; source: string };
        return { consumerId: `c${++this.consumerIds}-${sessionId}-${source}`, producerId: `p-${sessionId}-${source}`, kind: source === 'microphone' ? 'audio' : 'video', rtpParameters: {} };
      }
      default:
        return {};
    }
  }
}

export class FakeProducer implements LiveProducerLike {
  closed = false;
  replaced: Array<MediaStreamTrack | null> = [];
  constructor(
    readonly id: string,
    public track: MediaStreamTrack | null,
    readonly options: LiveProduceOptions,
  ) {}
  async replaceTrack({ track }: { track: MediaStreamTrack | null }) {
    this.replaced.push(track);
    this.track = track;
  }
  close() {
    this.closed = true;
  }
}

export class FakeConsumer implements LiveConsumerLike {
  closed = false;
  constructor(
    readonly id: string,
    readonly track: MediaStreamTrack,
  ) {}
  close() {
    this.closed = true;
  }
}

type Listener = (...args: never[]) => void;

export class FakeTransport implements LiveTransportLike {
  closed = false;
  connected = false;
  producers: FakeProducer[] = [];
  consumers: FakeConsumer[] = [];
  private readonly listeners = new Map<string, Listener>();
  constructor(
    readonly id: string,
    readonly direction: 'send' | 'recv',
  ) {}
  on(event: string, listener: Listener): unknown {
    this.listeners.set(event, listener);
    return this;
  }
  async produce(options: LiveProduceOptions): Promise<LiveProducerLike> {
    if (this.closed) throw new Error('closed');
    await this.connect();
    const kind = options.track?.kind as 'audio' | 'video';
    const id = await new Promise<string>((resolve, reject) =>
      this.emit('produce', { kind, rtpParameters: { codecs: [] }, appData: options.appData ?? {} }, ({ id }: { id: string }) => resolve(id), reject),
    );
    const producer = new FakeProducer(id, options.track ?? null, options);
    this.producers.push(producer);
    return producer;
  }
  async consume(options: LiveConsumeOptions): Promise<LiveConsumerLike> {
    if (this.closed) throw new Error('closed');
    await this.connect();
    const consumer = new FakeConsumer(options.id, { kind: options.kind, id: `track-${options.id}` } as unknown as MediaStreamTrack);
    this.consumers.push(consumer);
    return consumer;
  }
  close() {
    this.closed = true;
    for (const p of this.producers) p.close();
    for (const c of this.consumers) c.close();
  }
  /** ICE and DTLS: `connected`, `disconnected`, `failed`. */
  state(state: string) {
    this.emit('connectionstatechange', state);
  }
  private async connect() {
    if (this.connected) return;
    this.connected = true;
    await new Promise<void>((resolve, reject) => this.emit('connect', { dtlsParameters: { role: 'client' } }, resolve, reject));
  }
  private emit(event: string, ...args: unknown[]) {
    (this.listeners.get(event) as ((...a: unknown[]) => void) | undefined)?.(...args);
  }
}

export class FakeDevice implements LiveDeviceLike {
  loaded = false;
  loads = 0;
  readonly rtpCapabilities: LiveRtpCapabilities = {
    codecs: [
      { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: 96 },
      { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 },
    ],
  };
  transports: FakeTransport[] = [];
  failLoad = 0;
  async load() {
    this.loads++;
    if (this.failLoad > 0) {
      this.failLoad--;
      throw new Error('load failed');
    }
    this.loaded = true;
  }
  canProduce() {
    return true;
  }
  createSendTransport(options: { id: string }) {
    const t = new FakeTransport(options.id, 'send');
    this.transports.push(t);
    return t;
  }
  createRecvTransport(options: { id: string }) {
    const t = new FakeTransport(options.id, 'recv');
    this.transports.push(t);
    return t;
  }
  get latest(): FakeTransport {
    return this.transports[this.transports.length - 1]!;
  }
}

/** A logger that keeps what it was told, to check failures are logged (and never thrown). */
export function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => vi.fn((message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields }));
  return { log: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}
