import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import { HttpApiClient } from './apiClient';
import { AuthStore } from './authStore';

const user = { id: 'u1', email: 'learner@invigil.test', fullName: 'Ada Learner', role: 'learner' };
const pair = (n: number) => ({
  accessToken: `access-${n}`,
  accessExpiresAt: '2030-01-01T00:00:00.000Z',
  refreshToken: `refresh-token-number-${n}`,
  refreshExpiresAt: '2030-01-02T00:00:00.000Z',
});

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function makeClient(handler: Handler) {
  const requests: Array<{ url: string; auth: string | null; body: string | undefined }> = [];
  const samples: Array<[number, number, number]> = [];
  let mono = 100;
  const storage = memoryStorage();
  const client = new HttpApiClient({
    baseUrl: async () => 'http://server.test/',
    fetch: (async (url: string, init: RequestInit) => {
      requests.push({ url, auth: (init.headers as Record<string, string>).authorization ?? null, body: init.body as string | undefined });
      mono += 10;
      return handler(url, init);
    }) as typeof fetch,
    auth: new AuthStore(storage),
    clock: { addSample: (a, b, c) => samples.push([a, b, c]) },
    monotonicNow: () => mono,
    log: silentLogger,
  });
  return { client, requests, samples, storage };
}

describe('HttpApiClient', () => {
  it('signs in, keeps the session in storage and sends the bearer token', async () => {
    const { client, requests, storage } = makeClient((url) =>
      url.endsWith('/api/auth/sign-in') ? json(200, { ...pair(1), user }) : json(200, { exams: [] }),
    );
    const signedIn = await client.signIn('learner@invigil.test', 'pw');
    expect(signedIn).toEqual({ ok: true, value: user });
    expect(client.currentUser()?.fullName).toBe('Ada Learner');
    expect(storage.getItem('invigil.auth')).toContain('access-1');
    await client.call('listExams', {});
    expect(requests[1]).toMatchObject({ url: 'http://server.test/api/exams', auth: 'Bearer access-1' });
  });

  it('refreshes an expired token once for concurrent calls, then retries them', async () => {
    let refreshes = 0;
    const { client, requests } = makeClient(async (url, init) => {
      const auth = (init.headers as Record<string, string>).authorization;
      if (url.endsWith('/api/auth/sign-in')) return json(200, { ...pair(1), user });
      if (url.endsWith('/api/auth/refresh')) {
        refreshes += 1;
        return json(200, pair(2));
      }
      if (auth === 'Bearer access-1') return json(401, { error: { code: 'token_expired', message: 'expired' } });
      return json(200, user);
    });
    await client.signIn('learner@invigil.test', 'pw');
    const [a, b] = await Promise.all([client.call('me', {}), client.call('me', {})]);
    expect(a.ok && b.ok).toBe(true);
    expect(refreshes).toBe(1);
    expect(requests.filter((r) => r.url.endsWith('/api/me')).map((r) => r.auth)).toEqual([
      'Bearer access-1',
      'Bearer access-1',
      'Bearer access-2',
      'Bearer access-2',
    ]);
  });

  it('hands the live socket the access token and refreshes it through the one shared refresh', async () => {
    let refreshes = 0;
    const { client } = makeClient(async (url) => {
      if (url.endsWith('/api/auth/sign-in')) return json(200, { ...pair(1), user });
      refreshes += 1;
      return json(200, pair(2));
    });
    expect(client.accessToken()).toBeNull();
    await client.signIn('learner@invigil.test', 'pw');
    expect(client.accessToken()).toBe('access-1');
    expect(await Promise.all([client.refreshAccessToken(), client.refreshAccessToken()])).toEqual([true, true]);
    expect(refreshes).toBe(1);
    expect(client.accessToken()).toBe('access-2');
  });

  it('signs the learner out when the refresh token is refused', async () => {
    const { client } = makeClient((url) => {
      if (url.endsWith('/api/auth/sign-in')) return json(200, { ...pair(1), user });
      if (url.endsWith('/api/auth/refresh')) return json(401, { error: { code: 'unauthenticated', message: 'used' } });
      return json(401, { error: { code: 'token_expired', message: 'expired' } });
    });
    await client.signIn('learner@invigil.test', 'pw');
    const reply = await client.call('me', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(client.currentUser()).toBeNull();
  });

  it('asks for a new sign-in when the server has ended this one (signed out elsewhere, or a stolen refresh token used)', async () => {
    const { client, requests, storage } = makeClient((url) => {
      if (url.endsWith('/api/auth/sign-in')) return json(200, { ...pair(1), user });
      return json(401, { error: { code: 'unauthenticated', message: 'Your sign-in has ended. Sign in again.' } });
    });
    storage.setItem('invigil.other', 'kept');
    await client.signIn('learner@invigil.test', 'pw');
    const seen: Array<unknown> = [];
    client.onUserChange((u) => seen.push(u));
    const reply = await client.call('saveAnswers', {
      params: { sessionId: 's1' },
      body: { answers: [{ sectionId: 'a', questionId: 'q', value: { kind: 'text', text: 'x' }, sequence: 1, clientSavedAt: '2030-01-01T00:00:00.000Z' }] },
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    // No refresh is tried (the whole sign-in has ended); the app shows the sign-in page, and nothing
    // but the tokens is forgotten (the answer journal lives elsewhere and is sent after the new sign-in).
    expect(requests.some((r) => r.url.endsWith('/api/auth/refresh'))).toBe(false);
    expect(client.currentUser()).toBeNull();
    expect(seen).toEqual([null]);
    expect(storage.getItem('invigil.auth')).toBeNull();
    expect(storage.getItem('invigil.other')).toBe('kept');
  });

  it('keeps a newer sign-in when a reply refused an older token', async () => {
    let release: (r: Response) => void = () => undefined;
    const { client } = makeClient((url, init) => {
      if (url.endsWith('/api/auth/sign-in')) return json(200, { ...pair((init.body as string).includes('second') ? 2 : 1), user });
      return new Promise<Response>((resolve) => (release = resolve));
    });
    await client.signIn('learner@invigil.test', 'first');
    const pending = client.call('me', {});
    await Promise.resolve();
    await client.signIn('learner@invigil.test', 'second');
    release(json(401, { error: { code: 'unauthenticated', message: 'ended' } }));
    expect(await pending).toMatchObject({ ok: false });
    expect(client.currentUser()).not.toBeNull();
  });

  it('feeds server time stamps to the clock from the header and from /api/time', async () => {
    const { client, samples } = makeClient((url) =>
      url.endsWith('/api/time') ? json(200, { serverTime: 5_000 }, { 'x-server-time': '4999' }) : json(200, {}),
    );
    await client.call('time', {});
    expect(samples).toEqual([
      [100, 110, 4999],
      [100, 110, 5_000],
    ]);
  });

  it('reports an unreachable server as network and a malformed reply as bad_reply', async () => {
    const down = makeClient(() => {
      throw new TypeError('Failed to fetch');
    });
    expect(await down.client.call('time', {})).toMatchObject({ ok: false, error: { code: 'network' } });
    const odd = makeClient(() => json(200, { serverTime: 'soon' }));
    expect(await odd.client.call('time', {})).toMatchObject({ ok: false, error: { code: 'bad_reply' } });
  });

  it('passes the server’s error code through', async () => {
    const { client } = makeClient(() => json(403, { error: { code: 'attestation_required', message: 'desktop only' } }));
    expect(await client.call('createSession', { body: { examId: 'mpc2' } })).toEqual({
      ok: false,
      error: { code: 'attestation_required', message: 'desktop only' },
    });
  });
});

describe('HttpApiClient.postBytes', () => {
  it('posts the bytes themselves as application/octet-stream with the bearer token, and refreshes an expired token once', async () => {
    const seen: Array<{ url: string; type: string; auth: string; body: unknown }> = [];
    const { client } = makeClient((url, init) => {
      const headers = init.headers as Record<string, string>;
      if (url.endsWith('/api/auth/sign-in')) return json(200, { ...pair(1), user });
      if (url.endsWith('/api/auth/refresh')) return json(200, pair(2));
      seen.push({ url, type: headers['content-type'] ?? '', auth: headers.authorization ?? '', body: init.body });
      if (headers.authorization === 'Bearer access-1') return json(401, { error: { code: 'token_expired', message: 'expired' } });
      return json(200, { receivedBytes: (init.body as Uint8Array).byteLength, serverMs: 3 });
    });
    await client.signIn('learner@invigil.test', 'pw');
    const bytes = new Uint8Array([1, 2, 3, 250]);
    const reply = await client.postBytes('bandwidthProbe', {}, bytes);
    expect(reply).toEqual({ ok: true, value: { receivedBytes: 4, serverMs: 3 } });
    expect(seen.map((r) => [r.url, r.type, r.auth])).toEqual([
      ['http://server.test/api/probe/upload', 'application/octet-stream', 'Bearer access-1'],
      ['http://server.test/api/probe/upload', 'application/octet-stream', 'Bearer access-2'],
    ]);
    expect(seen[1]!.body).toBe(bytes);
  });

  it('reports an unreachable server as network', async () => {
    const { client } = makeClient(() => {
      throw new TypeError('Failed to fetch');
    });
    expect(await client.postBytes('bandwidthProbe', {}, new Uint8Array(8))).toMatchObject({ ok: false, error: { code: 'network' } });
  });
});

describe('AuthStore', () => {
  it('returns the same user object until the stored value changes (React re-renders on identity)', () => {
    const store = new AuthStore(memoryStorage());
    store.set({ accessToken: 'a', refreshToken: 'r', user: { id: 'u1', email: 'e@x.test', fullName: 'E', role: 'learner' } });
    expect(store.user()).toBe(store.user());
    store.clear();
    expect(store.user()).toBeNull();
  });
});
