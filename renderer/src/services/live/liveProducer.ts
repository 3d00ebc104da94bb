import { LIVE_CAMERA_LAYERS, type LiveSource } from '../../../../shared/api/live';
import type { LiveMessage } from '../../../../shared/api/liveControl';
import type { Logger } from '../logger';
import { transportOptions, type LiveDeviceLike, type LiveProducerLike, type LiveRtpCapabilities, type LiveTransportLike } from './liveMedia';
import { liveBackoffMs, type LiveChannel, type LiveHello, type LiveSocketState } from './liveSocket';

/** What the learner's Live indicator shows. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'off';

/** A proctor's action, as the learner's socket hears of it (the session view carries the same state). */
export type LearnerControlEvent =
  | { readonly kind: 'message'; readonly message: LiveMessage }
  | { readonly kind: 'paused' }
  | { readonly kind: 'resumed' }
  | { readonly kind: 'ended'; readonly reason: string };

/** The learner's half of live proctoring, as the exam player uses it. */
export interface LearnerLive {
  readonly status: LiveStatus;
  readonly handRaised: boolean;
  subscribe(listener: () => void): () => void;
  /** Connects and keeps the media going (reconnecting as needed) until `stop`. Never throws. */
  start(): void;
  /** The recording's capture stream (null while the camera is away): its tracks are sent, never stopped. */
  setStream(stream: MediaStream | null): void;
  raiseHand(raised: boolean): void;
  /** The proctor's messages, pause, resume and end pushed on the socket while it is connected. */
  onControl(listener: (event: LearnerControlEvent) => void): () => void;
  /** Closes the producers and the socket; the shared tracks keep running for the recording. */
  stop(): void;
}

export interface LiveProducerOptions {
  readonly sessionId: string;
  /** A new signalling socket for each `start`. */
  readonly createChannel: () => LiveChannel;
  readonly createDevice: () => Promise<LiveDeviceLike>;
  readonly setTimeout: (fn: () => void, ms: number) => () => void;
  readonly random: () => number;
  readonly log: Logger;
  /** How long a disconnected transport may try to recover by itself before it is set up again. */
  readonly disconnectedGraceMs?: number;
}

type MediaSource = Extract<LiveSource, 'camera' | 'microphone'>;

const SOURCES: readonly { source: MediaSource; kind: 'video' | 'audio' }[] = [
  { source: 'camera', kind: 'video' },
  { source: 'microphone', kind: 'audio' },
];

/**
 * Sends the learner's camera (VP8 simulcast in `LIVE_CAMERA_LAYERS`) and microphone to the SFU from
 * the tracks the recording already captures. Whatever goes wrong — the SFU unavailable, UDP
 * blocked, the network, an SFU restart — is logged and retried with backoff; nothing reaches the
 * exam, the answers or the recording. Producers never stop or disable the shared tracks.
 *
 * A socket joins its session once. After `restarted` the server has dropped the media but kept the
 * join, so only the transport and producers are made again. Any other failure starts over on a new
 * socket: closing the old one is what makes the server drop its transport and producers.
 */
export class LiveProducer implements LearnerLive {
  private channel: LiveChannel | null = null;
  private stream: MediaStream | null = null;
  private current: LiveStatus = 'off';
  private hand = false;
  /** The learner used the button: their choice is sent again after every (re)join. */
  private handTouched = false;
  private running = false;
  /** Bumped by every teardown: work from an older setup sees it and stops. */
  private generation = 0;
  private transport: LiveTransportLike | null = null;
  private readonly producers = new Map<MediaSource, LiveProducerLike>();
  private producing = Promise.resolve();
  private joined = false;
  private attempt = 0;
  private hello: LiveHello | null = null;
  private device: { caps: string; device: LiveDeviceLike } | null = null;
  private cancelRetry: (() => void) | null = null;
  private cancelGrace: (() => void) | null = null;
  private unsubscribe: Array<() => void> = [];
  private readonly listeners = new Set<() => void>();
  private readonly controlListeners = new Set<(event: LearnerControlEvent) => void>();

  constructor(private readonly o: LiveProducerOptions) {}

  onControl(listener: (event: LearnerControlEvent) => void): () => void {
    this.controlListeners.add(listener);
    return () => this.controlListeners.delete(listener);
  }

  private control(event: LearnerControlEvent): void {
    for (const listener of [...this.controlListeners]) this.guard(`control ${event.kind}`, () => listener(event));
  }

