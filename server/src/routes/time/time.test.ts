import { afterEach, beforeEach, expect, it } from 'vitest';
import { SERVER_TIME_HEADER } from '../../../../shared/api';
import { createTestServer, describeEachDialect, type TestServer } from '../../../test/helper';

describeEachDialect('GET /api/time', (dialect) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await createTestServer(dialect);
  });
  afterEach(() => t.close());

  it('returns the server clock in the body and in the x-server-time header', async () => {
    t.clock.advance(1234);
    const res = await t.call('time');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ serverTime: t.clock.now });
    expect(res.headers[SERVER_TIME_HEADER]).toBe(String(t.clock.now));
  });

  it('stamps errors and unknown routes with the server time too', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers[SERVER_TIME_HEADER]).toBe(String(t.clock.now));
    const unauthenticated = await t.call('me');
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers[SERVER_TIME_HEADER]).toBe(String(t.clock.now));
  });

  it('allows any origin without credentials and exposes the time header (CORS)', async () => {
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/sessions',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('authorization');
    const simple = await t.app.inject({ method: 'GET', url: '/api/time', headers: { origin: 'http://example.test' } });
    expect(simple.headers['access-control-allow-origin']).toBe('*');
    expect(simple.headers['access-control-expose-headers']).toBe(SERVER_TIME_HEADER);
  });
});
