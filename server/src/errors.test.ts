import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ApiErrorBody } from '../../shared/api';
import { createTestServer, describeEachDialect, type TestServer } from '../test/helper';

describeEachDialect('error handling', (dialect) => {
  let t: TestServer;
  let token: string;
  beforeEach(async () => {
    t = await createTestServer(dialect);
    token = (await t.signIn('learner')).accessToken;
  });
  afterEach(() => t.close());

  const post = (url: string, payload: string, contentType = 'application/json') =>
    t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, authorization: `Bearer ${token}` } });

  it('answers malformed JSON with 400 bad_request', async () => {
    const res = await post('/api/sessions', '{"examId": "practice-mini",');
    expect(res.statusCode).toBe(400);
    expect(ApiErrorBody.parse(res.json()).error.code).toBe('bad_request');
  });

  it('answers an empty or missing body with 400 bad_request', async () => {
    const empty = await post('/api/sessions', '');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('bad_request');
    const missing = await t.app.inject({ method: 'POST', url: '/api/sessions', headers: { authorization: `Bearer ${token}` } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('bad_request');
  });

  it('lists the field paths of missing and wrongly typed fields (400 validation_failed)', async () => {
    const missing = await t.call('createSession', { token, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('validation_failed');
    expect(missing.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.examId']);

    const wrongType = await t.call('startSession', { token, params: { sessionId: 'x' }, body: { attestation: { installId: 42, nonce: 'n' } } });
    expect(wrongType.status).toBe(400);
    const paths = wrongType.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['body.attestation.installId', 'body.attestation.nonce', 'body.attestation.signature']);
    expect(wrongType.body.error.message).toMatch(/body\.attestation/);

    // (Batches, answers and events, are judged per entry instead: see their tests.)
    const nested = await t.call('saveSystemCheck', {
      token,
      params: { sessionId: 'x' },
      body: { checkedAt: 'yesterday', hostKind: 'desktop', appVersion: '0.1.0', items: [{ id: 'camera', status: 'maybe', observed: 'x', fix: null }], observations: null },
    });
    expect(nested.status).toBe(400);
    const nestedPaths = nested.body.error.details.map((d: { path: string }) => d.path);
    expect(nestedPaths).toEqual(expect.arrayContaining(['body.checkedAt', 'body.items.0.status']));
  });

  it('refuses extra fields where the contract says the body is empty', async () => {
    const res = await t.call('startSession', { token, params: { sessionId: 'abc' }, body: { force: true } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('answers a body over 256 KiB with 413 payload_too_large', async () => {
    const big = JSON.stringify({ examId: 'x'.repeat(300 * 1024) });
    const res = await post('/api/sessions', big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  it('answers a body that is not JSON with 415 and bad_request', async () => {
    const res = await post('/api/sessions', 'examId=x', 'text/plain');
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('bad_request');
  });

  it('answers an unknown route with 404 not_found', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/does-not-exist' });
    expect(res.statusCode).toBe(404);
    expect(ApiErrorBody.parse(res.json()).error).toMatchObject({ code: 'not_found' });
  });

  it('hides the details of unexpected failures behind 500 internal', async () => {
    const broken = await createTestServer(dialect);
    try {
      broken.app.get('/api/broken', async () => {
        throw new Error('secret: connection string postgres://user:pw@db');
      });
      const res = await broken.app.inject({ method: 'GET', url: '/api/broken' });
      expect(res.statusCode).toBe(500);
      expect(res.json().error.code).toBe('internal');
      expect(res.body).not.toContain('secret');
      expect(res.body).not.toContain('postgres://');
    } finally {
      await broken.close();
    }
  });
});

/** What a full disk looks like from node:fs: an errno error with its code, not an ApiError. */
function errnoError(code: 'ENOSPC' | 'EDQUOT', errno: number): NodeJS.ErrnoException {
  const message = code === 'ENOSPC' ? 'no space left on device' : 'disk quota exceeded';
  return Object.assign(new Error(`${code}: ${message}, write`), { code, errno, syscall: 'write' });
}

describeEachDialect('a full disk', (dialect) => {
  it('answers ENOSPC and EDQUOT with 507 storage_full and logs the real error with its code', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const t = await createTestServer(dialect, { logger: pino({ level: 'info' }, sink) });
    try {
      // A service that writes to disk, failing as node:fs does when the disk or the quota is full.
      const writer = { save: async (code: 'ENOSPC' | 'EDQUOT') => Promise.reject(errnoError(code, code === 'ENOSPC' ? -28 : -122)) };
      t.app.post('/api/test/disk/:code', async (request) => writer.save((request.params as { code: 'ENOSPC' | 'EDQUOT' }).code));
      for (const code of ['ENOSPC', 'EDQUOT'] as const) {
        const res = await t.app.inject({ method: 'POST', url: `/api/test/disk/${code}` });
        expect(res.statusCode).toBe(507);
        const body = ApiErrorBody.parse(res.json());
        expect(body.error.code).toBe('storage_full');
        expect(res.body).not.toContain('write');
        const logged = lines.find((l) => (l['err'] as { code?: string } | undefined)?.code === code);
        expect(logged, `log line for ${code}`).toBeDefined();
        expect(logged?.['level']).toBe(50);
        expect((logged?.['err'] as { message: string }).message).toMatch(new RegExp(`^${code}: `));
      }
    } finally {
      await t.close();
    }
  });
});
