import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LIVE_CAMERA_LAYERS } from '../../../../shared/api/live';
import { fail, ok } from '../../../../shared/result';
import { FakeStream } from '../../test/fakeMedia';
import { FakeChannel, FakeDevice, recordingLogger, type FakeProducer } from '../../test/fakeLiveChannel';
import { LiveProducer } from './liveProducer';

function setup() {
  const channels: FakeChannel[] = [];
  /** The server's scripted answers, on every socket. */
  const handlers: FakeChannel['handlers'] = {};
  const device = new FakeDevice();
  const logger = recordingLogger();
  let devices = 0;
  const producer = new LiveProducer({
    sessionId: 's1',
    createChannel: () => {
      const c = new FakeChannel();
      c.handlers = handlers;
      channels.push(c);
      return c;
    },
    createDevice: async () => {
      devices++;
      return device;
    },
    setTimeout: (fn, ms) => {
      const id = setTimeout(fn, ms);
      return () => clearTimeout(id);
    },
    random: () => 1,
    log: logger.log,
  });
  const statuses: string[] = [];
  producer.subscribe(() => statuses.push(producer.status));
  const channel = () => channels[channels.length - 1]!;
  const settle = () => vi.advanceTimersByTimeAsync(0);
  const producers = () => device.latest.producers;
  return { producer, channels, channel, handlers, device, logger, statuses, settle, producers, devices: () => devices };
}

