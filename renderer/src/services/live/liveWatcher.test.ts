import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fail } from '../../../../shared/result';
import { FakeChannel, FakeDevice, HELLO, recordingLogger } from '../../test/fakeLiveChannel';
import { liveTile } from '../../test/fakeLive';
import { LiveWatcher } from './liveWatcher';

const STAFF = { ...HELLO, role: 'proctor' as const };

function setup() {
  const channels: FakeChannel[] = [];
  const handlers: FakeChannel['handlers'] = {};
  const device = new FakeDevice();
  const logger = recordingLogger();
  const watcher = new LiveWatcher({
    createChannel: () => {
      const c = new FakeChannel();
      c.handlers = handlers;
      channels.push(c);
      return c;
    },
    createDevice: async () => device,
    createStream: (track) => ({ track }) as unknown as MediaStream,
    setTimeout: (fn, ms) => {
      const id = setTimeout(fn, ms);
      return () => clearTimeout(id);
    },
    random: () => 1,
    log: logger.log,
  });
  const channel = () => channels[channels.length - 1]!;
  const settle = () => vi.advanceTimersByTimeAsync(0);
  const media = (sessionId: string) => watcher.snapshot().media.get(sessionId);
  const consumes = () => channel().sent('consume').map((c) => `${c.sessionId}:${c.source}`);
  return { watcher, channels, channel, handlers, device, logger, settle, media, consumes };
}