  get status(): LiveStatus {
    return this.current;
  }

  get handRaised(): boolean {
    return this.hand;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.guard('start', () => {
      this.running = true;
      this.attempt = 0;
      this.set('connecting');
      this.openChannel();
    });
  }

  stop(): void {
    if (!this.running) return;
    this.guard('stop', () => {
      this.running = false;
      this.teardown();
      this.closeChannel();
      this.set('off');
      this.o.log.info('live stopped', { sessionId: this.o.sessionId });
    });
  }

  setStream(stream: MediaStream | null): void {
    this.stream = stream;
    if (this.transport) this.syncTracks(this.generation);
  }

  raiseHand(raised: boolean): void {
    this.hand = raised;
    this.handTouched = true;
    this.emit();
    if (this.joined) void this.sendHand();
  }

  private onReady(channel: LiveChannel, hello: LiveHello): void {
    if (channel !== this.channel) return;
    this.hello = hello;
    this.setUp();
  }

  private openChannel(): void {
    const channel = this.o.createChannel();
    this.channel = channel;
    this.joined = false;
    this.unsubscribe = [
      channel.onReady((hello) => this.onReady(channel, hello)),
      channel.onStateChange((state) => this.onSocketState(channel, state)),
      channel.on('restarted', () => this.onRestarted(channel)),
      channel.on('message', (message) => this.control({ kind: 'message', message })),
      channel.on('paused', () => this.control({ kind: 'paused' })),
      channel.on('resumed', () => this.control({ kind: 'resumed' })),
      channel.on('ended', ({ reason }) => this.control({ kind: 'ended', reason })),
    ];
    channel.start();
  }

  private closeChannel(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.channel?.close();
    this.channel = null;
    this.joined = false;
  }

  private onSocketState(channel: LiveChannel, state: LiveSocketState): void {
    if (channel !== this.channel) return;
    if (state === 'reconnecting') {
      // A new connection is a new join.
      this.teardown();
      this.joined = false;
      this.set('reconnecting');
    } else if (state === 'closed') {
      // Closed for good by the server (session over, sign-in refused): nothing more to send.
      this.teardown();
      this.running = false;
      this.set('off');
    }
  }

  private onRestarted(channel: LiveChannel): void {
    if (channel !== this.channel) return;
    this.o.log.warn('live SFU restarted, setting up again', { sessionId: this.o.sessionId });
    this.teardown();
    this.set('reconnecting');
    this.setUp();
  }

  /** Join (once per connection), device, send transport, producers; any failure starts over after a backoff. */
  private setUp(): void {
    const generation = ++this.generation;
    void this.trySetUp(generation).catch((error: unknown) => this.failed(generation, 'setup threw', String(error)));
  }

