import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestServer, describeEachDialect, type TestServer } from '../../test/helper';

/**
 * Each sign-in starts a family: its refresh tokens rotate inside it and its access tokens name it.
 * Ending the family (sign-out, or a spent refresh token used again) ends every token of that sign-in.
 */
describeEachDialect('sign-in families', (dialect) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await createTestServer(dialect);
  });
  afterEach(() => t.close());

  it('refuses the access token of a sign-in that has signed out', async () => {
    const signedIn = await t.signIn('learner');
    expect((await t.call('me', { token: signedIn.accessToken })).status).toBe(200);
    expect((await t.call('signOut', { body: { refreshToken: signedIn.refreshToken } })).status).toBe(200);
    const after = await t.call('me', { token: signedIn.accessToken });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
    expect((await t.call('refresh', { body: { refreshToken: signedIn.refreshToken } })).status).toBe(401);
  });

  it('signing out ends that sign-in only: another sign-in of the same account keeps working', async () => {
    const laptop = await t.signIn('learner');
    const desktop = await t.signIn('learner');
    await t.call('signOut', { body: { refreshToken: laptop.refreshToken } });
    expect((await t.call('me', { token: laptop.accessToken })).status).toBe(401);
    expect((await t.call('me', { token: desktop.accessToken })).status).toBe(200);
    expect((await t.call('refresh', { body: { refreshToken: desktop.refreshToken } })).status).toBe(200);
  });

  it('signs out by the Bearer access token too, even with an unknown refresh token in the body', async () => {
    const signedIn = await t.signIn('proctor');
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { authorization: `Bearer ${signedIn.accessToken}` },
      payload: { refreshToken: 'x'.repeat(43) },
    });
    expect(out.statusCode).toBe(200);
    expect((await t.call('me', { token: signedIn.accessToken })).status).toBe(401);
    expect((await t.call('refresh', { body: { refreshToken: signedIn.refreshToken } })).status).toBe(401);
  });

  it('a spent refresh token used again ends the whole family: the thief and the victim are both signed out', async () => {
    const victim = await t.signIn('learner');
    // The victim's app rotates; the thief kept a copy of the first refresh token.
    const rotated = await t.call('refresh', { body: { refreshToken: victim.refreshToken } });
    expect(rotated.status).toBe(200);
    const stolen = await t.call('refresh', { body: { refreshToken: victim.refreshToken } });
    expect(stolen.status).toBe(401);
    expect(stolen.body.error.code).toBe('unauthenticated');
    expect((await t.call('me', { token: rotated.body.accessToken })).status).toBe(401);
    expect((await t.call('me', { token: victim.accessToken })).status).toBe(401);
    expect((await t.call('refresh', { body: { refreshToken: rotated.body.refreshToken } })).status).toBe(401);
    const family = await t.db.selectFrom('auth_families').select(['revoked_at', 'revoke_reason']).where('user_id', '=', victim.user.id).executeTakeFirstOrThrow();
    expect(family).toEqual({ revoked_at: t.clock.now, revoke_reason: 'refresh_reuse' });
  });

  it('when the thief rotates first, the victim’s next refresh ends the family for both', async () => {
    const victim = await t.signIn('learner');
    const thief = await t.call('refresh', { body: { refreshToken: victim.refreshToken } });
    expect(thief.status).toBe(200);
    expect((await t.call('refresh', { body: { refreshToken: victim.refreshToken } })).status).toBe(401);
    expect((await t.call('me', { token: thief.body.accessToken })).status).toBe(401);
    expect((await t.call('refresh', { body: { refreshToken: thief.body.refreshToken } })).status).toBe(401);
  });

  it('keeps the family across rotations: the rotated pair still signs out as one', async () => {
    const first = await t.signIn('admin');
    const second = await t.call('refresh', { body: { refreshToken: first.refreshToken } });
    const third = await t.call('refresh', { body: { refreshToken: second.body.refreshToken } });
    expect(third.status).toBe(200);
    expect((await t.call('me', { token: first.accessToken })).status).toBe(200);
    await t.call('signOut', { body: { refreshToken: third.body.refreshToken } });
    for (const token of [first.accessToken, second.body.accessToken as string, third.body.accessToken as string]) {
      expect((await t.call('me', { token })).status).toBe(401);
    }
  });
});
