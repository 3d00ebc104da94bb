import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BANDWIDTH_PROBE_BYTES, CONSENT_VERSION, ExamListResponse, SessionView, SystemCheckReport } from '../../../../shared/api';
import { resolvePolicy } from '../../../../shared/domain/examPolicy';
import {
  completeStartChecks,
  createTestServer,
  describeEachDialect,
  examsWithPolicies,
  idAttempt,
  systemCheckReport,
  T0,
  type TestServer,
} from '../../../test/helper';
import { PROBE_LIMIT } from './index';

const serverVersion = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describeEachDialect('version policy and bandwidth probe', (dialect) => {
  let t: TestServer;
  let learner: string;
  beforeEach(async () => {
    t = await createTestServer(dialect, { minAppVersion: '0.3.1' });
    learner = (await t.signIn('learner')).accessToken;
  });
  afterEach(() => t.close());

  const probe = (body: Buffer | string, token: string | null, contentType = 'application/octet-stream') =>
    t.app.inject({
      method: 'POST',
      url: '/api/probe/upload',
      payload: body,
      headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });

  it('tells anyone the minimum app version and the server version (from server/package.json)', async () => {
    const res = await t.call('versionPolicy');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ minimumAppVersion: '0.3.1', serverVersion });
    expect(serverVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('counts the bytes of a probe and says how long the server took; learners only', async () => {
    const res = await probe(Buffer.alloc(BANDWIDTH_PROBE_BYTES, 7), learner);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.receivedBytes).toBe(BANDWIDTH_PROBE_BYTES);
    expect(body.serverMs).toBeGreaterThanOrEqual(0);
    const proctor = (await t.signIn('proctor')).accessToken;
    expect((await probe(Buffer.alloc(10), proctor)).statusCode).toBe(403);
    expect((await probe(Buffer.alloc(10), null)).statusCode).toBe(401);
  });

  it('refuses a probe over 2 MiB (413) and one that is not octet-stream (415)', async () => {
    const big = await probe(Buffer.alloc(2 * 1024 * 1024 + 1), learner);
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('2 MiB') });
    const json = await probe(JSON.stringify({ bytes: 'x' }), learner, 'application/json');
    expect(json.statusCode).toBe(415);
  });

  it(`limits probes to ${PROBE_LIMIT.max} a minute per learner`, async () => {
    for (let i = 0; i < PROBE_LIMIT.max; i += 1) expect((await probe(Buffer.alloc(1024), learner)).statusCode).toBe(200);
    const over = await probe(Buffer.alloc(1024), learner);
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('rate_limited');
    // Another learner is not held up by the first one's loop.
    const other = (await t.signIn('learner2')).accessToken;
    expect((await probe(Buffer.alloc(1024), other)).statusCode).toBe(200);
  });

  it('refuses a system check report from an app older than the minimum, accepts a pre-release of it', async () => {
    const { body } = await t.call('createSession', { token: learner, body: { examId: 'practice-mini' }, client: 'desktop' });
    const params = { sessionId: body.id };
    const old = await t.call('saveSystemCheck', { token: learner, params, body: systemCheckReport('desktop', { appVersion: '0.3.0' }) });
    expect(old.status).toBe(409);
    expect(old.body.error).toMatchObject({ code: 'app_version_too_old', message: expect.stringContaining('0.3.1') });
    const garbled = await t.call('saveSystemCheck', { token: learner, params, body: systemCheckReport('desktop', { appVersion: 'dev' }) });
    expect(garbled.body.error.code).toBe('app_version_too_old');
    const beta = await t.call('saveSystemCheck', { token: learner, params, body: systemCheckReport('desktop', { appVersion: '0.3.1-beta.2' }) });
    expect(beta.status).toBe(200);
    expect(beta.body.checks.systemCheck).toBe('passed');
  });
});

