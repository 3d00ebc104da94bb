import { get } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WEB_HOST_SOCKET_PATH, type WebHostFrame } from '../../shared/ipc/contract';
import { decodeFrame, encodeFrame } from '../../shared/ipc/frameCodec';
import { webCapabilities } from '../ipc/capabilities';
import { createHandlers } from '../ipc/handlers';
import { silentLogger } from '../log';
import { FsAnswerJournal } from '../services/answerJournal';
import { FsRecordingJournal } from '../services/recordingJournal';
import { unsupportedLockdown } from '../services/lockdown';
import { FsSettingsStore } from '../services/settingsStore';
import { unsupportedProbe } from '../services/systemProbe';
import { TusUploader } from '../services/uploader';
import { createWebHost, type WebHost } from './server';

let root: string;
let host: WebHost;
let baseUrl: string;
let dataDir: string;
let uploads: TusUploader;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'invigil-webhost-'));
  const rendererDir = join(root, 'renderer');
  dataDir = join(root, 'data');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Invigil</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("hi")');
  await writeFile(join(root, 'secret.txt'), 'outside the renderer');
  const recording = new FsRecordingJournal({ dataDir, now: Date.now, log: silentLogger, freeBytes: async () => 10 * 1024 ** 3 });
  uploads = new TusUploader({ dataDir, journal: recording, emit: () => undefined, log: silentLogger, now: Date.now, random: Math.random });
  const handlers = createHandlers({
    info: { hostKind: 'web', appVersion: '0.1.0', platform: 'linux', capabilities: webCapabilities },
    journal: new FsAnswerJournal({ dataDir, now: Date.now, log: silentLogger }),
    settings: new FsSettingsStore({ dataDir, defaults: { serverUrl: 'http://127.0.0.1:8080' }, log: silentLogger }),
    recording,
    uploads,
    probe: unsupportedProbe('linux', Date.now),
    lockdown: unsupportedLockdown,
    attestation: null,
    privateStore: null,
  });
  host = createWebHost({ rendererDir, handlers, serverUrl: 'http://127.0.0.1:8080', log: silentLogger });
  baseUrl = await host.listen(0, '127.0.0.1');
});

afterEach(async () => {
  await host.close();
  await uploads.close();
  await rm(root, { recursive: true, force: true });
});

/** A raw GET, because fetch() would normalise `..` away before sending. */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(new URL(baseUrl), { path }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

function connect(origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace('http', 'ws').replace(/\/$/, '')}${WEB_HOST_SOCKET_PATH}`, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
    ws.once('error', reject);
  });
}

function invoker(ws: WebSocket) {
  let nextId = 1;
  return (channel: string, request: unknown): Promise<unknown> => {
    const id = nextId++;
    return new Promise((resolve) => {
      const onMessage = (data: WebSocket.RawData) => {
        const frame = decodeFrame(data.toString());
        if (frame?.type === 'reply' && frame.id === id) {
          ws.off('message', onMessage);
          resolve(frame.result);
        }
      };
      ws.on('message', onMessage);
      ws.send(encodeFrame({ type: 'invoke', id, channel, request }));
    });
  };
}

describe('web host over HTTP', () => {
  it('serves index.html at / with the CSP and no caching', async () => {
    const response = await fetch(baseUrl);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Invigil</title>');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' http://127.0.0.1:8080 ws://127.0.0.1:8080 ${baseUrl.replace('http', 'ws').replace(/\/$/, '')}`);
  });

  it('serves assets with their content type and 404s missing files', async () => {
    const script = await fetch(new URL('assets/app.js', baseUrl));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(new URL('assets/missing.js', baseUrl))).status).toBe(404);
  });

  it.each(['/../secret.txt', '/../../../../etc/passwd', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt'])(
    'refuses the traversal %s',
    async (path) => {
      const response = await rawGet(path);
      expect(response.status).toBe(404);
      expect(response.body).not.toContain('outside the renderer');
      expect(response.body).not.toContain('root:');
    },
  );
});

