import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger, LogFields } from '../log';
import type { SecretBox } from './installKey';
import { FsPrivateStore, PRIVATE_STORE_DIR, type PrivateStoreLimits } from './privateStore';

let dataDir: string;
let warnings: { msg: string; fields?: LogFields }[];
const log: Logger = {
  info: () => undefined,
  warn: (msg, fields) => warnings.push({ msg, fields }),
  error: (msg, fields) => warnings.push({ msg, fields }),
};

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'invigil-private-'));
  warnings = [];
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Stands in for safeStorage: a keystream XOR, so neither the text nor its base64 shows in the sealed bytes. */
function xorBox(protection: SecretBox['protection'] = 'os', key = 0x5a): SecretBox & { seals: number } {
  const mask = (bytes: Buffer) => Buffer.from(bytes.map((b, i) => b ^ ((key + i * 31) & 0xff)));
  const box = {
    protection,
    seals: 0,
    seal: async (plain: Buffer) => {
      box.seals += 1;
      return mask(plain);
    },
    open: async (sealed: Buffer) => mask(sealed),
  };
  return box;
}

const store = (box: SecretBox = xorBox(), limits?: Partial<PrivateStoreLimits>) => new FsPrivateStore({ dataDir, box, log, limits });
const fileOf = (namespace: string) => join(dataDir, PRIVATE_STORE_DIR, `${namespace}.json`);

const descriptor = JSON.stringify({ descriptor: Array.from({ length: 128 }, (_, i) => 0.0123 * (i + 1)) });
const events = JSON.stringify([{ id: 'e1', kind: 'focus_lost', at: '2026-03-01T09:00:00.000Z', detail: 'a very recognisable sentence' }]);

describe('FsPrivateStore', () => {
  it('keeps entries across restarts, per namespace', async () => {
    const first = store();
    expect(await first.load('identity')).toEqual({});
    expect((await first.set('identity', 'invigil.identityFace.s1', descriptor)).ok).toBe(true);
    expect((await first.set('events', 'invigil.events.s1', events)).ok).toBe(true);
    await first.set('events', 'invigil.events.s2', '[]');
    await first.remove('events', 'invigil.events.s2');
    await first.remove('events', 'invigil.events.never');

    const second = store();
    expect(await second.load('identity')).toEqual({ 'invigil.identityFace.s1': descriptor });
    expect(await second.load('events')).toEqual({ 'invigil.events.s1': events });
    expect(warnings).toEqual([]);
  });

  it('never writes the plain text: the file holds only the sealed bytes', async () => {
    const s = store();
    await s.set('identity', 'invigil.identityFace.s1', descriptor);
    await s.set('events', 'invigil.events.s1', events);
    for (const namespace of ['identity', 'events']) {
      const raw = await readFile(fileOf(namespace));
      const text = raw.toString('utf8');
      expect(JSON.parse(text)).toEqual({ version: 1, sealed: expect.any(String) });
      for (const secret of ['0.0123', 'descriptor', 'recognisable', 'focus_lost', 'invigil.events.s1', 'invigil.identityFace.s1']) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(Buffer.from(secret).toString('base64'));
      }
    }
    // No temporary or other file is left beside them.
    expect((await readdir(join(dataDir, PRIVATE_STORE_DIR))).sort()).toEqual(['events.json', 'identity.json']);
  });

  it('refuses a value that would take the namespace over its caps, and keeps what it had', async () => {
    const s = store(xorBox(), { maxNamespaceChars: 1000, maxEntries: 3 });
    await s.set('events', 'invigil.events.a', 'x'.repeat(400));
    const tooBig = await s.set('events', 'invigil.events.b', 'y'.repeat(600));
    expect(tooBig.ok).toBe(false);
    if (!tooBig.ok) expect(tooBig.error.code).toBe('store_full');
    // Replacing a value counts its new size, not both.
    expect((await s.set('events', 'invigil.events.a', 'z'.repeat(900))).ok).toBe(true);
    await s.set('events', 'invigil.events.a', '1');
    await s.set('events', 'invigil.events.b', '2');
    await s.set('events', 'invigil.events.c', '3');
    expect((await s.set('events', 'invigil.events.d', '4')).ok).toBe(false);
    expect(await store().load('events')).toEqual({ 'invigil.events.a': '1', 'invigil.events.b': '2', 'invigil.events.c': '3' });
  });

  it('recovers from a damaged file as empty, with a warning, and sets the damaged file aside', async () => {
    await mkdir(join(dataDir, PRIVATE_STORE_DIR), { recursive: true });
    await writeFile(fileOf('events'), '{"version":1,"sealed":"bm90IHJlYWxseQ=="}'); // opens to bytes that are not JSON
    await writeFile(fileOf('identity'), 'garbage{');
    const s = store();
    expect(await s.load('events')).toEqual({});
    expect(await s.load('identity')).toEqual({});
    expect(warnings.map((w) => [w.msg, w.fields?.['namespace']])).toEqual([
      ['private store: file unreadable, set aside; starting empty', 'events'],
      ['private store: file unreadable, set aside; starting empty', 'identity'],
    ]);
    expect(await readFile(`${fileOf('identity')}.unreadable`, 'utf8')).toBe('garbage{');
    // The store works again from there.
    await s.set('identity', 'invigil.identityFace.s1', descriptor);
    expect(await store().load('identity')).toEqual({ 'invigil.identityFace.s1': descriptor });
  });

  it('a file sealed by another key (another user, a new keychain) is unreadable, not an error', async () => {
    await store(xorBox('os', 0x11)).set('identity', 'invigil.identityFace.s1', descriptor);
    expect(await store(xorBox('os', 0x77)).load('identity')).toEqual({});
    expect(warnings).toHaveLength(1);
  });

  it('writes one change at a time, in the order asked', async () => {
    const box = xorBox();
    const s = store(box);
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.set('events', 'invigil.events.s1', String(i))));
    expect(await store().load('events')).toEqual({ 'invigil.events.s1': '19' });
    expect(box.seals).toBe(20);
  });

  it('keeps the last written state when a write fails', async () => {
    const box = xorBox();
    const s = store(box);
    await s.set('events', 'invigil.events.s1', 'kept');
    box.seal = async () => {
      throw new Error('Error while encrypting the text provided to safeStorage.encryptStringAsync.');
    };
    await expect(s.set('events', 'invigil.events.s1', 'lost')).rejects.toThrow(/encrypting/);
    expect(await s.load('events')).toEqual({ 'invigil.events.s1': 'kept' });
  });

  it('warns once that the data is not protected by the OS where there is no keyring', () => {
    store(xorBox('none'));
    expect(warnings.map((w) => w.msg)).toEqual(['private store: no OS keyring; face data and queued events are encrypted with a fixed key, not protected by the OS']);
  });
});
