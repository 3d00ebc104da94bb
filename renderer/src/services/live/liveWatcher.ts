import type { LiveSource, LiveTile } from '../../../../shared/api/live';
import type { Logger } from '../logger';
import { transportOptions, type LiveConsumerLike, type LiveDeviceLike, type LiveRtpCapabilities, type LiveTransportLike } from './liveMedia';
import { liveBackoffMs, type LiveChannel, type LiveHello, type LiveSocketState } from './liveSocket';

/**
 * The proctor's connection: `unavailable` when the server has live switched off or its SFU is down
 * (it keeps trying), `off` once stopped for good (the sign-in was refused).
 */
export type WatchStatus = 'connecting' | 'live' | 'reconnecting' | 'unavailable' | 'off';

/** One consumed source: a stream for a media element, and the consumer to resume once it is attached. */
export interface ConsumedMedia {
  readonly consumerId: string;
  readonly stream: MediaStream;
}

export interface TileMedia {
  readonly camera: ConsumedMedia | null;
  /** Only for the focused tile. */
  readonly microphone: ConsumedMedia | null;
  /** Only for the focused tile, when the learner sends a screen. */
  readonly screen: ConsumedMedia | null;
  /** The camera was lost (the learner's connection, an SFU restart) and is being set up again. */
  readonly reconnecting: boolean;
}

export interface WatchSnapshot {
  readonly status: WatchStatus;
  /** Every in-progress session with live media, sorted by learner name (the server's order). */
  readonly tiles: readonly LiveTile[];
  readonly media: ReadonlyMap<string, TileMedia>;
}

/** The proctor's Live page's service. */
export interface ProctorLive {
  snapshot(): WatchSnapshot;
  subscribe(listener: () => void): () => void;
  start(): void;
  stop(): void;
  /** The sessions on screen: their cameras are consumed (layer 0), the others' closed. */
  show(sessionIds: readonly string[]): void;
  /** The focused session (camera at layer 1, microphone, screen), or null. */
  focus(sessionId: string | null): void;
  /** The page has put this consumer's stream into a media element: the server may start sending. */
  attached(consumerId: string): void;
}

export interface LiveWatcherOptions {
  readonly createChannel: () => LiveChannel;
  readonly createDevice: () => Promise<LiveDeviceLike>;
  /** A stream holding one consumed track (the browser's `new MediaStream([track])`). */
  readonly createStream: (track: MediaStreamTrack) => MediaStream;
  readonly setTimeout: (fn: () => void, ms: number) => () => void;
  readonly random: () => number;
  readonly log: Logger;
}

interface Consumed {
  readonly sessionId: string;
  readonly source: LiveSource;
  readonly consumer: LiveConsumerLike;
  readonly media: ConsumedMedia;
}

const EMPTY: WatchSnapshot = { status: 'off', tiles: [], media: new Map() };
const keyOf = (sessionId: string, source: LiveSource) => `${sessionId}\u0000${source}`;

/**
 * Watches every live session: the `tiles` pushes, one receive transport, a paused consumer per
 * visible camera (the server starts it at layer 0; resumed once the page has attached it), and the
 * focused learner's microphone and screen. Dropped consumers, SFU restarts and socket drops are set
 * up again as the sources come back. A failed setup is logged and started over on a new socket
 * after a backoff (closing the old one drops whatever the server still holds for it).
 */