describe('web host socket', () => {
  it('answers the lockdown entries with unsupported and the probe with nothing seen', async () => {
    const ws = await connect(baseUrl.replace(/\/$/, ''));
    try {
      const invoke = invoker(ws);
      const probe = (await invoke('system:probe', {})) as { ok: boolean; value: Record<string, unknown> };
      expect(probe.ok).toBe(true);
      expect(probe.value).toMatchObject({ displays: null, machine: null, processes: null });
      const engage = (await invoke('lockdown:engage', { sessionId: 'web-1', policy: {}, translator: null })) as { error: { code: string; message: string } };
      expect(engage.error.code).toBe('unsupported');
      expect(engage.error.message).toMatch(/desktop app/);
      const show = (await invoke('translator:setVisible', { visible: true })) as { error: { code: string } };
      expect(show.error.code).toBe('unsupported');
      const release = (await invoke('lockdown:release', { sessionId: 'web-1' })) as { error: { code: string } };
      expect(release.error.code).toBe('unsupported');
    } finally {
      ws.close();
    }
  });

  it('journals answers over the socket: append then pending', async () => {
    const ws = await connect(baseUrl.replace(/\/$/, ''));
    try {
      const invoke = invoker(ws);
      expect(await invoke('answers:open', { sessionId: 'web-1', serverMaxSequence: 0 })).toEqual({ ok: true, value: { nextSequence: 1, pending: 0 } });
      const change = { sessionId: 'web-1', sectionId: 's', questionId: 'q', value: { kind: 'text', text: '7' }, clientSavedAt: '2026-01-05T09:00:00.000Z' };
      expect(await invoke('answers:append', change)).toEqual({ ok: true, value: { ...change, sequence: 1 } });
      expect(await invoke('answers:pending', { sessionId: 'web-1' })).toEqual({ ok: true, value: { entries: [{ ...change, sequence: 1 }] } });
      const info = (await invoke('app:getInfo', {})) as { value: { hostKind: string } };
      expect(info.value.hostKind).toBe('web');
      const unknown = (await invoke('fs:readFile', { path: '/etc/passwd' })) as { error: { code: string } };
      expect(unknown.error.code).toBe('unknown_channel');
    } finally {
      ws.close();
    }
  });

  it('carries a multi-megabyte recording chunk as bytes into the journal', async () => {
    const ws = await connect(baseUrl.replace(/\/$/, ''));
    try {
      const invoke = invoker(ws);
      expect(await invoke('recording:startTake', { sessionId: 'web-1', startedAt: '2026-01-05T09:00:00.000Z' })).toEqual({ ok: true, value: { take: 0, nextChunk: 0 } });
      const chunk = Uint8Array.from({ length: 3 * 1024 * 1024 + 1 }, (_, i) => (i * 7) % 251);
      const appended = (await invoke('recording:appendChunk', { sessionId: 'web-1', take: 0, data: chunk })) as { ok: boolean; value: { chunk: number } };
      expect(appended).toMatchObject({ ok: true, value: { chunk: 0, segment: 0 } });
      expect(await invoke('recording:endTake', { sessionId: 'web-1', take: 0, reason: 'submitted', endedAt: '2026-01-05T09:00:05.000Z' })).toEqual({ ok: true, value: {} });
      const stored = await readFile(join(dataDir, 'recordings', 'web-1', '000000.webm'));
      expect(stored.equals(Buffer.from(chunk))).toBe(true);
      const status = (await invoke('uploads:status', { sessionId: 'web-1' })) as { value: { state: string; pendingSegments: number; safeToClose: boolean } };
      expect(status.value).toMatchObject({ state: 'needs_authorization', pendingSegments: 1, safeToClose: false });
    } finally {
      ws.close();
    }
  });

  it('accepts the localhost spelling of its own origin', async () => {
    const ws = await connect(baseUrl.replace('127.0.0.1', 'localhost').replace(/\/$/, ''));
    ws.close();
  });

  it.each(['https://evil.example', 'http://127.0.0.1:1', 'null'])('refuses a connection from the foreign origin %s', async (origin) => {
    await expect(connect(origin)).rejects.toThrow('refused with 403');
  });

  it('pushes host events to connected pages', async () => {
    const ws = await connect(baseUrl.replace(/\/$/, ''));
    try {
      const received = new Promise<WebHostFrame | null>((resolve) => ws.once('message', (data) => resolve(decodeFrame(data.toString()))));
      host.emit('power:onChange', { state: 'resume' });
      expect(await received).toEqual({ type: 'event', event: 'power:onChange', payload: { state: 'resume' } });
    } finally {
      ws.close();
    }
  });
});