describeEachDialect('pre-start steps and the start gate', (dialect) => {
  let t: TestServer;
  let learner: string;
  let sessionId: string;
  beforeEach(async () => {
    t = await createTestServer(dialect);
    learner = (await t.signIn('learner')).accessToken;
    sessionId = (await t.call('createSession', { token: learner, body: { examId: 'final-mini' }, client: 'desktop' })).body.id;
  });
  afterEach(() => t.close());

  const params = () => ({ sessionId });
  const consent = (token = learner) => t.call('recordConsent', { token, params: params(), body: { version: CONSENT_VERSION, accepted: true } });
  const check = (report: unknown, token = learner) => t.call('saveSystemCheck', { token, params: params(), body: report });
  const translator = (name: string, token = learner) => t.call('chooseTranslator', { token, params: params(), body: { translator: name } });
  const start = () => t.call('startSession', { token: learner, params: params(), body: {} });

  it('starts with nothing done, and refuses the start naming every missing step', async () => {
    const view = SessionView.parse((await t.call('getSession', { token: learner, params: params() })).body);
    expect(view.checks).toEqual({ consent: false, systemCheck: 'missing', identity: 'not_started', translator: null, translatorRequired: true });
    const refused = await start();
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('start_requirements_missing');
    expect(refused.body.error.details.map((d: { path: string }) => d.path)).toEqual(['consent', 'system_check', 'identity', 'translator']);
    expect((await t.call('getSession', { token: learner, params: params() })).body.status).toBe('created');
  });

  it('records each step in SessionView.checks and lets the start through only when all are done', async () => {
    expect((await consent()).body.checks.consent).toBe(true);
    expect((await check(systemCheckReport('desktop'))).body.checks.systemCheck).toBe('passed');
    const chosen = await translator('youdao');
    expect(chosen.status).toBe(200);
    expect(chosen.body.checks).toMatchObject({ translator: 'youdao', translatorRequired: true });
    const beforeIdentity = await start();
    expect(beforeIdentity.body.error.details.map((d: { path: string }) => d.path)).toEqual(['identity']);
    expect((await t.call('submitIdAttempt', { token: learner, params: params(), body: idAttempt(1, 'Amara Okafor') })).body.status).toBe('passed');
    const started = await start();
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ status: 'started', checks: { consent: true, systemCheck: 'passed', identity: 'passed', translator: 'youdao' } });
  });

  it('goes by the latest system check: a failing report after a passing one blocks again, and all are kept', async () => {
    await completeStartChecks(t, learner, sessionId);
    t.clock.advance(1_000);
    const failed = await check(systemCheckReport('desktop', { fail: true, at: T0 + 1_000 }));
    expect(failed.body.checks.systemCheck).toBe('failed');
    const refused = await start();
    expect(refused.body.error.details).toEqual([{ path: 'system_check', message: expect.stringContaining('found a problem') }]);
    t.clock.advance(1_000);
    expect((await check(systemCheckReport('desktop', { at: T0 + 2_000 }))).body.checks.systemCheck).toBe('passed');
    expect((await start()).status).toBe(200);

    const mine = await t.call('listSystemChecks', { token: learner, params: params() });
    expect(mine.status).toBe(200);
    const reports = mine.body.reports.map((r: unknown) => SystemCheckReport.parse(r));
    expect(reports.map((r: SystemCheckReport) => r.checkedAt)).toEqual([T0 + 2_000, T0 + 1_000, T0].map((ms) => new Date(ms).toISOString()));
    expect(reports[1]?.items[1]).toMatchObject({ id: 'displays', status: 'fail', figures: { count: 2 } });
    const proctor = (await t.signIn('proctor')).accessToken;
    expect((await t.call('listSystemChecks', { token: proctor, params: params() })).body.reports).toHaveLength(3);
    const other = (await t.signIn('learner2')).accessToken;
    expect((await t.call('listSystemChecks', { token: other, params: params() })).status).toBe(404);
  });

  it('refuses consent, system checks, translator and identity steps once the exam has begun', async () => {
    await completeStartChecks(t, learner, sessionId);
    expect((await start()).status).toBe(200);
    for (const res of [
      await consent(),
      await check(systemCheckReport('desktop')),
      await translator('bing'),
      await t.call('submitIdAttempt', { token: learner, params: params(), body: idAttempt(2, 'Amara Okafor') }),
      await t.call('continueUnverified', { token: learner, params: params(), body: { reason: 'learner_choice' } }),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('illegal_transition');
    }
    const view = (await t.call('getSession', { token: learner, params: params() })).body;
    expect(view.checks.translator).toBe('google');
  });

  it('lets only the owning learner take the steps: staff 403, other learners 404, nobody 401', async () => {
    const proctor = (await t.signIn('proctor')).accessToken;
    const other = (await t.signIn('learner2')).accessToken;
    for (const token of [proctor, other]) {
      const expected = token === proctor ? 403 : 404;
      expect((await consent(token)).status).toBe(expected);
      expect((await check(systemCheckReport('desktop'), token)).status).toBe(expected);
      expect((await translator('google', token)).status).toBe(expected);
    }
    expect((await t.call('recordConsent', { params: params(), body: { version: CONSENT_VERSION, accepted: true } })).status).toBe(401);
    expect((await t.call('getSession', { token: learner, params: params() })).body.checks.consent).toBe(false);
  });

  it('stores what the learner’s app says its lockdown can do, for display only: it never fails and never changes the verdict', async () => {
    const lockdown = {
      id: 'lockdown',
      status: 'warn',
      observed: 'On Linux (Wayland), Invigil prevents 3, notices and reports 6, and cannot do 3 of the 12 things listed.',
      fix: 'You can continue.',
      figures: { host: 'desktop', os: 'linux', osVersion: '6.8.0', session: 'wayland', app_switching: 'detected', stay_on_top: 'unavailable' },
    };
    const base = systemCheckReport('desktop');
    const saved = await check({ ...base, items: [...base.items, lockdown] });
    expect(saved.status).toBe(200);
    expect(saved.body.checks.systemCheck).toBe('passed');
    const stored = (await t.call('listSystemChecks', { token: learner, params: params() })).body.reports[0];
    expect(stored.items[2]).toEqual(lockdown);

    const failing = await check({ ...base, items: [...base.items, { ...lockdown, status: 'fail' }] });
    expect(failing.status).toBe(400);
    expect(failing.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'body.items.2.status', message: expect.stringContaining('never fail') }] });
  });

  it('validates the steps: consent to the current text only, a report from the session’s own kind of client', async () => {
    const stale = await t.call('recordConsent', { token: learner, params: params(), body: { version: '2020-1-1', accepted: true } });
    expect(stale.status).toBe(400);
    expect(stale.body.error.details[0].path).toBe('body.version');
    const web = await check(systemCheckReport('web'));
    expect(web.status).toBe(400);
    expect(web.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'body.hostKind', message: expect.any(String) }] });
    expect((await translator('altavista')).status).toBe(400);
    expect((await t.call('getSession', { token: learner, params: params() })).body.checks).toMatchObject({ consent: false, systemCheck: 'missing' });
  });
});

