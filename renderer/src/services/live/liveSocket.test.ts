import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logger';
import { LiveSocket, liveBackoffMs, liveSocketUrl, type LiveWebSocketLike } from './liveSocket';

/** A WebSocket the test drives: it records frames and lets the test open, answer, push and close. */
class FakeWebSocket implements LiveWebSocketLike {
  static all: FakeWebSocket[] = [];
  readyState = 0;
  sent: Array<{ id: number; method: string; data: Record<string, unknown> }> = [];
  closedWith: number | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000) {
    this.closedWith = code;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  /** The server drops or refuses the connection with this close code. */
  drop(code: number) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  reply(method: string, data: unknown) {
    const request = this.sent.find((f) => f.method === method);
    if (!request) throw new Error(`no ${method} sent`);
    this.receive({ id: request.id, ok: true, data });
  }
}

const HELLO = { role: 'learner', routerRtpCapabilities: { codecs: [] } };

function setup(options: { random?: number; refresh?: () => Promise<boolean> } = {}) {
  FakeWebSocket.all = [];
  const auth = {
    token: 'access-1' as string | null,
    refreshes: 0,
    accessToken: () => auth.token,
    refreshAccessToken: vi.fn(async () => {
      auth.refreshes++;
      return options.refresh ? options.refresh() : ((auth.token = `access-${auth.refreshes + 1}`), true);
    }),
  };
  const delays: number[] = [];
  const socket = new LiveSocket({
    serverUrl: async () => 'http://server.test/',
    auth,
    WebSocket: FakeWebSocket,
    setTimeout: (fn, ms) => {
      delays.push(ms);
      const id = setTimeout(fn, ms);
      return () => clearTimeout(id);
    },
    random: () => options.random ?? 1,
    log: silentLogger,
    requestTimeoutMs: 10_000,
  });
  const latest = () => FakeWebSocket.all[FakeWebSocket.all.length - 1]!;
  /** Opens the newest socket and answers its hello. */
  const connect = async () => {
    await vi.advanceTimersByTimeAsync(0);
    latest().open();
    latest().reply('hello', HELLO);
    await vi.advanceTimersByTimeAsync(0);
  };
  return { socket, auth, delays, latest, connect };
}