describe('LiveProducer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the recording’s own camera (VP8 simulcast in the live layers) and microphone, and stops without touching them', async () => {
    const t = setup();
    const stream = new FakeStream();
    t.producer.setStream(stream.asStream());
    t.producer.start();
    expect(t.producer.status).toBe('connecting');
    t.channel().open();
    await t.settle();

    expect(t.channel().methods()).toEqual(['join', 'createTransport', 'connectTransport', 'produce', 'produce']);
    expect(t.channel().sent('join')).toEqual([{ sessionId: 's1' }]);
    expect(t.channel().sent('createTransport')).toEqual([{ direction: 'send' }]);
    expect(t.channel().sent('produce').map((p) => [p.source, p.kind, p.transportId])).toEqual([
      ['camera', 'video', t.device.latest.id],
      ['microphone', 'audio', t.device.latest.id],
    ]);
    const [camera, microphone] = t.producers() as FakeProducer[];
    expect(camera!.track).toBe(stream.tracks[0]);
    expect(microphone!.track).toBe(stream.tracks[1]);
    expect(camera!.options.encodings).toEqual(LIVE_CAMERA_LAYERS.map((l) => ({ ...l })));
    expect(camera!.options.codec?.mimeType).toBe('video/VP8');
    for (const p of [camera!, microphone!]) {
      expect(p.options).toMatchObject({ stopTracks: false, disableTrackOnPause: false });
    }
    expect(microphone!.options.encodings).toBeUndefined();

    t.device.latest.state('connected');
    expect(t.producer.status).toBe('live');

    t.producer.stop();
    expect(t.producer.status).toBe('off');
    expect(camera!.closed && microphone!.closed).toBe(true);
    expect(t.device.latest.closed).toBe(true);
    expect(t.channel().closed).toBe(true);
    expect(stream.tracks.map((track) => [track.stopped, track.readyState])).toEqual([
      [false, 'live'],
      [false, 'live'],
    ]);
  });

  it('follows the recorder: a reopened camera’s tracks replace the old ones; none while the camera is away', async () => {
    const t = setup();
    t.producer.start();
    t.channel().open();
    await t.settle();
    // No stream yet (the recorder is still opening the camera): nothing to produce.
    expect(t.channel().methods()).toEqual(['join', 'createTransport']);
    const first = new FakeStream();
    t.producer.setStream(first.asStream());
    await t.settle();
    expect(t.producers().map((p) => p.track)).toEqual(first.tracks);

    t.producer.setStream(null);
    await t.settle();
    const second = new FakeStream('cam-2');
    t.producer.setStream(second.asStream());
    await t.settle();
    const [camera, microphone] = t.producers() as FakeProducer[];
    expect(camera!.replaced).toEqual([null, second.tracks[0]]);
    expect(microphone!.replaced).toEqual([null, second.tracks[1]]);
    expect(t.channel().sent('produce')).toHaveLength(2);
  });

  it('after the SFU restarted sets up the media again on the same socket (still joined) with the same tracks', async () => {
    const t = setup();
    const stream = new FakeStream();
    t.producer.setStream(stream.asStream());
    t.producer.start();
    t.channel().open();
    await t.settle();
    const before = t.device.latest;
    before.state('connected');

    t.channel().push('restarted', {});
    expect(before.closed).toBe(true);
    expect(t.producer.status).toBe('reconnecting');
    await t.settle();
    expect(t.channels).toHaveLength(1);
    expect(t.device.transports).toHaveLength(2);
    expect(t.channel().sent('join')).toHaveLength(1);
    expect(t.channel().sent('createTransport')).toHaveLength(2);
    expect(t.producers().map((p) => p.track)).toEqual(stream.tracks);
    t.device.latest.state('connected');
    expect(t.producer.status).toBe('live');
    expect(t.statuses).toEqual(['connecting', 'live', 'reconnecting', 'live']);
    expect(stream.tracks.some((track) => track.stopped)).toBe(false);
  });

  it('never throws when live fails: a device error, the SFU unavailable, UDP blocked; each is logged and retried on a new socket with backoff', async () => {
    const t = setup();
    t.producer.setStream(new FakeStream().asStream());
    t.producer.start();
    let refusals = 2;
    t.handlers.createTransport = () => (refusals-- > 0 ? fail('live_unavailable', 'no SFU') : ok({ id: 't-ok', iceParameters: {}, iceCandidates: [], dtlsParameters: {} }));
    t.device.failLoad = 1;
    t.channel().open();
    await t.settle();
    // The device would not load: this socket is closed (the server drops what it holds), a new one in 1 s.
    expect(t.producer.status).toBe('reconnecting');
    expect(t.channel().closed).toBe(true);
    await vi.advanceTimersByTimeAsync(999);
    expect(t.channels).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.channels).toHaveLength(2);
    t.channel().open();
    await t.settle();
    // The SFU is unavailable twice: new sockets after 2 s, then 4 s.
    expect(t.channel().methods()).toEqual(['join', 'createTransport']);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(t.channels).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    t.channel().open();
    await t.settle();
    await vi.advanceTimersByTimeAsync(4_000);
    expect(t.channels).toHaveLength(4);
    t.channel().open();
    await t.settle();
    expect(t.producers()).toHaveLength(2);
    t.device.latest.state('connected');
    expect(t.producer.status).toBe('live');

    // UDP blocked: ICE fails; live starts over (the backoff began again once connected).
    t.device.latest.state('failed');
    expect(t.device.latest.closed).toBe(true);
    expect(t.producer.status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1_000);
    t.channel().open();
    await t.settle();
    expect(t.channels).toHaveLength(5);
    expect(t.channels.slice(0, 4).every((c) => c.closed)).toBe(true);
    expect(t.device.transports.filter((tr) => !tr.closed)).toHaveLength(1);
    expect(t.logger.lines.filter((l) => l.message === 'live setup failed').map((l) => l.fields?.code)).toEqual([
      'Error: load failed',
      'live_unavailable',
      'live_unavailable',
      'failed',
    ]);
    expect(t.devices()).toBe(2);
  });

  it('a network drop shows reconnecting and sets up again when the socket is back; a session over switches live off', async () => {
    const t = setup();
    t.producer.setStream(new FakeStream().asStream());
    t.producer.start();
    t.channel().open();
    await t.settle();
    t.device.latest.state('connected');
    t.channel().setState('reconnecting');
    expect(t.producer.status).toBe('reconnecting');
    expect(t.device.latest.closed).toBe(true);
    t.channel().open();
    await t.settle();
    expect(t.device.transports).toHaveLength(2);
    // A new connection joins again.
    expect(t.channel().sent('join')).toHaveLength(2);
    t.device.latest.state('connected');
    expect(t.producer.status).toBe('live');

    // A transport briefly disconnected recovers by itself; one that stays down is set up again.
    t.device.latest.state('disconnected');
    expect(t.producer.status).toBe('reconnecting');
    t.device.latest.state('connected');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(t.device.transports).toHaveLength(2);

    t.channel().setState('closed');
    expect(t.producer.status).toBe('off');
    expect(t.device.latest.closed).toBe(true);
    t.producer.stop();
    expect(t.producer.status).toBe('off');
  });

  it('sends the raised hand once joined, and again after every new join', async () => {
    const t = setup();
    t.producer.start();
    t.producer.raiseHand(true);
    expect(t.producer.handRaised).toBe(true);
    expect(t.channel().sent('raiseHand')).toEqual([]);
    t.channel().open();
    await t.settle();
    expect(t.channel().sent('raiseHand')).toEqual([{ raised: true }]);
    t.producer.raiseHand(false);
    await t.settle();
    expect(t.channel().sent('raiseHand')).toEqual([{ raised: true }, { raised: false }]);
    // An SFU restart keeps the join (and the hand) on the server; a new connection joins afresh.
    t.channel().push('restarted', {});
    await t.settle();
    expect(t.channel().sent('raiseHand')).toEqual([{ raised: true }, { raised: false }]);
    t.channel().setState('reconnecting');
    t.channel().open();
    await t.settle();
    expect(t.channel().sent('raiseHand')).toEqual([{ raised: true }, { raised: false }, { raised: false }]);
  });

  it('a listener that throws is logged, and start and stop can run again (React remounts)', async () => {
    const t = setup();
    t.producer.subscribe(() => {
      throw new Error('bug in a listener');
    });
    expect(() => t.producer.start()).not.toThrow();
    expect(t.logger.lines.some((l) => l.level === 'error')).toBe(true);
    t.producer.stop();
    t.producer.start();
    expect(t.channels).toHaveLength(2);
    expect(t.channels[0]!.closed).toBe(true);
  });
});
