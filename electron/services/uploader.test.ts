import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tus from 'tus-js-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NetHttpStack } from '../adapters/netHttpStack';
import { nodeNet } from '../test/nodeNet';
import { CHAIN_GENESIS, chainNext } from '../../shared/domain/hashChain';
import type { UploadProgress } from '../../shared/ipc/contract';
import { sha256Hex } from './recordingFiles';
import { silentLogger } from '../log';
import { startTusServer, type TusTestServer } from '../test/tusTestServer';
import { FsRecordingJournal } from './recordingJournal';
import { TusUploader, type TusUploaderOptions } from './uploader';

let root: string;
let dataDir: string;
let server: TusTestServer;
let running: { journal: FsRecordingJournal; uploader: TusUploader }[];
let events: UploadProgress[];
let listeners: Set<() => void>;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'invigil-uploader-'));
  dataDir = join(root, 'client');
  server = await startTusServer(join(root, 'server'));
  running = [];
  events = [];
  listeners = new Set();
});
afterEach(async () => {
  for (const { uploader, journal } of running) {
    await uploader.close();
    await journal.close();
  }
  await server.close();
  await rm(root, { recursive: true, force: true });
});

const expiresAt = () => new Date(Date.now() + 3600_000).toISOString();

async function host(options: Partial<TusUploaderOptions> = {}) {
  const journal = new FsRecordingJournal({ dataDir, now: Date.now, log: silentLogger, segmentMaxBytes: 256 * 1024, freeBytes: async () => 10 * 1024 ** 3 });
  const uploader = new TusUploader({
    dataDir,
    journal,
    log: silentLogger,
    now: Date.now,
    random: Math.random,
    backoff: { initialMs: 20, maxMs: 200 },
    progressIntervalMs: 0,
    emit: (progress) => {
      events.push(progress);
      for (const listener of listeners) listener();
    },
    ...options,
  });
  await uploader.start();
  running.push({ journal, uploader });
  return { journal, uploader };
}

/** Resolves once `check` holds, re-checked on every progress event. */
function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listeners.delete(listener);
      reject(new Error(`timed out waiting for ${what}; last progress ${JSON.stringify(events.at(-1))}`));
    }, timeoutMs);
    const listener = () => {
      if (!check()) return;
      clearTimeout(timer);
      listeners.delete(listener);
      resolve();
    };
    listeners.add(listener);
  });
}

const last = () => events.at(-1);

/** Records one take of `chunks` random chunks of `size` bytes; returns what was recorded. */
async function record(journal: FsRecordingJournal, chunks: number, size: number): Promise<Buffer> {
  const start = await journal.startTake('s1', new Date().toISOString());
  if (!start.ok) throw new Error(start.error.message);
  const recorded: Buffer[] = [];
  for (let n = 0; n < chunks; n++) {
    const chunk = randomBytes(size);
    recorded.push(chunk);
    const appended = await journal.appendChunk('s1', start.value.take, chunk);
    if (!appended.ok) throw new Error(appended.error.message);
  }
  await journal.endTake('s1', start.value.take, 'submitted', new Date().toISOString());
  return Buffer.concat(recorded);
}

const localSegments = async () => (await readdir(join(dataDir, 'recordings', 's1'))).filter((name) => name !== 'session.json');
const received = () => Buffer.concat(server.completed.map((upload) => upload.bytes));