describe('LiveWatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('watches, opens one receive transport and consumes the visible cameras at layer 0, resumed once attached', async () => {
    const t = setup();
    t.watcher.start();
    t.watcher.show(['s1', 's2']);
    t.channel().open(STAFF);
    await t.settle();
    expect(t.channel().methods()).toEqual(['watch', 'createTransport']);
    expect(t.channel().sent('createTransport')).toEqual([{ direction: 'recv' }]);
    expect(t.watcher.snapshot().status).toBe('live');

    t.channel().push('tiles', { tiles: [liveTile(1), liveTile(2), liveTile(3), liveTile(4, { sources: [] })] });
    await t.settle();
    expect(t.consumes()).toEqual(['s1:camera', 's2:camera']);
    expect(t.device.transports).toHaveLength(1);
    const camera = t.media('s1')!.camera!;
    expect(camera.consumerId).toBe('c1-s1-camera');
    // The server starts every camera consumer at layer 0.
    expect(t.channel().sent('setLayer')).toEqual([]);
    // Paused on the server until the page holds the track.
    expect(t.channel().sent('resumeConsumer')).toEqual([]);
    t.watcher.attached(camera.consumerId);
    t.watcher.attached(camera.consumerId);
    expect(t.channel().sent('resumeConsumer')).toEqual([{ consumerId: 'c1-s1-camera' }]);

    // The next page: the first page's cameras are closed.
    t.watcher.show(['s3', 's4']);
    await t.settle();
    expect(t.channel().sent('closeConsumer').map((c) => c.consumerId).sort()).toEqual(['c1-s1-camera', 'c2-s2-camera']);
    expect(t.consumes()).toEqual(['s1:camera', 's2:camera', 's3:camera']);
    expect(t.media('s1')).toMatchObject({ camera: null, reconnecting: false });
  });

  it('focus takes the large layer and the sound (and the screen when sent); unfocus goes back and closes the sound', async () => {
    const t = setup();
    t.watcher.start();
    t.watcher.show(['s1']);
    t.channel().open(STAFF);
    t.channel().push('tiles', { tiles: [liveTile(1, { sources: ['camera', 'microphone', 'screen'] })] });
    await t.settle();
    t.watcher.focus('s1');
    await t.settle();
    expect(t.channel().sent('setLayer').at(-1)).toEqual({ consumerId: 'c1-s1-camera', spatialLayer: 1 });
    expect(t.consumes()).toEqual(['s1:camera', 's1:microphone', 's1:screen']);
    expect(t.media('s1')!.microphone?.consumerId).toBe('c2-s1-microphone');
    expect(t.media('s1')!.screen?.consumerId).toBe('c3-s1-screen');

    t.watcher.focus(null);
    await t.settle();
    expect(t.channel().sent('setLayer').at(-1)).toEqual({ consumerId: 'c1-s1-camera', spatialLayer: 0 });
    expect(t.channel().sent('closeConsumer')).toEqual([{ consumerId: 'c2-s1-microphone' }, { consumerId: 'c3-s1-screen' }]);
    expect(t.media('s1')).toMatchObject({ microphone: null, screen: null });
    expect(t.media('s1')!.camera).not.toBeNull();
  });

  it('a closed consumer shows reconnecting and is consumed again when the learner’s camera is back', async () => {
    const t = setup();
    t.watcher.start();
    t.watcher.show(['s1']);
    t.channel().open(STAFF);
    t.channel().push('tiles', { tiles: [liveTile(1)] });
    await t.settle();
    t.handlers.consume = () => fail('not_found', 'no producer');
    t.channel().push('consumerClosed', { consumerId: 'c1-s1-camera' });
    t.channel().push('tiles', { tiles: [liveTile(1, { sources: [] })] });
    await t.settle();
    expect(t.media('s1')).toMatchObject({ camera: null, reconnecting: true });
    expect(t.device.latest.consumers[0]!.closed).toBe(true);

    delete t.handlers.consume;
    t.channel().push('tiles', { tiles: [liveTile(1)] });
    await t.settle();
    expect(t.media('s1')).toMatchObject({ reconnecting: false, camera: { consumerId: expect.stringMatching(/-s1-camera$/) } });
  });

  it('after an SFU restart opens a new transport on the same socket and consumes again; a drop waits for the socket', async () => {
    const t = setup();
    t.watcher.start();
    t.watcher.show(['s1']);
    t.channel().open(STAFF);
    t.channel().push('tiles', { tiles: [liveTile(1)] });
    await t.settle();
    const first = t.device.latest;
    t.channel().push('restarted', {});
    expect(first.closed).toBe(true);
    expect(t.media('s1')).toMatchObject({ camera: null, reconnecting: true });
    await t.settle();
    expect(t.channel().sent('watch')).toHaveLength(1);
    expect(t.device.transports).toHaveLength(2);
    expect(t.consumes()).toEqual(['s1:camera', 's1:camera']);
    expect(t.media('s1')!.reconnecting).toBe(false);

    t.channel().setState('reconnecting');
    expect(t.watcher.snapshot().status).toBe('reconnecting');
    expect(t.media('s1')).toMatchObject({ camera: null, reconnecting: true });
    t.channel().open(STAFF);
    await t.settle();
    expect(t.channel().sent('watch')).toHaveLength(2);
    expect(t.watcher.snapshot().status).toBe('live');
  });

  it('says unavailable while the server has no SFU, and keeps trying on new sockets with backoff', async () => {
    const t = setup();
    let refusals = 2;
    t.handlers.watch = () => (refusals-- > 0 ? fail('live_unavailable', 'off') : { ok: true, value: {} });
    t.watcher.start();
    t.channel().open(STAFF);
    await t.settle();
    expect(t.watcher.snapshot().status).toBe('unavailable');
    expect(t.channel().closed).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    t.channel().open(STAFF);
    await t.settle();
    expect(t.channels).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2_000);
    t.channel().open(STAFF);
    await t.settle();
    expect(t.channels).toHaveLength(3);
    expect(t.watcher.snapshot().status).toBe('live');

    // A socket whose hello the server refused for want of an SFU.
    t.channel().lastFailure = 'live_unavailable';
    t.channel().setState('reconnecting');
    expect(t.watcher.snapshot().status).toBe('unavailable');
    t.watcher.stop();
    expect(t.watcher.snapshot().status).toBe('off');
    expect(t.channel().closed).toBe(true);
  });
});
