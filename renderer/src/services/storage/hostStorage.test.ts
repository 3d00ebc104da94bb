import { beforeEach, describe, expect, it } from 'vitest';
import type { HostErrorCode, StoreNamespace } from '../../../../shared/ipc/contract';
import { fail, ok } from '../../../../shared/result';
import { EVENT_OUTBOX_KEY_PREFIX } from '../lockdown/eventOutbox';
import { IdentityFaces } from '../monitoring/identityFaces';
import type { Logger } from '../logger';
import { HostStorage, type StoreHost } from './hostStorage';

type Call = { channel: 'set' | 'remove'; key: string; value?: string };

/**
 * The desktop host's store as the page sees it: namespaces of entries, each call answered when the
 * test says (`hold`) or at once, failing with `failWith` while that is set.
 */
class FakeStoreHost {
  readonly spaces = new Map<StoreNamespace, Map<string, string>>();
  readonly calls: Call[] = [];
  failWith: HostErrorCode | null = null;
  loadFails = false;
  hold = false;
  private held: (() => void)[] = [];
  inFlight = 0;
  maxInFlight = 0;

  space(namespace: StoreNamespace): Map<string, string> {
    let space = this.spaces.get(namespace);
    if (!space) this.spaces.set(namespace, (space = new Map()));
    return space;
  }

  release(): void {
    const held = this.held;
    this.held = [];
    for (const go of held) go();
  }

  get waiting(): number {
    return this.held.length;
  }

  private async answer<T>(call: Call | null, apply: () => T) {
    if (call) this.calls.push(call);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (this.hold) await new Promise<void>((go) => this.held.push(go));
    else await Promise.resolve();
    this.inFlight -= 1;
    if (this.failWith !== null) return fail(this.failWith, `failed: ${this.failWith}`);
    return ok(apply());
  }

  readonly host: StoreHost = {
    'store:load': async ({ namespace }) =>
      this.loadFails ? fail('io_error', 'EACCES') : ok({ entries: Object.fromEntries(this.space(namespace)) }),
    'store:set': ({ namespace, key, value }) => this.answer({ channel: 'set', key, value }, () => (this.space(namespace).set(key, value), {})),
    'store:remove': ({ namespace, key }) => this.answer({ channel: 'remove', key }, () => (this.space(namespace).delete(key), {})),
  };
}

/** localStorage as migration sees it. */
function memoryLocalStorage(entries: Record<string, string>) {
  const m = new Map(Object.entries(entries));
  return {
    m,
    get length() {
      return m.size;
    },
    key: (i: number) => [...m.keys()][i] ?? null,
    getItem: (k: string) => m.get(k) ?? null,
    removeItem: (k: string) => void m.delete(k),
  };
}

let logged: { level: string; msg: string; fields?: Record<string, unknown> }[];
const log: Logger = {
  info: (msg, fields) => logged.push({ level: 'info', msg, fields }),
  warn: (msg, fields) => logged.push({ level: 'warn', msg, fields }),
  error: (msg, fields) => logged.push({ level: 'error', msg, fields }),
};

