import { afterEach, beforeEach, expect, it } from 'vitest';
import { ACCOUNTS, createTestServer, describeEachDialect, type TestServer } from '../../../test/helper';
import { SIGN_IN_ADDRESS_LIMIT, SIGN_IN_LIMIT } from '.';

describeEachDialect('auth routes', (dialect) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await createTestServer(dialect);
  });
  afterEach(() => t.close());

  it('signs in with email (any case) and password and returns tokens with the user', async () => {
    const res = await t.call('signIn', { body: { email: '  Learner@Invigil.TEST ', password: ACCOUNTS.learner.password } });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'learner@invigil.test', fullName: 'Amara Okafor', role: 'learner' });
    expect(Date.parse(res.body.accessExpiresAt)).toBe(t.clock.now + 900_000);
    expect(Date.parse(res.body.refreshExpiresAt)).toBe(t.clock.now + 12 * 3600_000);
    expect(res.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.text).not.toContain('password');
  });

  it('refuses a wrong password and an unknown email with the same code and message', async () => {
    const wrong = await t.call('signIn', { body: { email: ACCOUNTS.learner.email, password: 'nope' } });
    const unknown = await t.call('signIn', { body: { email: 'ghost@invigil.test', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect(unknown.body).toEqual(wrong.body);
  });

  it('rate-limits sign-in attempts per address and email with 429 rate_limited', async () => {
    const attempt = (email: string) => t.call('signIn', { body: { email, password: 'wrong-password' } });
    for (let i = 0; i < SIGN_IN_LIMIT.max; i += 1) expect((await attempt(ACCOUNTS.learner.email)).status).toBe(401);
    const limited = await attempt(ACCOUNTS.learner.email);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(limited.body.error.message).toMatch(/try again/);
    // Even the right password waits: guessing cannot continue.
    const right = await t.call('signIn', { body: { email: ACCOUNTS.learner.email, password: ACCOUNTS.learner.password } });
    expect(right.status).toBe(429);
    // Another account from the same address is not locked out.
    expect((await t.call('signIn', { body: { email: ACCOUNTS.learner2.email, password: ACCOUNTS.learner2.password } })).status).toBe(200);
  });

  it('limits sign-in attempts from one address across many emails (password spraying)', async () => {
    let lastStatus = 0;
    for (let i = 0; i < SIGN_IN_ADDRESS_LIMIT.max; i += 1) {
      lastStatus = (await t.call('signIn', { body: { email: `spray${i}@example.test`, password: 'guess' } })).status;
    }
    expect(lastStatus).toBe(401);
    const limited = await t.call('signIn', { body: { email: ACCOUNTS.learner.email, password: ACCOUNTS.learner.password } });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
  });

  it('refuses a missing, malformed or wrongly signed token with unauthenticated', async () => {
    expect((await t.call('me')).body.error.code).toBe('unauthenticated');
    const garbage = await t.call('me', { token: 'not.a.jwt' });
    expect(garbage.status).toBe(401);
    expect(garbage.body.error.code).toBe('unauthenticated');
    const { accessToken } = await t.signIn('learner');
    const [h, p] = accessToken.split('.');
    const forged = await t.call('me', { token: `${h}.${p}.${'A'.repeat(43)}` });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('unauthenticated');
  });

  it('reports token_expired once the access token has outlived its TTL', async () => {
    const { accessToken } = await t.signIn('learner');
    t.clock.advance(899_000);
    expect((await t.call('me', { token: accessToken })).status).toBe(200);
    t.clock.advance(2_000);
    const expired = await t.call('me', { token: accessToken });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('token_expired');
  });

  it('honours a configured access TTL', async () => {
    const short = await createTestServer(dialect, { accessTtlSeconds: 60 });
    try {
      const { accessToken, accessExpiresAt } = await short.signIn('learner');
      expect(Date.parse(accessExpiresAt)).toBe(short.clock.now + 60_000);
      short.clock.advance(61_000);
      expect((await short.call('me', { token: accessToken })).body.error.code).toBe('token_expired');
    } finally {
      await short.close();
    }
  });

  it('rotates refresh tokens: the new pair works, the old refresh token is refused and ends the sign-in', async () => {
    const first = await t.signIn('learner');
    t.clock.advance(1_000_000); // the access token has expired by now
    const rotated = await t.call('refresh', { body: { refreshToken: first.refreshToken } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).not.toBe(first.refreshToken);
    expect((await t.call('me', { token: rotated.body.accessToken })).body.email).toBe(ACCOUNTS.learner.email);
    const replay = await t.call('refresh', { body: { refreshToken: first.refreshToken } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('unauthenticated');
    // A spent token coming back means a copy exists: the whole sign-in ends (see auth/families.test.ts).
    expect((await t.call('refresh', { body: { refreshToken: rotated.body.refreshToken } })).status).toBe(401);
  });

  it('refuses a refresh token after 12 hours', async () => {
    const { refreshToken } = await t.signIn('learner');
    t.clock.advance(12 * 3600_000 + 1);
    expect((await t.call('refresh', { body: { refreshToken } })).status).toBe(401);
  });

  it('signs out: the refresh token no longer works, and signing out twice is harmless', async () => {
    const { refreshToken } = await t.signIn('learner');
    const out = await t.call('signOut', { body: { refreshToken } });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({});
    expect((await t.call('signOut', { body: { refreshToken } })).status).toBe(200);
    expect((await t.call('refresh', { body: { refreshToken } })).status).toBe(401);
  });
});