describe('exam policies', () => {
  const exams = examsWithPolicies({
    'no-id-practice': { policy: { identity: 'off', translators: 'none' } },
    'youdao-any': { policy: { translators: 'any-of', approvedTranslators: ['youdao'], maxDisplays: 2 } },
    'web-final': { kind: 'final', policy: { allowWebClient: true, identity: 'off' } },
  });
  afterAll(() => exams.dispose());

  describeEachDialect('what a policy changes', (dialect) => {
    let t: TestServer;
    let learner: string;
    beforeAll(async () => {
      t = await createTestServer(dialect, { examsDir: exams.dir });
      learner = (await t.signIn('learner')).accessToken;
    });
    afterAll(() => t.close());

    const create = async (examId: string, client: 'desktop' | 'web' = 'desktop') =>
      (await t.call('createSession', { token: learner, body: { examId }, client })).body.id as string;

    it('lists each exam with its resolved policy (seed choices over the defaults of its kind)', async () => {
      const { exams: list } = ExamListResponse.parse((await t.call('listExams', { token: learner })).body);
      const byId = new Map(list.map((e) => [e.id, e]));
      expect(byId.get('final-mini')?.policy).toEqual(resolvePolicy({ kind: 'final' }));
      expect(byId.get('final-mini')?.policy).toMatchObject({ identity: 'required', translators: 'one-of', allowWebClient: false, maxDisplays: 1 });
      expect(byId.get('youdao-any')?.policy).toMatchObject({ translators: 'any-of', approvedTranslators: ['youdao'], maxDisplays: 2, identity: 'required' });
      expect(byId.get('web-final')).toMatchObject({ allowWebClient: true, policy: { allowWebClient: true, identity: 'off' } });
    });

    it('lets a final whose policy allows it be sat in the browser', async () => {
      expect(await create('web-final', 'web')).toEqual(expect.any(String));
    });

    it('without identity or translators: checks say so, the steps refuse, and consent plus a system check start it', async () => {
      const sessionId = await create('no-id-practice');
      const params = { sessionId };
      const view = (await t.call('getSession', { token: learner, params })).body;
      expect(view.checks).toEqual({ consent: false, systemCheck: 'missing', identity: 'not_required', translator: null, translatorRequired: false });
      const chosen = await t.call('chooseTranslator', { token: learner, params, body: { translator: 'google' } });
      expect(chosen.status).toBe(403);
      expect(chosen.body.error.code).toBe('translator_not_allowed');
      const id = await t.call('submitIdAttempt', { token: learner, params, body: idAttempt(1, 'Amara Okafor') });
      expect(id.status).toBe(409);
      expect(id.body.error.code).toBe('identity_not_required');
      await t.call('recordConsent', { token: learner, params, body: { version: CONSENT_VERSION, accepted: true } });
      await t.call('saveSystemCheck', { token: learner, params, body: systemCheckReport('desktop') });
      expect((await t.call('startSession', { token: learner, params, body: {} })).status).toBe(200);
    });

    it('with any-of translators: only the approved ones may be chosen, and none is required', async () => {
      const sessionId = await create('youdao-any');
      const params = { sessionId };
      const google = await t.call('chooseTranslator', { token: learner, params, body: { translator: 'google' } });
      expect(google.body.error).toMatchObject({ code: 'translator_not_allowed', message: expect.stringContaining('youdao') });
      const youdao = await t.call('chooseTranslator', { token: learner, params, body: { translator: 'youdao' } });
      expect(youdao.body.checks).toMatchObject({ translator: 'youdao', translatorRequired: false });
    });
  });
});