  private async trySetUp(generation: number): Promise<void> {
    const channel = this.channel;
    const hello = this.hello;
    if (!channel || !hello) return;
    if (!this.joined) {
      const joined = await channel.request('join', { sessionId: this.o.sessionId });
      if (!this.alive(generation)) return;
      if (!joined.ok) return this.failed(generation, 'join', joined.error.code);
      this.joined = true;
      if (this.handTouched) void this.sendHand();
    }

    const device = await this.loadDevice(hello.routerRtpCapabilities as unknown as LiveRtpCapabilities);
    if (!this.alive(generation)) return;
    if (!device.canProduce('video')) {
      this.o.log.warn('live unsupported: this browser cannot send video to the SFU');
      this.stop();
      return;
    }
    const params = await channel.request('createTransport', { direction: 'send' });
    if (!this.alive(generation)) return;
    if (!params.ok) return this.failed(generation, 'createTransport', params.error.code);
    const transport = device.createSendTransport(transportOptions(params.value));
    this.transport = transport;
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      void channel
        .request('connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters as unknown as Record<string, unknown> })
        .then((r) => (r.ok ? callback() : errback(new Error(r.error.code))));
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      const source = (appData as { source?: LiveSource }).source ?? (kind === 'video' ? 'camera' : 'microphone');
      void channel
        .request('produce', { transportId: transport.id, kind, source, rtpParameters: rtpParameters as unknown as Record<string, unknown> })
        .then((r) => (r.ok ? callback({ id: r.value.producerId }) : errback(new Error(r.error.code))));
    });
    transport.on('connectionstatechange', (state) => this.onTransportState(generation, state));
    this.syncTracks(generation);
  }

  private onTransportState(generation: number, state: string): void {
    if (!this.alive(generation)) return;
    this.cancelGrace?.();
    this.cancelGrace = null;
    if (state === 'connected') {
      this.attempt = 0;
      this.set('live');
      this.o.log.info('live media connected', { sessionId: this.o.sessionId });
    } else if (state === 'disconnected') {
      // ICE often recovers by itself; if it does not, set up again.
      this.set('reconnecting');
      this.cancelGrace = this.o.setTimeout(() => this.failed(generation, 'transport', 'disconnected'), this.o.disconnectedGraceMs ?? 10_000);
    } else if (state === 'failed') {
      this.failed(generation, 'transport', 'failed');
    }
  }

  /** Produces each source that has a track and no producer; moves producers onto the stream's current tracks. */
  private syncTracks(generation: number): void {
    this.producing = this.producing
      .then(() => this.syncTracksNow(generation))
      .catch((error: unknown) => this.failed(generation, 'produce', String(error)));
  }

  private async syncTracksNow(generation: number): Promise<void> {
    for (const { source, kind } of SOURCES) {
      const transport = this.transport;
      if (!this.alive(generation) || !transport) return;
      const track = this.trackOf(kind);
      const producer = this.producers.get(source);
      if (producer && !producer.closed) {
        if (producer.track !== track) await producer.replaceTrack({ track });
        continue;
      }
      if (!track) continue;
      const created = await transport.produce({
        track,
        appData: { source },
        // The recording owns these tracks: closing or pausing a producer must leave them running.
        stopTracks: false,
        disableTrackOnPause: false,
        ...(kind === 'video' ? { encodings: LIVE_CAMERA_LAYERS.map((l) => ({ ...l })), codec: this.vp8() } : {}),
      });
      if (!this.alive(generation)) {
        created.close();
        return;
      }
      this.producers.set(source, created);
      this.o.log.info('live producing', { source });
    }
  }

  private trackOf(kind: 'video' | 'audio'): MediaStreamTrack | null {
    const tracks = kind === 'video' ? this.stream?.getVideoTracks() : this.stream?.getAudioTracks();
    return tracks?.find((t) => t.readyState === 'live') ?? null;
  }

  private vp8() {
    return this.device?.device.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
  }

  private async loadDevice(caps: LiveRtpCapabilities): Promise<LiveDeviceLike> {
    const key = JSON.stringify(caps);
    if (this.device?.caps === key) return this.device.device;
    const device = await this.o.createDevice();
    await device.load({ routerRtpCapabilities: caps });
    this.device = { caps: key, device };
    return device;
  }

  private async sendHand(): Promise<void> {
    const raised = this.hand;
    const reply = await this.channel?.request('raiseHand', { raised });
    if (reply && !reply.ok) this.o.log.warn('raise hand not sent', { code: reply.error.code, raised });
  }

  /** Logs a failure of the current setup, closes its socket and starts over on a new one after a backoff. */
  private failed(generation: number, step: string, code: string): void {
    if (!this.alive(generation)) return;
    this.o.log.warn('live setup failed', { sessionId: this.o.sessionId, step, code });
    this.teardown();
    this.closeChannel();
    this.set('reconnecting');
    const delay = liveBackoffMs(this.attempt++, this.o.random());
    this.cancelRetry = this.o.setTimeout(() => {
      this.cancelRetry = null;
      if (this.running) this.openChannel();
    }, delay);
  }

  /** Closes the transport (and so the producers); the tracks stay untouched. */
  private teardown(): void {
    this.generation++;
    this.cancelRetry?.();
    this.cancelRetry = null;
    this.cancelGrace?.();
    this.cancelGrace = null;
    for (const producer of this.producers.values()) this.guard('producer close', () => producer.close());
    this.producers.clear();
    const transport = this.transport;
    this.transport = null;
    if (transport && !transport.closed) this.guard('transport close', () => transport.close());
  }

  private alive(generation: number): boolean {
    return this.running && generation === this.generation;
  }

  private set(status: LiveStatus): void {
    if (this.current === status) return;
    this.current = status;
    this.emit();
  }

  private emit(): void {
    for (const listener of [...this.listeners]) this.guard('listener', listener);
  }

  /** Live never throws into the exam: whatever fails is logged. */
  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.o.log.error('live failed', { what, error: String(error) });
    }
  }
}
