// The signalling requests after `hello`, each checked against the caller's role and, for learners,
// against the one session they joined. Staff watch and consume; learners join, send and raise a hand.
import type { Kysely } from 'kysely';
import type { types } from 'mediasoup';
import type { LiveMethod, LiveReplyOf, LiveRequestOf, LiveSource, Role, SessionStatus } from '../../../shared/api';
import { LiveCloseCode } from '../../../shared/api';
import { isInProgress } from '../../../shared/domain/sessionStatus';
import type { Database } from '../db/schema';
import type { LiveSession } from './liveSession';
import type { LiveSettings } from './liveSettings';
import { LiveError, type Peer, type TransportDirection } from './peer';
import type { ProducerPipes } from './pipes';
import type { WorkerPool } from './workerPool';

/** What the handlers need from the live service. */
export interface LiveContext {
  readonly settings: LiveSettings;
  readonly pool: WorkerPool;
  readonly db: Kysely<Database>;
  readonly sessions: Map<string, LiveSession>;
  readonly pipes: ProducerPipes;
  /** The tiles changed (join, leave, produce, hand): push them to watchers soon. */
  tilesChanged(): void;
}

/** Transports one socket may hold at once (a client needs one; a reconnecting client briefly two). */
export const MAX_TRANSPORTS_PER_SOCKET = 4;
/** Consumers one staff socket may hold at once (three sources for each of many sessions). */
export const MAX_CONSUMERS_PER_SOCKET = 300;
/** What a learner may send in all (simulcast camera, screen, microphone), in bit/s. */
export const MAX_INCOMING_BITRATE = 2_000_000;

const LEARNER: readonly Role[] = ['learner'];
const STAFF: readonly Role[] = ['proctor', 'admin'];
const ANYONE: readonly Role[] = ['learner', 'proctor', 'admin'];

/** Who may call what (after `hello`); the handlers check the rest (direction, session, ownership). */
export const METHOD_ROLES: Readonly<Record<Exclude<LiveMethod, 'hello'>, readonly Role[]>> = {
  join: LEARNER,
  createTransport: ANYONE,
  connectTransport: ANYONE,
  produce: LEARNER,
  raiseHand: LEARNER,
  watch: STAFF,
  consume: STAFF,
  resumeConsumer: STAFF,
  setLayer: STAFF,
  closeConsumer: STAFF,
};

type Handlers = { [M in Exclude<LiveMethod, 'hello'>]: (ctx: LiveContext, peer: Peer, data: LiveRequestOf<M>) => Promise<LiveReplyOf<M>> };

const kindOf = (source: LiveSource): 'audio' | 'video' => (source === 'microphone' ? 'audio' : 'video');

/** The learner's joined session, if this socket still holds it. */
function joinedSession(ctx: LiveContext, peer: Peer): LiveSession {
  const entry = peer.sessionId === null ? undefined : ctx.sessions.get(peer.sessionId);
  if (!entry || entry.learner !== peer) throw new LiveError('forbidden', 'Join your exam session first.');
  return entry;
}

function ownTransport(peer: Peer, transportId: string, direction?: TransportDirection) {
  const owned = peer.transports.get(transportId);
  if (!owned) throw new LiveError('not_found', 'There is no such transport on this connection.');
  if (direction && owned.direction !== direction) throw new LiveError('forbidden', `This is not a ${direction} transport.`);
  return owned;
}

function ownConsumer(peer: Peer, consumerId: string): types.Consumer {
  const consumer = peer.consumers.get(consumerId);
  if (!consumer) throw new LiveError('not_found', 'There is no such consumer on this connection.');
  return consumer;
}

function routerOf(ctx: LiveContext, slot: number | null): types.Router {
  const router = slot === null ? null : ctx.pool.router(slot);
  if (!router) throw new LiveError('live_unavailable', 'The media server is restarting. Try again in a moment.');
  return router;
}

