import { decodeJwt, SignJWT } from 'jose';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type SignInResponse, UPLOAD_PATH } from '../../../shared/api';
import { PLAYBACK_QUERY } from '../../../shared/api/review';
import { createTestServer, describeEachDialect, TEST_JWT_SECRET, type TestServer } from '../../test/helper';
import { PlaybackTokens } from '../recording/playbackTokens';
import { TokenService } from './tokens';

const key = new TextEncoder().encode(TEST_JWT_SECRET);

/** The same token with its `exp` claim removed, signed again with the server's own key. */
async function withoutExp(token: string): Promise<string> {
  const { exp: _exp, ...claims } = decodeJwt(token);
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);
}

/** Each token has one purpose: one kind of token never stands in for another, and none lives forever. */
describeEachDialect('token purposes', (dialect) => {
  let t: TestServer;
  let learner: SignInResponse;
  let proctor: SignInResponse;
  let tokens: TokenService;
  let playback: PlaybackTokens;
  const sessionId = 'session-under-review';
  beforeEach(async () => {
    t = await createTestServer(dialect);
    learner = await t.signIn('learner');
    proctor = await t.signIn('proctor');
    // The server's own issuers, with its key: what playbackGrant and recordingUploadToken hand out.
    tokens = new TokenService({ secret: TEST_JWT_SECRET, clock: t.clock.read, random: () => new Uint8Array(32), accessTtlSeconds: 900 });
    playback = new PlaybackTokens({ secret: TEST_JWT_SECRET, clock: t.clock.read });
  });
  afterEach(() => t.close());

  const playbackToken = async () => (await playback.issue({ userId: proctor.user.id, role: 'proctor', sessionId })).token;
  const uploadToken = async () => (await tokens.issueUpload({ userId: learner.user.id, sessionId })).token;

  it('refuses a playback token copied from a video URL as a Bearer token on the API', async () => {
    const copied = await playbackToken();
    for (const res of [
      await t.call('me', { token: copied }),
      await t.call('claimNext', { token: copied, body: {} }),
      await t.call('getSession', { token: copied, params: { sessionId } }),
      await t.call('listQueue', { token: copied, body: {} }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
  });

  it('refuses an upload token as a Bearer token on the API', async () => {
    const upload = await uploadToken();
    for (const res of [await t.call('me', { token: upload }), await t.call('getSession', { token: upload, params: { sessionId } })]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
  });

  it('refuses an access token as a playback token and as an upload token', async () => {
    const access = proctor.accessToken;
    await expect(playback.verify(access, sessionId)).rejects.toMatchObject({ code: 'unauthenticated' });
    const asImage = await t.app.inject({
      method: 'GET',
      url: `/api/review/sessions/${sessionId}/playback/images/image-1?${PLAYBACK_QUERY}=${encodeURIComponent(access)}`,
    });
    expect(asImage.statusCode).toBe(401);
    const asTake = await t.app.inject({ method: 'GET', url: `/api/sessions/${sessionId}/recording/takes/0?${PLAYBACK_QUERY}=${encodeURIComponent(access)}` });
    expect(asTake.statusCode).toBe(401);

    await expect(tokens.verifyUpload(learner.accessToken)).rejects.toMatchObject({ code: 'upload_token_invalid' });
    const asUpload = await t.app.inject({
      method: 'POST',
      url: UPLOAD_PATH,
      headers: { authorization: `Bearer ${learner.accessToken}`, 'tus-resumable': '1.0.0', 'upload-length': '10' },
    });
    expect(asUpload.statusCode).toBe(401);
  });

  it('refuses access, upload and playback tokens that carry no expiry', async () => {
    expect((await t.call('me', { token: learner.accessToken })).status).toBe(200);
    const me = await t.call('me', { token: await withoutExp(learner.accessToken) });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('unauthenticated');

    const upload = await uploadToken();
    await expect(tokens.verifyUpload(upload)).resolves.toMatchObject({ sessionId });
    await expect(tokens.verifyUpload(await withoutExp(upload))).rejects.toMatchObject({ code: 'upload_token_invalid' });

    const granted = await playbackToken();
    await expect(playback.verify(granted, sessionId)).resolves.toMatchObject({ sessionId });
    await expect(playback.verify(await withoutExp(granted), sessionId)).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});
