/**
 * Live proctoring signalling against a real mediasoup worker: who may say what on the socket, and
 * what happens when a session ends or a worker dies. Skipped (with the reason printed) only where no
 * worker binary exists (`npm install` builds one into the per-user cache).
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LIVE_SOCKET_PATH, LiveCloseCode, MAX_LIVE_FRAME_BYTES, type LiveTile } from '../../../shared/api';
import { createTestServer, startAttempt, TEST_JWT_SECRET, type TestServer } from '../../test/helper';
import { TokenService } from '../auth/tokens';
import { liveServiceOf } from './livePlugin';
import { locateWorkerBin } from './workerLocation';

const located = locateWorkerBin();
if (!located.ok) console.warn(`[server tests] live proctoring cases skipped: ${located.reason}`);

const HELLO_TIMEOUT_MS = 300;

interface Reply {
  id: number;
  ok: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary reply fields
  data?: any;
  error?: { code: string; message: string };
}

/** A signalling client as the app's would be: requests by id, notifications kept in order. */
class LiveClient {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  readonly notifications: Array<{ notification: string; data: unknown }> = [];
  private readonly waiters: Array<() => void> = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as Reply & { notification?: string; data: unknown };
      if (frame.notification !== undefined) {
        this.notifications.push({ notification: frame.notification, data: frame.data });
        for (const wake of this.waiters.splice(0)) wake();
      } else {
        this.pending.get(frame.id)?.(frame);
        this.pending.delete(frame.id);
      }
    });
    this.closed = new Promise((done) => ws.once('close', (code, reason) => done({ code, reason: reason.toString() })));
  }

  static open(url: string): Promise<LiveClient> {
    const ws = new WebSocket(url);
    const client = new LiveClient(ws);
    return new Promise((done, fail) => {
      ws.once('open', () => done(client));
      ws.once('error', fail);
    });
  }

  request(method: string, data: unknown = {}): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((done, fail) => {
      this.pending.set(id, done);
      this.ws.send(JSON.stringify({ id, method, data }), (error) => error && fail(error));
      void this.closed.then(({ code }) => fail(new Error(`closed ${code} before the reply to ${method}`)));
    });
  }

  async ok(method: string, data: unknown = {}): Promise<Reply['data']> {
    const reply = await this.request(method, data);
    if (!reply.ok) throw new Error(`${method} refused: ${JSON.stringify(reply.error)}`);
    return reply.data;
  }

  /** The first notification `name` (from the start of the socket) that `match` accepts. */
  async notification<T>(name: string, match: (data: T) => boolean = () => true, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.notifications.find((n) => n.notification === name && match(n.data as T));
      if (found) return found.data as T;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${name} notification within ${timeoutMs} ms; got ${JSON.stringify(this.notifications)}`);
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, left).unref();
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** What mediasoup-client sends for a VP8 camera in the contract's two simulcast layers. */
const cameraRtpParameters = (ssrcBase: number) => ({
  mid: '0',
  codecs: [
    {
      mimeType: 'video/VP8',
      payloadType: 96,
      clockRate: 90_000,
      parameters: {},
      rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }, { type: 'goog-remb' }],
    },
  ],
  headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1 }],
  encodings: [
    { ssrc: ssrcBase, scaleResolutionDownBy: 4, maxBitrate: 100_000 },
    { ssrc: ssrcBase + 1, scaleResolutionDownBy: 1, maxBitrate: 500_000 },
  ],
  rtcp: { cname: 'live-test', reducedSize: true },
});

describe.skipIf(!located.ok)('live proctoring signalling', () => {
  let t: TestServer;
  let url: string;
  const clients: LiveClient[] = [];
  const tokens: Record<'learner' | 'learner2' | 'proctor', string> = { learner: '', learner2: '', proctor: '' };
  /** The routers' RTP capabilities, as the last `hello` answered (a client's device loads them). */
  let routerCapabilities: unknown = null;

  beforeAll(async () => {
    t = await createTestServer('sqlite', {
      live: {
        settings: { enabled: true, workers: 2, listenIp: '127.0.0.1', announcedAddress: undefined, rtcMinPort: 40_000, rtcMaxPort: 49_999 },
        ...(located.ok ? { workerBin: located.path } : {}),
        helloTimeoutMs: HELLO_TIMEOUT_MS,
        pollMs: 200,
        restartBackoffMs: 100,
      },
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}${LIVE_SOCKET_PATH}`;
    for (const who of ['learner', 'learner2', 'proctor'] as const) tokens[who] = (await t.signIn(who)).accessToken;
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.close();
  });

  async function open(): Promise<LiveClient> {
    const client = await LiveClient.open(url);
    clients.push(client);
    return client;
  }

  async function hello(who: keyof typeof tokens): Promise<LiveClient> {
    const client = await open();
    const reply = await client.ok('hello', { accessToken: tokens[who] });
    routerCapabilities = reply.routerRtpCapabilities;
    expect(reply.role).toBe(who === 'proctor' ? 'proctor' : 'learner');
    expect(reply.routerRtpCapabilities.codecs.map((c: { mimeType: string }) => c.mimeType)).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8', 'video/VP9']));
    return client;
  }

  /** A learner socket joined to a fresh started attempt. */
  async function joinedLearner(who: 'learner' | 'learner2' = 'learner'): Promise<{ client: LiveClient; sessionId: string }> {
    const sessionId = await startAttempt(t, tokens[who], 'practice-mini');
    const client = await hello(who);
    await client.ok('join', { sessionId });
    return { client, sessionId };
  }

  async function finish(sessionId: string, who: 'learner' | 'learner2' = 'learner'): Promise<void> {
    const submitted = await t.call('submitSession', { token: tokens[who], params: { sessionId } });
    expect(submitted.status).toBe(200);
  }

  describe('hello', () => {
    it('closes a socket that says nothing with 4401 after the hello timeout', async () => {
      const client = await open();
      const started = Date.now();
      const { code } = await client.closed;
      expect(code).toBe(LiveCloseCode.unauthorised);
      expect(Date.now() - started).toBeGreaterThanOrEqual(HELLO_TIMEOUT_MS - 50);
    });

    it('closes a socket whose first request is not hello with 4401', async () => {
      const client = await open();
      client.ws.send(JSON.stringify({ id: 1, method: 'watch', data: {} }));
      expect((await client.closed).code).toBe(LiveCloseCode.unauthorised);
    });

    it('refuses an upload token (another audience) with 4401', async () => {
      const signer = new TokenService({ secret: TEST_JWT_SECRET, clock: t.clock.read, random: randomBytes, accessTtlSeconds: 900 });
      const me = await t.call('me', { token: tokens.learner });
      const upload = await signer.issueUpload({ userId: me.body.id as string, sessionId: 'any' });
      const client = await open();
      const reply = await client.request('hello', { accessToken: upload.token });
      expect(reply.error?.code).toBe('unauthorised');
      expect((await client.closed).code).toBe(LiveCloseCode.unauthorised);
    });

    it('refuses an expired access token and a garbage one with 4401', async () => {
      const expiring = (await t.signIn('learner')).accessToken;
      t.clock.advance(901_000);
      try {
        const client = await open();
        expect((await client.request('hello', { accessToken: expiring })).error?.code).toBe('unauthorised');
        expect((await client.closed).code).toBe(LiveCloseCode.unauthorised);
      } finally {
        t.clock.advance(-901_000);
      }
      const garbage = await open();
      expect((await garbage.request('hello', { accessToken: 'not.a.token' })).error?.code).toBe('unauthorised');
      expect((await garbage.closed).code).toBe(LiveCloseCode.unauthorised);
    });

    it('closes the socket on a frame over MAX_LIVE_FRAME_BYTES (1009)', async () => {
      const client = await hello('learner');
      client.ws.send(JSON.stringify({ id: 9, method: 'raiseHand', data: { raised: true, pad: 'x'.repeat(MAX_LIVE_FRAME_BYTES) } }));
      expect((await client.closed).code).toBe(1009);
    });
  });

  describe('learners', () => {
    it('may not consume', async () => {
      const client = await hello('learner');
      const reply = await client.request('consume', { transportId: 't', sessionId: 's', source: 'camera', rtpCapabilities: {} });
      expect(reply.error).toEqual({ code: 'forbidden', message: 'A learner may not consume.' });
    });

    it('may not create a recv transport, only a send transport after joining', async () => {
      const fresh = await hello('learner');
      expect((await fresh.request('createTransport', { direction: 'send' })).error).toEqual({ code: 'forbidden', message: 'Join your exam session first.' });
      const { client, sessionId } = await joinedLearner();
      expect((await client.request('createTransport', { direction: 'recv' })).error).toEqual({ code: 'forbidden', message: 'Learners only send media.' });
      await finish(sessionId);
    });

    it("may not join another learner's session", async () => {
      const other = await startAttempt(t, tokens.learner2, 'practice-mini');
      const client = await hello('learner');
      expect((await client.request('join', { sessionId: other })).error).toEqual({ code: 'forbidden', message: 'This is not your exam session.' });
      await finish(other, 'learner2');
    });

    it('may not join a session that has not started or is already submitted', async () => {
      const created = await t.call('createSession', { token: tokens.learner, body: { examId: 'practice-mini' } });
      expect(created.status).toBe(200);
      const client = await hello('learner');
      expect((await client.request('join', { sessionId: created.body.id })).error?.code).toBe('session_not_live');

      const started = await startAttempt(t, tokens.learner, 'practice-mini');
      expect(started).toBe(created.body.id);
      await finish(started);
      expect((await client.request('join', { sessionId: started })).error?.code).toBe('session_not_live');
    });

    it('are disconnected with 4409 when their session is submitted, and leave the grid', async () => {
      const proctor = await hello('proctor');
      await proctor.ok('watch');
      const { client, sessionId } = await joinedLearner();
      await proctor.notification<{ tiles: LiveTile[] }>('tiles', (d) => d.tiles.some((tile) => tile.sessionId === sessionId));
      await finish(sessionId);
      expect((await client.closed).code).toBe(LiveCloseCode.sessionOver);
      const seen = proctor.notifications.length;
      await proctor.notification<{ tiles: LiveTile[] }>('tiles', (d) => proctor.notifications.length > seen && !d.tiles.some((tile) => tile.sessionId === sessionId));
    });
  });

  it('shares the screen only from the desktop app, and each source as its own kind', async () => {
    const sessionId = await startAttempt(t, tokens.learner2, 'practice-mini', 'web');
    const client = await hello('learner2');
    await client.ok('join', { sessionId });
    const send = await client.ok('createTransport', { direction: 'send' });
    const screen = { ...cameraRtpParameters(6000), encodings: [{ ssrc: 6000 }] };
    expect((await client.request('produce', { transportId: send.id, kind: 'video', source: 'screen', rtpParameters: screen })).error).toEqual({
      code: 'forbidden',
      message: 'The screen is shared only from the Invigil desktop app.',
    });
    expect((await client.request('produce', { transportId: send.id, kind: 'audio', source: 'camera', rtpParameters: screen })).error).toEqual({
      code: 'bad_request',
      message: 'The camera is sent as video.',
    });
    await finish(sessionId, 'learner2');
  });

  describe('staff', () => {
    it('may not create a send transport', async () => {
      const proctor = await hello('proctor');
      expect((await proctor.request('createTransport', { direction: 'send' })).error).toEqual({ code: 'forbidden', message: 'Staff only receive media.' });
    });

    it('may not produce', async () => {
      const proctor = await hello('proctor');
      const transport = await proctor.ok('createTransport', { direction: 'recv' });
      const reply = await proctor.request('produce', { transportId: transport.id, kind: 'video', source: 'camera', rtpParameters: cameraRtpParameters(1000) });
      expect(reply.error).toEqual({ code: 'forbidden', message: 'A proctor may not produce.' });
    });
  });

  it('a learner sends their camera, a watching proctor gets the tile and consumes it through another router', async () => {
    const { client: learner, sessionId } = await joinedLearner();
    const send = await learner.ok('createTransport', { direction: 'send' });
    expect(send.iceCandidates.map((c: { protocol: string }) => c.protocol).sort()).toEqual(['tcp', 'udp']);
    expect(send.iceCandidates.every((c: { address: string }) => c.address === '127.0.0.1')).toBe(true);
    const { producerId } = await learner.ok('produce', { transportId: send.id, kind: 'video', source: 'camera', rtpParameters: cameraRtpParameters(2000) });
    expect((await learner.request('produce', { transportId: send.id, kind: 'video', source: 'camera', rtpParameters: cameraRtpParameters(3000) })).error?.code).toBe(
      'bad_request',
    );
    await learner.ok('raiseHand', { raised: true });

    const proctor = await hello('proctor');
    await proctor.ok('watch');
    const { tiles } = await proctor.notification<{ tiles: LiveTile[] }>('tiles', (d) => d.tiles.some((tile) => tile.sessionId === sessionId && tile.handRaised));
    expect(tiles.find((tile) => tile.sessionId === sessionId)).toEqual({
      sessionId,
      learnerName: expect.any(String),
      examTitle: 'Practice mini',
      sectionTitle: null,
      sectionEndsAt: null,
      handRaised: true,
      sources: ['camera'],
      recentFlags: [],
      pausedSince: null,
      lastMessage: null,
    });

    expect((await proctor.request('hello', { accessToken: tokens.proctor })).error?.code).toBe('bad_request');
    const recv = await proctor.ok('createTransport', { direction: 'recv' });
    const capabilities = routerCapabilities;
    const consumed = await proctor.ok('consume', { transportId: recv.id, sessionId, source: 'camera', rtpCapabilities: capabilities });
    expect(consumed).toMatchObject({ producerId, kind: 'video' });
    await proctor.ok('resumeConsumer', { consumerId: consumed.consumerId });
    await proctor.ok('setLayer', { consumerId: consumed.consumerId, spatialLayer: 1 });
    expect((await proctor.request('consume', { transportId: recv.id, sessionId, source: 'screen', rtpCapabilities: capabilities })).error?.code).toBe('not_found');

    learner.close();
    expect(await proctor.notification<{ consumerId: string }>('consumerClosed')).toEqual({ consumerId: consumed.consumerId });
    await finish(sessionId);
  });

  it('tells the learner of a message, a pause, the resume and the end (then 4409); the tile shows the pause and the read message', async () => {
    const { client, sessionId } = await joinedLearner('learner2');
    const watcher = await hello('proctor');
    await watcher.ok('watch');
    const act = (name: 'sendLiveMessage' | 'pauseSession' | 'resumeSession' | 'endSession', body: object) =>
      t.call(name, { token: tokens.proctor, params: { sessionId }, body });
    const tileWith = (match: (tile: LiveTile) => boolean) =>
      watcher.notification<{ tiles: LiveTile[] }>('tiles', (d) => d.tiles.some((tile) => tile.sessionId === sessionId && match(tile)));

    const sent = await act('sendLiveMessage', { text: 'Please face the camera.' });
    const message = await client.notification<{ id: string; text: string }>('message');
    expect(message).toMatchObject({ id: sent.body.lastMessage.id, text: 'Please face the camera.' });
    await tileWith((tile) => tile.lastMessage?.id === message.id && tile.lastMessage.readAt === null);
    expect((await t.call('ackLiveMessage', { token: tokens.learner2, params: { sessionId, messageId: message.id }, body: {} })).status).toBe(200);
    await tileWith((tile) => tile.lastMessage?.readAt != null);

    await act('pauseSession', { reason: 'Noise check' });
    expect(await client.notification('paused')).toMatchObject({ reason: 'Noise check' });
    await tileWith((tile) => tile.pausedSince !== null);
    await act('resumeSession', {});
    await client.notification('resumed');
    await tileWith((tile) => tile.pausedSince === null);

    expect((await act('endSession', { reason: 'Ended in a test' })).status).toBe(200);
    expect(await client.notification('ended')).toEqual({ reason: 'Ended in a test' });
    expect((await client.closed).code).toBe(LiveCloseCode.sessionOver);
  });

  it('replaces a worker that dies; its sockets are told `restarted` and set up again', async () => {
    const live = liveServiceOf(t.app)!;
    const { client: learner, sessionId } = await joinedLearner();
    const before = await learner.ok('createTransport', { direction: 'send' });
    await learner.ok('produce', { transportId: before.id, kind: 'video', source: 'camera', rtpParameters: cameraRtpParameters(4000) });
    const pid = live.sessionWorkerPid(sessionId);
    expect(pid).toEqual(expect.any(Number));
    process.kill(pid!);

    await learner.notification('restarted', () => true, 10_000);
    expect(live.workerPids()).not.toContain(pid);
    const after = await learner.ok('createTransport', { direction: 'send' });
    expect(after.id).not.toBe(before.id);
    await learner.ok('produce', { transportId: after.id, kind: 'video', source: 'camera', rtpParameters: cameraRtpParameters(5000) });
    await expect.poll(() => live.workerPids().every((p) => typeof p === 'number'), { timeout: 10_000 }).toBe(true);
    await finish(sessionId);
  });
});