describe('TusUploader against a real tus server', () => {
  it('uploads every segment in order, byte for byte, and deletes them locally only once confirmed', async () => {
    const { journal, uploader } = await host();
    const recorded = await record(journal, 12, 60 * 1024); // 4 chunks per 256 KiB segment: 3 segments
    expect(await localSegments()).toHaveLength(9);
    const listed = await uploader.list();
    expect(listed.map((p) => [p.sessionId, p.state, p.pendingSegments, p.safeToClose])).toEqual([['s1', 'needs_authorization', 3, false]]);

    await uploader.authorize({ sessionId: 's1', endpoint: server.endpoint, token: server.token, expiresAt: expiresAt() });
    await until(() => last()?.safeToClose === true, 'everything confirmed');
    expect(server.completed.map((upload) => upload.metadata.segment)).toEqual([0, 1, 2]);
    expect(received().equals(recorded)).toBe(true);
    expect(await localSegments()).toEqual([]);
    expect(last()).toMatchObject({ state: 'done', pendingSegments: 0, pendingBytes: 0, uploadedBytes: recorded.length, lastError: null });
    expect(events.some((p) => p.state === 'uploading')).toBe(true);
    expect(await uploader.list()).toEqual([]);
  });

  it('keeps retrying with backoff while the server is down and resumes at the offset it reached', async () => {
    const chunkSize = 256 * 1024;
    const { journal, uploader } = await host({ chunkSize });
    const recorded = await record(journal, 4, 60 * 1024); // one segment of 240 KiB ... plus
    const big = await record(journal, 16, 250 * 1024); // ... 16 segments of 250 KiB: one PATCH each
    let dead = false;
    server.dieAfterPatchBytes(recorded.length + 5 * 250 * 1024 + 100 * 1024, () => (dead = true));
    await uploader.authorize({ sessionId: 's1', endpoint: server.endpoint, token: server.token, expiresAt: expiresAt() });

    await until(() => dead && events.filter((p) => p.state === 'retrying').length >= 3, 'three retries while the server is down');
    const retries = events.filter((p) => p.state === 'retrying');
    expect(retries.every((p) => p.nextRetryAt !== null && p.lastError !== null)).toBe(true);
    expect(await localSegments()).not.toEqual([]); // nothing unconfirmed was deleted
    await server.restart();

    await until(() => last()?.safeToClose === true, 'everything confirmed after the restart');
    const all = Buffer.concat([recorded, big]);
    expect(received().equals(all)).toBe(true);
    expect(server.patchBytes() - all.length).toBeLessThanOrEqual(chunkSize);
    expect(server.creations()).toBe(17); // the interrupted segment resumed its upload instead of starting a new one
  });

  it('asks for a new token on 401 and completes once authorized', async () => {
    const { journal, uploader } = await host();
    const recorded = await record(journal, 3, 10 * 1024);
    await uploader.authorize({ sessionId: 's1', endpoint: server.endpoint, token: 'expired-token', expiresAt: expiresAt() });
    await until(() => last()?.state === 'needs_authorization' && last()?.lastError !== null, 'needs_authorization');
    expect(last()?.lastError).toMatch(/401/);
    expect(last()?.lastError).not.toContain('expired-token');
    expect(await localSegments()).toHaveLength(3);

    await uploader.authorize({ sessionId: 's1', endpoint: server.endpoint, token: server.token, expiresAt: expiresAt() });
    await until(() => last()?.safeToClose === true, 'confirmed after authorization');
    expect(received().equals(recorded)).toBe(true);
  });

  it('after a restart, finds pending segments and resumes the interrupted upload from its stored URL', async () => {
    const chunkSize = 128 * 1024;
    const first = await host({ chunkSize });
    const recorded = await record(first.journal, 4, 60 * 1024);
    let dead = false;
    server.dieAfterPatchBytes(150 * 1024, () => (dead = true));
    await first.uploader.authorize({ sessionId: 's1', endpoint: server.endpoint, token: server.token, expiresAt: expiresAt() });
    await until(() => dead && last()?.state === 'retrying', 'the server gone mid-segment');
    await first.uploader.close(); // the app quits
    await first.journal.close();
    running = [];
    await server.restart();

    events = [];
    const second = await host({ chunkSize });
    expect((await second.uploader.list()).map((p) => [p.state, p.pendingSegments])).toEqual([['needs_authorization', 1]]);
    await second.uploader.authorize({ sessionId: 's1', endpoint: server.endpoint, token: server.token, expiresAt: expiresAt() });
    await until(() => last()?.safeToClose === true, 'confirmed after the restart');
    expect(received().equals(recorded)).toBe(true);
    expect(server.creations()).toBe(1);
    expect(server.patchBytes() - recorded.length).toBeLessThanOrEqual(chunkSize);
  });

  it('keeps a segment the server refuses for good, and says why', async () => {
    const { journal, uploader } = await host();
    await record(journal, 2, 10 * 1024);
    // The bytes on disk were altered after they were journaled: the server's chain check refuses them.
    const path = join(dataDir, 'recordings', 's1', '000000.webm');
    const bytes = await readFile(path);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    await writeFile(path, bytes);
    await uploader.authorize({ sessionId: 's1', endpoint: server.endpoint, token: server.token, expiresAt: expiresAt() });
    await until(() => last()?.lastError !== null && last()?.state === 'idle', 'a permanent refusal');
    expect(last()).toMatchObject({ safeToClose: false, pendingSegments: 1 });
    expect(last()?.lastError).toMatch(/460.*segment_chain_mismatch/);
    expect(await localSegments()).toHaveLength(3);
    expect(server.completed).toEqual([]);
  });

  it.each([
    [409, 'session_closed'],
    [415, 'segment_not_webm'],
    [413, 'recording_quota_exceeded'],
  ])('stops retrying a recording the server refused for good (%i %s), logs the code and reports it', async (status, code) => {
    const logged: { msg: string; fields: Record<string, unknown> | undefined }[] = [];
    const log = { info: () => undefined, warn: () => undefined, error: (msg: string, fields?: Record<string, unknown>) => logged.push({ msg, fields }) };
    const { journal, uploader } = await host({ log });
    await record(journal, 8, 60 * 1024); // two segments
    server.refuseCreations(status, code, 1_000);
    await uploader.authorize({ sessionId: 's1', endpoint: server.endpoint, token: server.token, expiresAt: expiresAt() });
    await until(() => last()?.refused != null, 'the refusal reported');
    expect(last()).toMatchObject({ state: 'idle', safeToClose: false, pendingSegments: 2, refused: { code, message: `Refused by the test server (${code}).` } });
    expect(logged.some((entry) => entry.fields?.['code'] === code)).toBe(true);
    // No retry: with a 20 ms backoff a retrying uploader would have tried dozens of times by now.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(server.creations()).toBe(1);
    expect(await localSegments()).toHaveLength(6); // nothing the server did not confirm is deleted
    // A new token does not restart it either.
    await uploader.authorize({ sessionId: 's1', endpoint: server.endpoint, token: server.token, expiresAt: expiresAt() });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.creations()).toBe(1);
  });

  it.each([
    [429, 'too_many_uploads'],
    [507, 'storage_full'],
  ])('retries %i %s with backoff and completes once the server accepts again', async (status, code) => {
    const { journal, uploader } = await host();
    const recorded = await record(journal, 3, 10 * 1024);
    server.refuseCreations(status, code, 3);
    await uploader.authorize({ sessionId: 's1', endpoint: server.endpoint, token: server.token, expiresAt: expiresAt() });
    await until(() => server.completed.length === 1 && last()?.safeToClose === true, 'confirmed after the refusals');
    const retries = events.filter((p) => p.state === 'retrying');
    expect(retries.length).toBeGreaterThanOrEqual(3);
    expect(retries.every((p) => p.nextRetryAt !== null && p.refused == null)).toBe(true);
    expect(server.creations()).toBe(4);
    expect(received().equals(recorded)).toBe(true);
  });

  it('uploads an arbitrary file for the benchmark, and resumes it after an abort', async () => {
    const chunkSize = 1024 * 1024;
    const { uploader } = await host({ chunkSize });
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const path = join(root, 'bench.bin');
    await writeFile(path, bytes);
    const metadata = {
      sessionId: 'bench',
      take: '0',
      segment: '0',
      firstChunk: '0',
      chunkSizes: String(bytes.length),
      chainStart: CHAIN_GENESIS,
      chainEnd: chainNext(sha256Hex, CHAIN_GENESIS, bytes),
      startedAt: '2026-03-01T09:00:00.000Z',
      endedAt: '2026-03-01T09:00:30.000Z',
    };
    const abort = new AbortController();
    const request = { path, metadata, endpoint: server.endpoint, token: server.token };
    const first = await uploader.uploadFile({ ...request, signal: abort.signal, onProgress: (sent) => sent > 1.5 * chunkSize && abort.abort() });
    expect(first.ok).toBe(false);
    const second = await uploader.uploadFile(request);
    expect(second).toEqual({ ok: true, value: { bytes: bytes.length, resumed: true } });
    expect(received().equals(bytes)).toBe(true);
    expect(server.patchBytes() - bytes.length).toBeLessThanOrEqual(chunkSize);
  });
});