function transportOptions(settings: LiveSettings, direction: TransportDirection, peer: Peer): types.WebRtcTransportOptions {
  const listen = {
    ip: settings.listenIp,
    ...(settings.announcedAddress ? { announcedAddress: settings.announcedAddress } : {}),
    portRange: { min: settings.rtcMinPort, max: settings.rtcMaxPort },
  };
  return {
    listenInfos: [
      { protocol: 'udp', ...listen },
      { protocol: 'tcp', ...listen },
    ],
    enableUdp: true,
    enableTcp: true,
    preferUdp: true,
    appData: { peer: peer.id, direction },
  };
}

export const handlers: Handlers = {
  async join(ctx, peer, { sessionId }) {
    if (peer.sessionId !== null) throw new LiveError('bad_request', 'This connection has already joined a session.');
    const row = await ctx.db.selectFrom('sessions').select(['id', 'user_id', 'status', 'client']).where('id', '=', sessionId).executeTakeFirst();
    if (!row) throw new LiveError('not_found', 'There is no such exam session.');
    if (row.user_id !== peer.user?.id) throw new LiveError('forbidden', 'This is not your exam session.');
    if (!isInProgress(row.status as SessionStatus)) throw new LiveError('session_not_live', 'This exam session is not in progress.');
    if (!peer.open) throw new LiveError('bad_request', 'The connection closed.');

    const existing = ctx.sessions.get(sessionId);
    if (existing) {
      // A reconnect (or a second window) takes the session over: the older socket's media ends.
      const previous = existing.learner;
      previous.sessionId = null;
      previous.closeMedia();
      previous.close(LiveCloseCode.sessionOver, 'joined from another connection');
      existing.learner = peer;
      existing.slot ??= ctx.pool.assign();
      peer.slot = existing.slot;
    } else {
      const slot = ctx.pool.assign();
      if (slot === null) throw new LiveError('live_unavailable', 'The media server is restarting. Try again in a moment.');
      ctx.sessions.set(sessionId, { sessionId, userId: row.user_id, client: row.client, slot, learner: peer, handRaised: false, producers: new Map() });
      peer.slot = slot;
    }
    peer.sessionId = sessionId;
    ctx.tilesChanged();
    return {};
  },

  async createTransport(ctx, peer, { direction }) {
    const staff = peer.user !== null && STAFF.includes(peer.user.role);
    if (staff) {
      if (direction !== 'recv') throw new LiveError('forbidden', 'Staff only receive media.');
      peer.slot ??= ctx.pool.assign();
    } else {
      if (direction !== 'send') throw new LiveError('forbidden', 'Learners only send media.');
      joinedSession(ctx, peer);
    }
    if (peer.transports.size >= MAX_TRANSPORTS_PER_SOCKET) throw new LiveError('bad_request', 'Too many transports on this connection.');
    const slot = peer.slot;
    const router = routerOf(ctx, slot);
    const transport = await router.createWebRtcTransport(transportOptions(ctx.settings, direction, peer));
    if (!peer.open || peer.slot !== slot || transport.closed) {
      transport.close();
      throw new LiveError('live_unavailable', 'The media server restarted. Set up again.');
    }
    peer.transports.set(transport.id, { transport, direction });
    peer.usedSlot = true;
    transport.observer.once('close', () => peer.transports.delete(transport.id));
    if (direction === 'send') await transport.setMaxIncomingBitrate(MAX_INCOMING_BITRATE);
    return {
      id: transport.id,
      iceParameters: { ...transport.iceParameters },
      iceCandidates: transport.iceCandidates.map((c) => ({ ...c })),
      dtlsParameters: { ...transport.dtlsParameters },
    };
  },

  async connectTransport(_ctx, peer, { transportId, dtlsParameters }) {
    const { transport } = ownTransport(peer, transportId);
    await transport.connect({ dtlsParameters: dtlsParameters as unknown as types.DtlsParameters });
    return {};
  },

  async produce(ctx, peer, { transportId, kind, source, rtpParameters }) {
    const entry = joinedSession(ctx, peer);
    const { transport } = ownTransport(peer, transportId, 'send');
    if (kind !== kindOf(source)) throw new LiveError('bad_request', `The ${source} is sent as ${kindOf(source)}.`);
    if (source === 'screen' && entry.client !== 'desktop') throw new LiveError('forbidden', 'The screen is shared only from the Invigil desktop app.');
    if (entry.producers.has(source)) throw new LiveError('bad_request', `The ${source} is already being sent.`);
    const producer = await transport.produce({ kind, rtpParameters: rtpParameters as unknown as types.RtpParameters, appData: { sessionId: entry.sessionId, source } });
    if (ctx.sessions.get(entry.sessionId) !== entry || entry.learner !== peer || entry.producers.has(source)) {
      producer.close();
      throw new LiveError('session_not_live', 'This exam session is no longer live.');
    }
    entry.producers.set(source, producer);
    producer.observer.once('close', () => {
      if (entry.producers.get(source) !== producer) return;
      entry.producers.delete(source);
      ctx.tilesChanged();
    });
    ctx.tilesChanged();
    return { producerId: producer.id };
  },

  async raiseHand(ctx, peer, { raised }) {
    const entry = joinedSession(ctx, peer);
    if (entry.handRaised !== raised) {
      entry.handRaised = raised;
      ctx.tilesChanged();
    }
    return {};
  },

  async watch(_ctx, peer) {
    peer.watching = true;
    return {};
  },

  async consume(ctx, peer, { transportId, sessionId, source, rtpCapabilities }) {
    const { transport } = ownTransport(peer, transportId, 'recv');
    if (peer.consumers.size >= MAX_CONSUMERS_PER_SOCKET) throw new LiveError('bad_request', 'Too many consumers on this connection.');
    const entry = ctx.sessions.get(sessionId);
    const producer = entry?.producers.get(source);
    if (!entry || !producer) throw new LiveError('not_found', `That session is not sending its ${source} now.`);
    const target = routerOf(ctx, peer.slot);
    const origin = routerOf(ctx, entry.slot);
    if (origin !== target) await ctx.pipes.ensure(producer, origin, target);
    const capabilities = rtpCapabilities as unknown as types.RtpCapabilities;
    if (!target.canConsume({ producerId: producer.id, rtpCapabilities: capabilities })) {
      throw new LiveError('bad_request', 'These RTP capabilities cannot receive that source.');
    }
    const consumer = await transport.consume({
      producerId: producer.id,
      rtpCapabilities: capabilities,
      paused: true,
      ...(producer.kind === 'video' ? { preferredLayers: { spatialLayer: 0 } } : {}),
      appData: { sessionId, source },
    });
    if (!peer.open || consumer.closed) {
      consumer.close();
      throw new LiveError('not_found', `That session is not sending its ${source} now.`);
    }
    peer.consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => peer.consumers.delete(consumer.id));
    consumer.once('producerclose', () => peer.notify('consumerClosed', { consumerId: consumer.id }));
    return { consumerId: consumer.id, producerId: producer.id, kind: consumer.kind, rtpParameters: { ...consumer.rtpParameters } };
  },

  async resumeConsumer(_ctx, peer, { consumerId }) {
    await ownConsumer(peer, consumerId).resume();
    return {};
  },

  async setLayer(_ctx, peer, { consumerId, spatialLayer }) {
    const consumer = ownConsumer(peer, consumerId);
    if (consumer.kind !== 'video') throw new LiveError('bad_request', 'Only video has layers.');
    await consumer.setPreferredLayers({ spatialLayer });
    return {};
  },

  async closeConsumer(_ctx, peer, { consumerId }) {
    ownConsumer(peer, consumerId).close();
    peer.consumers.delete(consumerId);
    return {};
  },
};