describe('LiveSocket', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('connects to the server’s live path and says hello with the access token before anything else', async () => {
    const t = setup();
    const ready = vi.fn();
    t.socket.onReady(ready);
    t.socket.start();
    expect(t.socket.state).toBe('connecting');
    expect(await t.socket.request('watch', {})).toMatchObject({ ok: false, error: { code: 'disconnected' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(t.latest().url).toBe('ws://server.test/api/live/socket');
    t.latest().open();
    expect(t.latest().sent).toEqual([{ id: 1, method: 'hello', data: { accessToken: 'access-1' } }]);
    t.latest().reply('hello', HELLO);
    await vi.advanceTimersByTimeAsync(0);
    expect(t.socket.state).toBe('open');
    expect(ready).toHaveBeenCalledWith(HELLO);
    expect(liveSocketUrl('https://exams.example.edu/')).toBe('wss://exams.example.edu/api/live/socket');
  });

  it('matches replies to requests by id, whatever order they come back in, and passes errors on as results', async () => {
    const t = setup();
    t.socket.start();
    await t.connect();
    const join = t.socket.request('join', { sessionId: 's1' });
    const transport = t.socket.request('createTransport', { direction: 'send' });
    const hand = t.socket.request('raiseHand', { raised: true });
    const [, joinFrame, transportFrame, handFrame] = t.latest().sent;
    expect(joinFrame).toMatchObject({ method: 'join', data: { sessionId: 's1' } });
    const params = { id: 't1', iceParameters: {}, iceCandidates: [], dtlsParameters: {} };
    t.latest().receive({ id: transportFrame!.id, ok: true, data: params });
    t.latest().receive({ id: handFrame!.id, ok: false, error: { code: 'forbidden', message: 'not joined' } });
    t.latest().receive({ id: joinFrame!.id, ok: true, data: {} });
    expect(await join).toEqual({ ok: true, value: {} });
    expect(await transport).toEqual({ ok: true, value: params });
    expect(await hand).toEqual({ ok: false, error: { code: 'forbidden', message: 'not joined' } });
  });

  it('times a request out, and ignores its late reply', async () => {
    const t = setup();
    t.socket.start();
    await t.connect();
    const join = t.socket.request('join', { sessionId: 's1' });
    await vi.advanceTimersByTimeAsync(9_999);
    let settled = false;
    void join.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await join).toMatchObject({ ok: false, error: { code: 'timeout' } });
    t.latest().reply('join', {});
    expect(t.socket.state).toBe('open');
  });

  it('hands valid pushes to their listeners and ignores malformed ones', async () => {
    const t = setup();
    const tiles = vi.fn();
    const closed = vi.fn();
    t.socket.on('tiles', tiles);
    t.socket.on('consumerClosed', closed);
    t.socket.start();
    await t.connect();
    t.latest().receive({ notification: 'consumerClosed', data: { consumerId: 'c1' } });
    t.latest().receive({ notification: 'consumerClosed', data: { consumer: 'c1' } });
    t.latest().receive({ notification: 'tiles', data: { tiles: [] } });
    t.latest().receive({ notification: 'nonsense', data: {} });
    t.latest().onmessage?.({ data: '{not json' });
    expect(closed.mock.calls).toEqual([[{ consumerId: 'c1' }]]);
    expect(tiles.mock.calls).toEqual([[{ tiles: [] }]]);
  });

  it('reconnects after drops with exponential backoff from 1 s to 30 s, jittered, and starts again at 1 s once connected', async () => {
    const t = setup({ random: 1 });
    const states: string[] = [];
    t.socket.onStateChange((s) => states.push(s));
    t.socket.start();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 7; i++) {
      t.latest().drop(1006);
      await vi.advanceTimersByTimeAsync(30_000);
    }
    expect(t.delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(FakeWebSocket.all).toHaveLength(8);
    expect(states).toEqual(['connecting', ...Array<string>(7).fill('reconnecting')]);
    await t.connect();
    expect(t.socket.state).toBe('open');
    t.delays.length = 0;
    t.latest().drop(1001); // the server is draining: back later, like any drop
    expect(t.delays).toEqual([1_000]);
    // The jitter draws each wait between half and all of its step.
    expect([0, 1, 2, 5, 6].map((n) => liveBackoffMs(n, 0))).toEqual([500, 1_000, 2_000, 15_000, 15_000]);
    expect(liveBackoffMs(3, 0.5)).toBe(6_000);
  });

  it('after a hello refused because the server has no SFU now, says so and keeps trying with backoff', async () => {
    const t = setup();
    t.socket.start();
    await vi.advanceTimersByTimeAsync(0);
    t.latest().open();
    t.latest().receive({ id: t.latest().sent[0]!.id, ok: false, error: { code: 'live_unavailable', message: 'no worker' } });
    await vi.advanceTimersByTimeAsync(0);
    t.latest().drop(1001); // the server's close after its reply: ignored, the client has moved on
    expect(t.socket.state).toBe('reconnecting');
    expect(t.socket.lastFailure).toBe('live_unavailable');
    expect(t.delays).toEqual([10_000, 1_000]);
    await vi.advanceTimersByTimeAsync(1_000);
    await t.connect();
    expect(FakeWebSocket.all).toHaveLength(2);
    expect(t.socket.lastFailure).toBeNull();
  });

  it('stops for good on 4409 (session over): pending requests fail and nothing reconnects', async () => {
    const t = setup();
    t.socket.start();
    await t.connect();
    const pending = t.socket.request('join', { sessionId: 's1' });
    t.latest().drop(4409);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'disconnected' } });
    expect(t.socket.state).toBe('closed');
    expect(t.socket.stopReason).toBe('session_over');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeWebSocket.all).toHaveLength(1);
  });

  it('after 4401 refreshes the access token and tries once more at once; a second 4401 stops it for good', async () => {
    const t = setup();
    t.socket.start();
    await t.connect();
    t.latest().drop(4401);
    await vi.advanceTimersByTimeAsync(0);
    expect(t.auth.refreshes).toBe(1);
    expect(FakeWebSocket.all).toHaveLength(2);
    t.latest().open();
    expect(t.latest().sent[0]).toMatchObject({ method: 'hello', data: { accessToken: 'access-2' } });
    t.latest().drop(4401);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(t.auth.refreshes).toBe(1);
    expect(FakeWebSocket.all).toHaveLength(2);
    expect(t.socket.state).toBe('closed');
    expect(t.socket.stopReason).toBe('unauthorised');
  });

  it('treats a hello refused as unauthorised like 4401, and a later 4401 after a good hello gets its own refresh', async () => {
    const t = setup();
    t.socket.start();
    await vi.advanceTimersByTimeAsync(0);
    t.latest().open();
    const hello = t.latest().sent[0]!;
    t.latest().receive({ id: hello.id, ok: false, error: { code: 'unauthorised', message: 'expired' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(t.auth.refreshes).toBe(1);
    expect(FakeWebSocket.all[0]!.closedWith).toBe(1000);
    await t.connect();
    expect(t.socket.state).toBe('open');
    // Hours later the token expires on the open socket: a fresh refresh is allowed.
    t.latest().drop(4401);
    await vi.advanceTimersByTimeAsync(0);
    expect(t.auth.refreshes).toBe(2);
    expect(FakeWebSocket.all).toHaveLength(3);
  });

  it('after 4401 with a refresh that cannot reach the server, retries later; with the sign-in gone, stops', async () => {
    const network = setup({ refresh: async () => false });
    network.socket.start();
    await network.connect();
    network.latest().drop(4401);
    await vi.advanceTimersByTimeAsync(0);
    expect(network.socket.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(FakeWebSocket.all).toHaveLength(2);

    const signedOut = setup({
      refresh: async () => {
        signedOut.auth.token = null;
        return false;
      },
    });
    signedOut.socket.start();
    await signedOut.connect();
    signedOut.latest().drop(4401);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(signedOut.socket.state).toBe('closed');
    expect(signedOut.socket.stopReason).toBe('unauthorised');
    expect(FakeWebSocket.all).toHaveLength(1);
  });

  it('close() ends it: the socket is closed, requests fail, no reconnection', async () => {
    const t = setup();
    t.socket.start();
    await t.connect();
    t.socket.close();
    expect(t.latest().closedWith).toBe(1000);
    expect(await t.socket.request('watch', {})).toMatchObject({ ok: false, error: { code: 'disconnected' } });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.all).toHaveLength(1);
    expect(t.socket.stopReason).toBe('stopped');
  });
});
