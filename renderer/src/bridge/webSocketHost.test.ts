import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../services/logger';
import { WebSocketHostClient, type SocketLike } from './webSocketHost';
import { webLockdownCapabilities } from '../../../shared/domain/lockdownCapabilities';

/** A socket the test drives: it records what the client sends and lets the test open, reply, close. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Array<{ type: string; id: number; channel: string; request: unknown }> = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

const info = {
  hostKind: 'web',
  appVersion: '0.1.0',
  platform: 'linux',
  capabilities: { kiosk: false, contentProtection: false, processList: false, translatorView: false, lockdown: webLockdownCapabilities() },
};

describe('WebSocketHostClient', () => {
  let sockets: FakeSocket[];
  let client: WebSocketHostClient;
  const latest = () => sockets[sockets.length - 1]!;

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    client = new WebSocketHostClient({
      url: 'ws://host/__invigil_host',
      createSocket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
      timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
      log: silentLogger,
      connectWaitMs: 2_000,
    });
  });
  afterEach(() => {
    client.close();
    vi.useRealTimers();
  });

  it('matches replies to requests by id, whatever order they come back in', async () => {
    const host = client.asHost();
    latest().open();
    const a = host['settings:get']({});
    const b = host['app:getInfo']({});
    const [first, second] = latest().sent;
    expect(first).toMatchObject({ type: 'invoke', channel: 'settings:get' });
    latest().receive({ type: 'reply', id: second!.id, result: { ok: true, value: info } });
    latest().receive({ type: 'reply', id: first!.id, result: { ok: true, value: { serverUrl: 'http://127.0.0.1:8099' } } });
    expect(await a).toEqual({ ok: true, value: { serverUrl: 'http://127.0.0.1:8099' } });
    expect(await b).toEqual({ ok: true, value: info });
  });

  it('waits for the socket to open before sending an early request', async () => {
    const reply = client.invoke('settings:get', {});
    expect(latest().sent).toHaveLength(0);
    latest().open();
    const frame = latest().sent[0]!;
    latest().receive({ type: 'reply', id: frame.id, result: { ok: true, value: { serverUrl: 'http://x.test' } } });
    expect(await reply).toMatchObject({ ok: true });
  });

  it('fails in-flight requests with host_unavailable when the socket drops, then reconnects with backoff', async () => {
    latest().open();
    const pending = client.invoke('answers:pending', { sessionId: 's1' });
    latest().drop();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'host_unavailable' } });
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(250);
    expect(sockets).toHaveLength(2);
    latest().drop();
    await vi.advanceTimersByTimeAsync(250);
    expect(sockets).toHaveLength(2); // backoff doubled to 500 ms
    await vi.advanceTimersByTimeAsync(250);
    expect(sockets).toHaveLength(3);

    latest().open();
    const again = client.invoke('answers:pending', { sessionId: 's1' });
    const frame = latest().sent[0]!;
    latest().receive({ type: 'reply', id: frame.id, result: { ok: true, value: { entries: [] } } });
    expect(await again).toEqual({ ok: true, value: { entries: [] } });
  });

  it('gives up on a request when the host does not come back in time', async () => {
    latest().drop();
    const reply = client.invoke('settings:get', {});
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await reply).toMatchObject({ ok: false, error: { code: 'host_unavailable' } });
  });

  it('turns a reply that breaks the contract into an internal error', async () => {
    latest().open();
    const reply = client.invoke('answers:ack', { sessionId: 's1', sequences: [1] });
    latest().receive({ type: 'reply', id: latest().sent[0]!.id, result: { ok: true, value: { pending: -3 } } });
    expect(await reply).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('passes host failures through as typed results', async () => {
    latest().open();
    const reply = client.invoke('answers:append', {
      sessionId: 's1',
      sectionId: 'a',
      questionId: 'q',
      value: { kind: 'text', text: 'x' },
      clientSavedAt: '2030-01-01T00:00:00.000Z',
    });
    latest().receive({ type: 'reply', id: latest().sent[0]!.id, result: { ok: false, error: { code: 'disk_full', message: 'no space' } } });
    expect(await reply).toEqual({ ok: false, error: { code: 'disk_full', message: 'no space' } });
  });

  it('sends recording chunks as {"$bytes": base64} and turns them back into bytes in replies', async () => {
    latest().open();
    const reply = client.invoke('recording:appendChunk', { sessionId: 's1', take: 0, data: new Uint8Array([0, 1, 254, 255]) });
    const frame = latest().sent[0]!;
    expect(frame.request).toEqual({ sessionId: 's1', take: 0, data: { $bytes: 'AAH+/w==' } });
    latest().receive({ type: 'reply', id: frame.id, result: { ok: true, value: { chunk: 0, segment: 0, chainHead: 'ab' } } });
    expect(await reply).toEqual({ ok: true, value: { chunk: 0, segment: 0, chainHead: 'ab' } });
  });

  it('delivers valid events to listeners across reconnects and ignores malformed ones', async () => {
    const seen: string[] = [];
    client.on('power:onChange', (p) => seen.push(p.state));
    latest().open();
    latest().receive({ type: 'event', event: 'power:onChange', payload: { state: 'suspend' } });
    latest().receive({ type: 'event', event: 'power:onChange', payload: { state: 'napping' } });
    latest().drop();
    await vi.advanceTimersByTimeAsync(250);
    latest().open();
    latest().receive({ type: 'event', event: 'power:onChange', payload: { state: 'resume' } });
    expect(seen).toEqual(['suspend', 'resume']);
  });
});