/** tus-js-client's own Node stack, counting every request it is asked to make. */
function countingStack(): tus.HttpStack & { readonly requests: string[] } {
  const inner = new tus.DefaultHttpStack({});
  const requests: string[] = [];
  return {
    requests,
    createRequest: (method, url) => {
      requests.push(method);
      return inner.createRequest(method, url);
    },
    getName: () => 'CountingStack',
  };
}

describe('TusUploader with an injected HTTP stack', () => {
  it('sends every request of a session upload through the stack it was given', async () => {
    const stack = countingStack();
    const { journal, uploader } = await host({ httpStack: stack, chunkSize: 128 * 1024 });
    const recorded = await record(journal, 8, 60 * 1024); // two segments, two PATCHes each
    await uploader.authorize({ sessionId: 's1', endpoint: server.endpoint, token: server.token, expiresAt: expiresAt() });
    await until(() => last()?.safeToClose === true, 'everything confirmed');
    expect(received().equals(recorded)).toBe(true);
    expect(stack.requests.filter((method) => method === 'POST')).toHaveLength(2);
    expect(stack.requests.filter((method) => method === 'PATCH').length).toBeGreaterThanOrEqual(4);
    // Nothing reached the server by another way.
    expect(stack.requests).toHaveLength(server.requests());
  });

  it('sends the benchmark upload through the stack too', async () => {
    const stack = countingStack();
    const { uploader } = await host({ httpStack: stack });
    const bytes = randomBytes(50 * 1024);
    const path = join(root, 'bench.bin');
    await writeFile(path, bytes);
    const metadata = {
      sessionId: 'bench',
      take: '0',
      segment: '0',
      firstChunk: '0',
      chunkSizes: String(bytes.length),
      chainStart: CHAIN_GENESIS,
      chainEnd: chainNext(sha256Hex, CHAIN_GENESIS, bytes),
      startedAt: '2026-03-01T09:00:00.000Z',
      endedAt: '2026-03-01T09:00:30.000Z',
    };
    expect((await uploader.uploadFile({ path, metadata, endpoint: server.endpoint, token: server.token })).ok).toBe(true);
    expect(stack.requests).toEqual(['POST', 'PATCH']);
    expect(server.requests()).toBe(2);
  });

  it('uploads through NetHttpStack (Electron net, imitated on node:http): chunked PATCHes, resumed after the server died', async () => {
    const net = nodeNet();
    const chunkSize = 128 * 1024;
    const { journal, uploader } = await host({ httpStack: new NetHttpStack(net), chunkSize });
    const recorded = await record(journal, 12, 60 * 1024); // three segments
    let dead = false;
    server.dieAfterPatchBytes(300 * 1024, () => (dead = true));
    await uploader.authorize({ sessionId: 's1', endpoint: server.endpoint, token: server.token, expiresAt: expiresAt() });
    await until(() => dead && last()?.state === 'retrying', 'the server gone mid-segment');
    await server.restart();
    await until(() => last()?.safeToClose === true, 'everything confirmed after the restart');
    expect(received().equals(recorded)).toBe(true);
    expect(server.creations()).toBe(3); // the interrupted segment resumed (HEAD for its offset) instead of starting again
    expect(server.patchBytes() - recorded.length).toBeLessThanOrEqual(chunkSize);
    expect(net.made.map((options) => options.method)).toContain('HEAD');
    expect(net.made.every((options) => options.cache === 'no-store' && options.redirect === 'manual')).toBe(true);
    expect(events.some((p) => p.state === 'uploading' && p.uploadedBytes > 0)).toBe(true);
  });
});
