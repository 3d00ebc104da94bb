import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_MAX_VALUE_CHARS, type AppInfo } from '../../shared/ipc/contract';
import { silentLogger } from '../log';
import { FsAnswerJournal } from '../services/answerJournal';
import type { SecretBox } from '../services/installKey';
import { unsupportedLockdown } from '../services/lockdown';
import { FsPrivateStore, type PrivateStore } from '../services/privateStore';
import { FsRecordingJournal } from '../services/recordingJournal';
import { FsSettingsStore } from '../services/settingsStore';
import { unsupportedProbe } from '../services/systemProbe';
import { TusUploader } from '../services/uploader';
import { createHandlers, dispatch, type Handlers } from './handlers';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'invigil-store-handlers-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const xorBox: SecretBox = {
  protection: 'os',
  seal: async (plain) => Buffer.from(plain.map((b) => b ^ 0x5a)),
  open: async (sealed) => Buffer.from(sealed.map((b) => b ^ 0x5a)),
};

function handlers(privateStore: PrivateStore | null): Handlers {
  const recording = new FsRecordingJournal({ dataDir, now: () => 0, log: silentLogger, freeBytes: async () => 1e12 });
  return createHandlers({
    // The capabilities are not what these tests look at.
    info: { hostKind: privateStore ? 'desktop' : 'web', appVersion: '0.1.0', platform: 'linux', capabilities: {} as AppInfo['capabilities'] },
    journal: new FsAnswerJournal({ dataDir, now: () => 0, log: silentLogger }),
    settings: new FsSettingsStore({ dataDir, defaults: { serverUrl: 'http://127.0.0.1:8080' }, log: silentLogger }),
    recording,
    uploads: new TusUploader({ dataDir, journal: recording, emit: () => undefined, log: silentLogger, now: () => 0, random: () => 0.5 }),
    probe: unsupportedProbe('linux', () => 0),
    lockdown: unsupportedLockdown,
    attestation: null,
    privateStore,
  });
}

const call = (h: Handlers, channel: string, request: unknown) => dispatch(h, channel, request, silentLogger);

/** Counts what reaches the store, to show refused requests never do. */
function countingStore(): PrivateStore & { calls: number } {
  const inner = new FsPrivateStore({ dataDir, box: xorBox, log: silentLogger, limits: { maxNamespaceChars: 64 } });
  const store = {
    calls: 0,
    load: (namespace: Parameters<PrivateStore['load']>[0]) => (store.calls++, inner.load(namespace)),
    set: (...args: Parameters<PrivateStore['set']>) => (store.calls++, inner.set(...args)),
    remove: (...args: Parameters<PrivateStore['remove']>) => (store.calls++, inner.remove(...args)),
  };
  return store;
}

describe('store:* entries on the desktop host', () => {
  it('sets, loads and removes entries of a namespace', async () => {
    const h = handlers(new FsPrivateStore({ dataDir, box: xorBox, log: silentLogger }));
    expect(await call(h, 'store:load', { namespace: 'events' })).toEqual({ ok: true, value: { entries: {} } });
    expect(await call(h, 'store:set', { namespace: 'events', key: 'invigil.events.3f0c-11', value: '[{"id":"e1"}]' })).toEqual({ ok: true, value: {} });
    expect(await call(h, 'store:set', { namespace: 'identity', key: 'invigil.identityFace.3f0c-11', value: '{"descriptor":[]}' })).toEqual({ ok: true, value: {} });
    expect(await call(h, 'store:load', { namespace: 'events' })).toEqual({ ok: true, value: { entries: { 'invigil.events.3f0c-11': '[{"id":"e1"}]' } } });
    expect(await call(h, 'store:remove', { namespace: 'events', key: 'invigil.events.3f0c-11' })).toEqual({ ok: true, value: {} });
    // A fresh store over the same folder: what the page finds after a restart.
    const again = handlers(new FsPrivateStore({ dataDir, box: xorBox, log: silentLogger }));
    expect(await call(again, 'store:load', { namespace: 'events' })).toEqual({ ok: true, value: { entries: {} } });
    expect(await call(again, 'store:load', { namespace: 'identity' })).toEqual({ ok: true, value: { entries: { 'invigil.identityFace.3f0c-11': '{"descriptor":[]}' } } });
  });

  it.each([
    ['an unknown namespace', 'store:load', { namespace: 'settings' }],
    ['a key outside the app’s names', 'store:set', { namespace: 'events', key: 'authToken', value: 'x' }],
    ['a key that climbs out of a folder', 'store:set', { namespace: 'events', key: 'invigil.events/../../x', value: 'x' }],
    ['an inherited object key', 'store:set', { namespace: 'events', key: '__proto__', value: 'x' }],
    ['a key too long', 'store:remove', { namespace: 'events', key: `invigil.${'a'.repeat(121)}` }],
    ['a value that is not text', 'store:set', { namespace: 'events', key: 'invigil.events.s1', value: 42 }],
    ['a value over the size limit', 'store:set', { namespace: 'events', key: 'invigil.events.s1', value: 'x'.repeat(STORE_MAX_VALUE_CHARS + 1) }],
  ])('refuses %s before the store sees it', async (_what, channel, request) => {
    const store = countingStore();
    const result = await call(handlers(store), channel, request);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_request');
    expect(store.calls).toBe(0);
  });

  it('answers invalid_request with the cap when a namespace would grow too large, and writes nothing', async () => {
    const store = countingStore();
    const result = await call(handlers(store), 'store:set', { namespace: 'events', key: 'invigil.events.s1', value: 'x'.repeat(100) });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringMatching(/at most 64 characters/) } });
    await expect(readdir(join(dataDir, 'private'))).rejects.toThrow(/ENOENT/);
  });
});

describe('store:* entries on the web host', () => {
  it('answer unsupported: the browser page keeps its own localStorage', async () => {
    const h = handlers(null);
    for (const [channel, request] of [
      ['store:load', { namespace: 'events' }],
      ['store:set', { namespace: 'identity', key: 'invigil.identityFace.s1', value: '{}' }],
      ['store:remove', { namespace: 'identity', key: 'invigil.identityFace.s1' }],
    ] as const) {
      const result = await call(h, channel, request);
      expect(result).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    }
  });
});
