import { afterEach, beforeEach, expect, it } from 'vitest';
import { UPLOAD_PATH } from '../../shared/api';
import { PLAYBACK_QUERY } from '../../shared/api/review';
import { createTestServer, describeEachDialect, startAttempt, type TestServer } from '../test/helper';

const EXPECTED = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };

/** Every response of the API, whatever wrote it, is not sniffed, leaks no referrer and is never cached. */
describeEachDialect('response headers', (dialect) => {
  let t: TestServer;
  let learner: string;
  let proctor: string;
  let sessionId: string;
  beforeEach(async () => {
    t = await createTestServer(dialect);
    learner = (await t.signIn('learner')).accessToken;
    proctor = (await t.signIn('proctor')).accessToken;
    // The final asks for an ID photo, so there is an identity image to fetch.
    sessionId = await startAttempt(t, learner, 'final-mini');
  });
  afterEach(() => t.close());

  const get = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('are on JSON replies, errors, 404s, media and the tus endpoint', async () => {
    const identity = await t.call('getIdentity', { token: proctor, params: { sessionId } });
    const imageId = identity.body.images[0].id as string;
    const grant = await t.call('playbackGrant', { token: proctor, params: { sessionId }, body: {} });
    const playbackUrl = grant.body.images[0].url as string;
    expect(playbackUrl).toContain(`${PLAYBACK_QUERY}=`);

    const responses = {
      time: await get('/api/time'),
      me: await get('/api/me', learner),
      unauthenticated: await get('/api/me'),
      forbidden: await get('/api/review/entries/x', learner),
      validation: await t.app.inject({ method: 'POST', url: '/api/sessions', headers: { authorization: `Bearer ${learner}` }, payload: {} }),
      unknownRoute: await get('/api/nothing-here'),
      identityImage: await get(`/api/sessions/${sessionId}/identity/images/${imageId}`, proctor),
      playbackImage: await get(playbackUrl),
      missingTake: await get(`/api/sessions/${sessionId}/recording/takes/7`, proctor),
      tusRefused: await t.app.inject({ method: 'POST', url: UPLOAD_PATH, headers: { 'tus-resumable': '1.0.0', 'upload-length': '10' } }),
      tusOptions: await t.app.inject({ method: 'OPTIONS', url: UPLOAD_PATH, headers: { origin: 'http://app.test', 'access-control-request-method': 'POST' } }),
      preflight: await t.app.inject({ method: 'OPTIONS', url: '/api/me', headers: { origin: 'http://app.test', 'access-control-request-method': 'GET' } }),
    };
    expect(responses.me.statusCode).toBe(200);
    expect(responses.unauthenticated.statusCode).toBe(401);
    expect(responses.forbidden.statusCode).toBe(403);
    expect(responses.validation.statusCode).toBe(400);
    expect(responses.unknownRoute.statusCode).toBe(404);
    expect(responses.identityImage.headers['content-type']).toBe('image/jpeg');
    expect(responses.playbackImage.headers['content-type']).toBe('image/jpeg');
    expect(responses.missingTake.statusCode).toBe(404);
    expect(responses.tusRefused.statusCode).toBe(401);
    for (const [name, response] of Object.entries(responses)) {
      expect({ name, ...pick(response.headers) }).toEqual({ name, ...EXPECTED });
    }
  });
});

function pick(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(EXPECTED).map((k) => [k, headers[k]]));
}
