import type { Logger } from '../logger';
import { mediasoupDevice } from './liveMedia';
import { LiveProducer, type LearnerLive } from './liveProducer';
import { LiveSocket, type LiveAuth, type LiveWebSocketCtor } from './liveSocket';
import { LiveWatcher, type ProctorLive } from './liveWatcher';

/** Live proctoring as the pages use it; tests hand in fakes. */
export interface LiveServices {
  /** The learner's camera and microphone for one session, from Begin to submit. */
  createProducer(sessionId: string): LearnerLive;
  /** The proctor's view of every live session. */
  createWatcher(): ProctorLive;
}

export interface BrowserLiveOptions {
  readonly serverUrl: () => Promise<string>;
  readonly auth: LiveAuth;
  readonly WebSocket: LiveWebSocketCtor;
  readonly createStream: (track: MediaStreamTrack) => MediaStream;
  readonly setTimeout: (fn: () => void, ms: number) => () => void;
  readonly random: () => number;
  readonly log: Logger;
}

/** Live over the server's signalling socket and the browser's mediasoup device. */
export function browserLiveServices(o: BrowserLiveOptions): LiveServices {
  const createChannel = () =>
    new LiveSocket({ serverUrl: o.serverUrl, auth: o.auth, WebSocket: o.WebSocket, setTimeout: o.setTimeout, random: o.random, log: o.log });
  const common = { createChannel, createDevice: mediasoupDevice, setTimeout: o.setTimeout, random: o.random, log: o.log };
  return {
    createProducer: (sessionId) => new LiveProducer({ ...common, sessionId }),
    createWatcher: () => new LiveWatcher({ ...common, createStream: o.createStream }),
  };
}
