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
    const missing = await t.call('createSession', { token, body: { client: 'desktop' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('validation_failed');
    expect(missing.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.examId']);

    const wrongType = await t.call('createSession', { token, body: { examId: 42, client: 'phone' } });
    expect(wrongType.status).toBe(400);
    const paths = wrongType.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['body.client', 'body.examId']);
    expect(wrongType.body.error.message).toMatch(/body\.(examId|client)/);

    const nested = await t.call('saveAnswers', {
      token,
      params: { sessionId: 'x' },
      body: { answers: [{ sectionId: 's1', questionId: 'q1', value: { kind: 'choice' }, sequence: 0, clientSavedAt: 'yesterday' }] },
    });
    expect(nested.status).toBe(400);
    const nestedPaths = nested.body.error.details.map((d: { path: string }) => d.path);
    expect(nestedPaths).toEqual(expect.arrayContaining(['body.answers.0.sequence', 'body.answers.0.clientSavedAt']));
  });

  it('refuses extra fields where the contract says the body is empty', async () => {
    const res = await t.call('startSession', { token, params: { sessionId: 'abc' }, body: { force: true } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('answers a body over 256 KiB with 413 payload_too_large', async () => {
    const big = JSON.stringify({ examId: 'x'.repeat(300 * 1024), client: 'desktop' });
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