beforeEach(() => {
  logged = [];
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('HostStorage', () => {
  it('reads synchronously from what it loaded, and writes every change through to the host', async () => {
    const fake = new FakeStoreHost();
    fake.space('events').set('invigil.events.s1', '[1]');
    const storage = await HostStorage.open({ host: fake.host, namespace: 'events', log });
    expect(storage.getItem('invigil.events.s1')).toBe('[1]');
    expect(storage.getItem('invigil.events.s2')).toBeNull();

    storage.setItem('invigil.events.s2', '[2]');
    expect(storage.getItem('invigil.events.s2')).toBe('[2]'); // at once, before the host answered
    storage.removeItem('invigil.events.s1');
    expect(storage.getItem('invigil.events.s1')).toBeNull();
    storage.removeItem('invigil.events.never'); // nothing to remove: no call
    await storage.flushed();
    expect(fake.calls).toEqual([
      { channel: 'set', key: 'invigil.events.s2', value: '[2]' },
      { channel: 'remove', key: 'invigil.events.s1' },
    ]);
    expect(Object.fromEntries(fake.space('events'))).toEqual({ 'invigil.events.s2': '[2]' });
  });

  it('writes one at a time, in the order of the changes, each key with its latest value', async () => {
    const fake = new FakeStoreHost();
    const storage = await HostStorage.open({ host: fake.host, namespace: 'events', log });
    fake.hold = true;
    storage.setItem('invigil.events.a', 'a1');
    storage.setItem('invigil.events.b', 'b1');
    storage.setItem('invigil.events.a', 'a2');
    storage.setItem('invigil.events.c', 'c1');
    storage.removeItem('invigil.events.b');
    await tick();
    expect(fake.waiting).toBe(1);
    fake.hold = false;
    fake.release();
    await storage.flushed();
    expect(fake.maxInFlight).toBe(1);
    // a1 was already on its way; then the keys in the order of their last change.
    expect(fake.calls).toEqual([
      { channel: 'set', key: 'invigil.events.a', value: 'a1' },
      { channel: 'set', key: 'invigil.events.a', value: 'a2' },
      { channel: 'set', key: 'invigil.events.c', value: 'c1' },
      { channel: 'remove', key: 'invigil.events.b' },
    ]);
    expect(Object.fromEntries(fake.space('events'))).toEqual({ 'invigil.events.a': 'a2', 'invigil.events.c': 'c1' });
  });

  it('logs a failed write and tries it again with the next change, before that change', async () => {
    const fake = new FakeStoreHost();
    const storage = await HostStorage.open({ host: fake.host, namespace: 'identity', log });
    fake.failWith = 'io_error';
    storage.setItem('invigil.identityFace.s1', 'face');
    await storage.flushed();
    expect(logged).toEqual([{ level: 'warn', msg: 'private store: write failed; trying again with the next change', fields: { namespace: 'identity', code: 'io_error' } }]);
    await tick();
    expect(fake.calls).toHaveLength(1); // no retry loop on its own
    expect(storage.getItem('invigil.identityFace.s1')).toBe('face'); // the page keeps working

    fake.failWith = null;
    storage.setItem('invigil.identityFace.s2', 'other');
    await storage.flushed();
    expect(fake.calls.map((c) => c.key)).toEqual(['invigil.identityFace.s1', 'invigil.identityFace.s1', 'invigil.identityFace.s2']);
    expect(Object.fromEntries(fake.space('identity'))).toEqual({ 'invigil.identityFace.s1': 'face', 'invigil.identityFace.s2': 'other' });
  });

  it('drops a write the host refuses for good, says so, and goes on with the next ones', async () => {
    const fake = new FakeStoreHost();
    const storage = await HostStorage.open({ host: fake.host, namespace: 'events', log });
    fake.failWith = 'invalid_request';
    storage.setItem('invigil.events.huge', 'x');
    await storage.flushed();
    fake.failWith = null;
    storage.setItem('invigil.events.s1', 'ok');
    await storage.flushed();
    expect(fake.calls.map((c) => c.key)).toEqual(['invigil.events.huge', 'invigil.events.s1']);
    expect(logged.map((l) => [l.level, l.msg])).toEqual([['error', 'private store: the host refused an entry; kept in memory only']]);
    expect(storage.getItem('invigil.events.huge')).toBe('x');
  });

  it('finds its entries again after a reload of the page', async () => {
    const fake = new FakeStoreHost();
    const before = await HostStorage.open({ host: fake.host, namespace: 'identity', log });
    new IdentityFaces(before, log).remember('s1', Float32Array.from({ length: 128 }, (_, i) => i / 128));
    await before.flushed();
    const after = await HostStorage.open({ host: fake.host, namespace: 'identity', log });
    expect(Array.from(new IdentityFaces(after, log).recall('s1') ?? [])).toHaveLength(128);
    new IdentityFaces(after, log).forget('s1');
    await after.flushed();
    expect(fake.space('identity').size).toBe(0);
  });
});

describe('HostStorage migration out of localStorage', () => {
  it('moves the entries under its prefix into the host and removes them from localStorage, leaving the rest', async () => {
    const fake = new FakeStoreHost();
    const local = memoryLocalStorage({
      [`${EVENT_OUTBOX_KEY_PREFIX}s1`]: '[{"id":"e1"}]',
      [IdentityFaces.key('s1')]: '{"descriptor":[]}',
      'invigil.recording.devices': '{"camera":"c"}',
    });
    const events = await HostStorage.open({ host: fake.host, namespace: 'events', log, migrate: { from: local, prefix: EVENT_OUTBOX_KEY_PREFIX } });
    const faces = await HostStorage.open({ host: fake.host, namespace: 'identity', log, migrate: { from: local, prefix: IdentityFaces.key('') } });
    expect(events.getItem('invigil.events.s1')).toBe('[{"id":"e1"}]');
    expect(faces.getItem('invigil.identityFace.s1')).toBe('{"descriptor":[]}');
    expect(Object.fromEntries(fake.space('events'))).toEqual({ 'invigil.events.s1': '[{"id":"e1"}]' });
    expect(Object.fromEntries(fake.space('identity'))).toEqual({ 'invigil.identityFace.s1': '{"descriptor":[]}' });
    expect([...local.m.keys()]).toEqual(['invigil.recording.devices']);
    expect(logged.filter((l) => l.msg === 'private store: moved entries out of localStorage').map((l) => l.fields)).toEqual([
      { namespace: 'events', count: 1 },
      { namespace: 'identity', count: 1 },
    ]);
  });

  it('keeps the host’s value when both have the key (a move cut short before the removal)', async () => {
    const fake = new FakeStoreHost();
    fake.space('events').set('invigil.events.s1', 'newer');
    const local = memoryLocalStorage({ 'invigil.events.s1': 'older' });
    const storage = await HostStorage.open({ host: fake.host, namespace: 'events', log, migrate: { from: local, prefix: 'invigil.events.' } });
    expect(storage.getItem('invigil.events.s1')).toBe('newer');
    expect(local.m.size).toBe(0);
    expect(fake.calls).toEqual([]);
  });

  it('leaves localStorage alone when the host cannot load, and works from those entries', async () => {
    const fake = new FakeStoreHost();
    fake.loadFails = true;
    const local = memoryLocalStorage({ 'invigil.events.s1': '[1]' });
    const storage = await HostStorage.open({ host: fake.host, namespace: 'events', log, migrate: { from: local, prefix: 'invigil.events.' } });
    expect(storage.getItem('invigil.events.s1')).toBe('[1]');
    expect(local.m.get('invigil.events.s1')).toBe('[1]');
    expect(logged.map((l) => [l.level, l.fields?.['code']])).toEqual([['error', 'io_error']]);
  });

  it('keeps an entry in localStorage when the host could not take it, and retries it with the next change', async () => {
    const fake = new FakeStoreHost();
    fake.failWith = 'disk_full';
    const local = memoryLocalStorage({ 'invigil.events.s1': '[1]' });
    const storage = await HostStorage.open({ host: fake.host, namespace: 'events', log, migrate: { from: local, prefix: 'invigil.events.' } });
    expect(storage.getItem('invigil.events.s1')).toBe('[1]');
    expect(local.m.get('invigil.events.s1')).toBe('[1]');
    fake.failWith = null;
    storage.setItem('invigil.events.s2', '[2]');
    await storage.flushed();
    expect(Object.fromEntries(fake.space('events'))).toEqual({ 'invigil.events.s1': '[1]', 'invigil.events.s2': '[2]' });
    // The next start finds it in the host and clears localStorage.
    await HostStorage.open({ host: fake.host, namespace: 'events', log, migrate: { from: local, prefix: 'invigil.events.' } });
    expect(local.m.size).toBe(0);
  });
});
