import type { types as ms } from 'mediasoup-client';

/**
 * The slices of mediasoup-client's Device, Transport, Producer and Consumer that live proctoring
 * uses, so tests can hand in fakes. The real objects satisfy them (see `mediasoupDevice`).
 */

export type LiveRtpCapabilities = ms.RtpCapabilities;

export interface LiveProducerLike {
  readonly id: string;
  readonly closed: boolean;
  readonly track: MediaStreamTrack | null;
  replaceTrack(options: { track: MediaStreamTrack | null }): Promise<void>;
  close(): void;
}

export interface LiveConsumerLike {
  readonly id: string;
  readonly closed: boolean;
  readonly track: MediaStreamTrack;
  close(): void;
}

export type LiveProduceOptions = ms.ProducerOptions<{ source: string }>;
export type LiveConsumeOptions = ms.ConsumerOptions;

export interface LiveTransportLike {
  readonly id: string;
  readonly closed: boolean;
  on(
    event: 'connect',
    listener: (params: { dtlsParameters: ms.DtlsParameters }, callback: () => void, errback: (error: Error) => void) => void,
  ): unknown;
  on(
    event: 'produce',
    listener: (
      params: { kind: ms.MediaKind; rtpParameters: ms.RtpParameters; appData: ms.AppData },
      callback: (reply: { id: string }) => void,
      errback: (error: Error) => void,
    ) => void,
  ): unknown;
  on(event: 'connectionstatechange', listener: (state: ms.ConnectionState) => void): unknown;
  produce(options: LiveProduceOptions): Promise<LiveProducerLike>;
  consume(options: LiveConsumeOptions): Promise<LiveConsumerLike>;
  close(): void;
}

export interface LiveDeviceLike {
  readonly loaded: boolean;
  readonly rtpCapabilities: LiveRtpCapabilities;
  load(options: { routerRtpCapabilities: LiveRtpCapabilities }): Promise<void>;
  canProduce(kind: ms.MediaKind): boolean;
  createSendTransport(options: ms.TransportOptions): LiveTransportLike;
  createRecvTransport(options: ms.TransportOptions): LiveTransportLike;
}

/** Transport parameters as the server sends them (opaque JSON) in mediasoup-client's types. */
export function transportOptions(reply: {
  id: string;
  iceParameters: Record<string, unknown>;
  iceCandidates: Record<string, unknown>[];
  dtlsParameters: Record<string, unknown>;
}): ms.TransportOptions {
  return {
    id: reply.id,
    iceParameters: reply.iceParameters as unknown as ms.IceParameters,
    iceCandidates: reply.iceCandidates as unknown as ms.IceCandidate[],
    dtlsParameters: reply.dtlsParameters as unknown as ms.DtlsParameters,
  };
}

/** The browser's mediasoup Device (Chrome, Electron, Firefox, Safari), loaded on first use only. */
export async function mediasoupDevice(): Promise<LiveDeviceLike> {
  const { Device } = await import('mediasoup-client');
  const device: LiveDeviceLike = await Device.factory();
  return device;
}