export class LiveWatcher implements ProctorLive {
  private channel: LiveChannel | null = null;
  private running = false;
  private status: WatchStatus = 'off';
  private tiles: readonly LiveTile[] = [];
  private visible: readonly string[] = [];
  private focused: string | null = null;
  private hello: LiveHello | null = null;
  private device: { caps: string; device: LiveDeviceLike } | null = null;
  private transport: LiveTransportLike | null = null;
  private generation = 0;
  private readonly consumed = new Map<string, Consumed>();
  private readonly inFlight = new Set<string>();
  private readonly resumed = new Set<string>();
  /** Sessions whose camera was lost and not consumed again yet. */
  private readonly lost = new Set<string>();
  private setupAttempt = 0;
  private consumeAttempt = 0;
  private cancelSetupRetry: (() => void) | null = null;
  private cancelConsumeRetry: (() => void) | null = null;
  private unsubscribe: Array<() => void> = [];
  private cached: WatchSnapshot = EMPTY;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly o: LiveWatcherOptions) {}

  snapshot(): WatchSnapshot {
    return this.cached;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.guard('start', () => {
      this.running = true;
      this.status = 'connecting';
      this.emit();
      this.openChannel();
    });
  }

  stop(): void {
    if (!this.running) return;
    this.guard('stop', () => {
      this.running = false;
      this.teardown(false);
      this.closeChannel();
      this.tiles = [];
      this.lost.clear();
      this.status = 'off';
      this.emit();
    });
  }

  show(sessionIds: readonly string[]): void {
    this.visible = [...sessionIds];
    this.reconcile();
  }

  focus(sessionId: string | null): void {
    const previous = this.focused;
    if (previous === sessionId) return;
    this.focused = sessionId;
    if (previous !== null) this.setLayer(previous, 0);
    if (sessionId !== null) this.setLayer(sessionId, 1);
    this.reconcile();
  }

  attached(consumerId: string): void {
    if (this.resumed.has(consumerId) || !this.channel) return;
    this.resumed.add(consumerId);
    void this.channel.request('resumeConsumer', { consumerId }).then((r) => {
      if (!r.ok) this.o.log.warn('live consumer not resumed', { code: r.error.code });
    });
  }

  private openChannel(): void {
    const channel = this.o.createChannel();
    this.channel = channel;
    this.unsubscribe = [
      channel.onReady((hello) => channel === this.channel && this.onReady(hello)),
      channel.onStateChange((state) => channel === this.channel && this.onSocketState(state)),
      channel.on('tiles', ({ tiles }) => channel === this.channel && this.onTiles(tiles)),
      channel.on('consumerClosed', ({ consumerId }) => channel === this.channel && this.onConsumerClosed(consumerId)),
      channel.on('restarted', () => channel === this.channel && this.onRestarted()),
    ];
    channel.start();
  }

  private closeChannel(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.channel?.close();
    this.channel = null;
  }

  private onReady(hello: LiveHello): void {
    this.hello = hello;
    this.setUp(true);
  }

  private onSocketState(state: LiveSocketState): void {
    if (state === 'reconnecting') {
      this.teardown(true);
      this.status = this.channel?.lastFailure === 'live_unavailable' ? 'unavailable' : 'reconnecting';
      this.emit();
    } else if (state === 'closed') {
      this.teardown(true);
      this.running = false;
      this.status = 'off';
      this.emit();
    }
  }

  private onTiles(tiles: readonly LiveTile[]): void {
    this.tiles = tiles;
    const present = new Set(tiles.map((t) => t.sessionId));
    for (const id of [...this.lost]) if (!present.has(id)) this.lost.delete(id);
    this.reconcile();
    this.emit();
  }

  private onConsumerClosed(consumerId: string): void {
    const entry = [...this.consumed.values()].find((c) => c.media.consumerId === consumerId);
    if (!entry) return;
    this.o.log.info('live consumer closed by the server', { source: entry.source });
    this.drop(entry, false);
    if (entry.source === 'camera') this.lost.add(entry.sessionId);
    this.emit();
    this.reconcile();
  }

  private onRestarted(): void {
    this.o.log.warn('live SFU restarted, setting up again');
    this.teardown(true);
    this.status = 'reconnecting';
    this.emit();
    this.setUp(false);
  }

  /** `watch` (on a new socket), the device, one receive transport; then the consumers. */
  private setUp(watch: boolean): void {
    const generation = ++this.generation;
    void this.trySetUp(generation, watch).catch((error: unknown) => this.setupFailed(generation, 'setup threw', String(error)));
  }

  private async trySetUp(generation: number, watch: boolean): Promise<void> {
    const channel = this.channel;
    const hello = this.hello;
    if (!channel || !hello) return;
    if (watch) {
      const watching = await channel.request('watch', {});
      if (!this.alive(generation)) return;
      if (!watching.ok) return this.setupFailed(generation, 'watch', watching.error.code);
    }
    const device = await this.loadDevice(hello.routerRtpCapabilities as unknown as LiveRtpCapabilities);
    if (!this.alive(generation)) return;
    const params = await channel.request('createTransport', { direction: 'recv' });
    if (!this.alive(generation)) return;
    if (!params.ok) return this.setupFailed(generation, 'createTransport', params.error.code);
    const transport = device.createRecvTransport(transportOptions(params.value));
    this.transport = transport;
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      void channel
        .request('connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters as unknown as Record<string, unknown> })
        .then((r) => (r.ok ? callback() : errback(new Error(r.error.code))));
    });
    transport.on('connectionstatechange', (state) => {
      if (!this.alive(generation)) return;
      if (state === 'failed') this.setupFailed(generation, 'transport', 'failed');
    });
    this.setupAttempt = 0;
    this.status = 'live';
    this.emit();
    this.reconcile();
  }

  /** Consumes what is wanted and not consumed; closes what is consumed and no longer wanted. */
  private reconcile(): void {
    const transport = this.transport;
    const channel = this.channel;
    if (!transport || !channel || !this.running) return;
    const wanted = this.wanted();
    for (const [key, entry] of [...this.consumed]) {
      if (wanted.has(key)) continue;
      this.drop(entry, true);
      // A camera still on screen whose source went away: it comes back when the learner does.
      if (entry.source === 'camera' && this.visible.includes(entry.sessionId) && this.tiles.some((t) => t.sessionId === entry.sessionId)) {
        this.lost.add(entry.sessionId);
      }
    }
    for (const [key, { sessionId, source }] of wanted) {
      if (this.consumed.has(key) || this.inFlight.has(key)) continue;
      void this.consume(this.generation, transport, channel, sessionId, source).catch((error: unknown) => {
        this.inFlight.delete(key);
        this.consumeFailed(sessionId, source, String(error));
      });
    }
    this.emit();
  }

  private wanted(): Map<string, { sessionId: string; source: LiveSource }> {
    const wanted = new Map<string, { sessionId: string; source: LiveSource }>();
    const tiles = new Map(this.tiles.map((t) => [t.sessionId, t]));
    const want = (sessionId: string, source: LiveSource) => {
      if (tiles.get(sessionId)?.sources.includes(source)) wanted.set(keyOf(sessionId, source), { sessionId, source });
    };
    for (const id of this.visible) want(id, 'camera');
    if (this.focused !== null) {
      want(this.focused, 'camera');
      want(this.focused, 'microphone');
      want(this.focused, 'screen');
    }
    return wanted;
  }

  private async consume(generation: number, transport: LiveTransportLike, channel: LiveChannel, sessionId: string, source: LiveSource): Promise<void> {
    const key = keyOf(sessionId, source);
    const device = this.device?.device;
    if (!device) return;
    this.inFlight.add(key);
    const reply = await channel.request('consume', {
      transportId: transport.id,
      sessionId,
      source,
      rtpCapabilities: device.rtpCapabilities as unknown as Record<string, unknown>,
    });
    if (generation !== this.generation) {
      if (reply.ok) void channel.request('closeConsumer', { consumerId: reply.value.consumerId });
      return;
    }
    if (!reply.ok) {
      this.inFlight.delete(key);
      this.consumeFailed(sessionId, source, reply.error.code);
      return;
    }
    const consumer = await transport.consume({
      id: reply.value.consumerId,
      producerId: reply.value.producerId,
      kind: reply.value.kind,
      rtpParameters: reply.value.rtpParameters as unknown as LiveConsumeRtp,
    });
    this.inFlight.delete(key);
    if (generation !== this.generation || !this.wanted().has(key)) {
      consumer.close();
      void channel.request('closeConsumer', { consumerId: consumer.id });
      return;
    }
    const entry: Consumed = { sessionId, source, consumer, media: { consumerId: consumer.id, stream: this.o.createStream(consumer.track) } };
    this.consumed.set(key, entry);
    this.consumeAttempt = 0;
    if (source === 'camera') {
      this.lost.delete(sessionId);
      if (this.focused === sessionId) this.setLayer(sessionId, 1);
    }
    this.emit();
  }

  private consumeFailed(sessionId: string, source: LiveSource, code: string): void {
    this.o.log.warn('live consume failed', { sessionId, source, code });
    if (this.cancelConsumeRetry) return;
    const delay = liveBackoffMs(this.consumeAttempt++, this.o.random());
    this.cancelConsumeRetry = this.o.setTimeout(() => {
      this.cancelConsumeRetry = null;
      this.reconcile();
    }, delay);
  }

  private setLayer(sessionId: string, spatialLayer: number): void {
    const camera = this.consumed.get(keyOf(sessionId, 'camera'));
    if (!camera || !this.channel) return;
    void this.channel.request('setLayer', { consumerId: camera.media.consumerId, spatialLayer }).then((r) => {
      if (!r.ok) this.o.log.warn('live layer not set', { spatialLayer, code: r.error.code });
    });
  }

  /** Closes a consumer here and, unless the server already did, there. */
  private drop(entry: Consumed, tellServer: boolean): void {
    this.consumed.delete(keyOf(entry.sessionId, entry.source));
    this.resumed.delete(entry.media.consumerId);
    this.guard('consumer close', () => entry.consumer.close());
    if (tellServer) {
      void this.channel?.request('closeConsumer', { consumerId: entry.media.consumerId }).then((r) => {
        if (!r.ok && r.error.code !== 'not_found') this.o.log.warn('live consumer not closed', { code: r.error.code });
      });
    }
  }

  private setupFailed(generation: number, step: string, code: string): void {
    if (!this.alive(generation)) return;
    this.o.log.warn('live watch setup failed', { step, code });
    this.teardown(true);
    this.closeChannel();
    this.status = code === 'live_unavailable' ? 'unavailable' : 'reconnecting';
    this.emit();
    const delay = liveBackoffMs(this.setupAttempt++, this.o.random());
    this.cancelSetupRetry = this.o.setTimeout(() => {
      this.cancelSetupRetry = null;
      if (this.running) this.openChannel();
    }, delay);
  }

  /** Closes the transport and every consumer; cameras on screen show "reconnecting" when `markLost`. */
  private teardown(markLost: boolean): void {
    this.generation++;
    this.cancelSetupRetry?.();
    this.cancelSetupRetry = null;
    this.cancelConsumeRetry?.();
    this.cancelConsumeRetry = null;
    for (const entry of this.consumed.values()) {
      if (markLost && entry.source === 'camera') this.lost.add(entry.sessionId);
      this.guard('consumer close', () => entry.consumer.close());
    }
    this.consumed.clear();
    this.inFlight.clear();
    this.resumed.clear();
    const transport = this.transport;
    this.transport = null;
    if (transport && !transport.closed) this.guard('transport close', () => transport.close());
  }

  private async loadDevice(caps: LiveRtpCapabilities): Promise<LiveDeviceLike> {
    const key = JSON.stringify(caps);
    if (this.device?.caps === key) return this.device.device;
    const device = await this.o.createDevice();
    await device.load({ routerRtpCapabilities: caps });
    this.device = { caps: key, device };
    return device;
  }

  private alive(generation: number): boolean {
    return this.running && generation === this.generation;
  }

  private emit(): void {
    const media = new Map<string, TileMedia>();
    for (const tile of this.tiles) {
      const get = (source: LiveSource) => this.consumed.get(keyOf(tile.sessionId, source))?.media ?? null;
      const camera = get('camera');
      media.set(tile.sessionId, { camera, microphone: get('microphone'), screen: get('screen'), reconnecting: camera === null && this.lost.has(tile.sessionId) });
    }
    this.cached = { status: this.status, tiles: this.tiles, media };
    for (const listener of [...this.listeners]) this.guard('listener', listener);
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.o.log.error('live watch failed', { what, error: String(error) });
    }
  }
}

type LiveConsumeRtp = Parameters<LiveTransportLike['consume']>[0]['rtpParameters'];
