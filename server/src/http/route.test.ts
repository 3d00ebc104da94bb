import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestServer, describeEachDialect, systemCheckReport, type TestServer } from '../../test/helper';

describeEachDialect('text the database cannot keep', (dialect) => {
  let t: TestServer;
  let learner: string;
  let sessionId: string;
  beforeEach(async () => {
    t = await createTestServer(dialect);
    learner = (await t.signIn('learner')).accessToken;
    const created = await t.call('createSession', { token: learner, body: { examId: 'practice-mini', client: 'desktop' } });
    expect(created.status).toBe(200);
    sessionId = created.body.id as string;
  });
  afterEach(() => t.close());

  const refusedAt = (res: { status: number; text: string; body: { error?: { code: string; details?: { path: string }[] } } }, path: string) => {
    expect(res.status, res.text).toBe(400);
    expect(res.body.error?.code).toBe('validation_failed');
    expect(res.body.error?.details?.map((d) => d.path)).toEqual([path]);
  };

  it('refuses a body string with a NUL, whole request, naming the field (400 validation_failed)', async () => {
    refusedAt(await t.call('createSession', { token: learner, body: { examId: 'practice-mini\u0000', client: 'desktop' } }), 'body.examId');
    const report = systemCheckReport('desktop');
    const withNul = { ...report, items: [{ ...report.items[0], observed: 'FaceTime\u0000HD' }, report.items[1]] };
    refusedAt(await t.call('saveSystemCheck', { token: learner, params: { sessionId }, body: withNul }), 'body.items.0.observed');
    const checks = await t.db.selectFrom('system_checks').select('session_id').where('session_id', '=', sessionId).execute();
    expect(checks).toEqual([]);
  });

  it('refuses lone UTF-16 surrogates in body strings and object keys', async () => {
    const report = systemCheckReport('desktop');
    const lone = { ...report, items: [report.items[0], { ...report.items[1], figures: { count: 1, ['\ud83d']: 2 } }] };
    const res = await t.call('saveSystemCheck', { token: learner, params: { sessionId }, body: lone });
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.details[0].path).toMatch(/^body\.items\.1\.figures/);
    refusedAt(await t.call('chooseTranslator', { token: learner, params: { sessionId }, body: { translator: 'google\udfff' } }), 'body.translator');
    // A well-formed pair is text like any other.
    const pair = { ...report, items: [{ ...report.items[0], observed: 'Camera \ud83d\udcf7' }, report.items[1]] };
    expect((await t.call('saveSystemCheck', { token: learner, params: { sessionId }, body: pair })).status).toBe(200);
  });

  it('refuses a NUL in a path parameter', async () => {
    refusedAt(await t.call('getSession', { token: learner, params: { sessionId: `${sessionId}\u0000` } }), 'params.sessionId');
  });
});
