import { afterAll, beforeAll, expect, it } from 'vitest';
import { challengeMessage } from '../../../../shared/domain/attestation';
import { CHALLENGE_TTL_MS, MAX_INSTALLS_PER_LEARNER } from '../../attestation/attestationService';
import { completeStartChecks, createTestServer, describeEachDialect, newTestInstall, type TestServer } from '../../../test/helper';

describeEachDialect('client attestation', (dialect) => {
  let t: TestServer;
  let learner: string;
  let learner2: string;
  beforeAll(async () => {
    t = await createTestServer(dialect);
    learner = (await t.signIn('learner')).accessToken;
    learner2 = (await t.signIn('learner2')).accessToken;
  });
  afterAll(() => t.close());

  /** A final created and prepared in the desktop app, not started. */
  const preparedFinal = async (token: string): Promise<string> => {
    const created = await t.call('createSession', { token, body: { examId: 'final-mini' } });
    expect(created.status, created.text).toBe(200);
    await completeStartChecks(t, token, created.body.id as string);
    return created.body.id as string;
  };

  const enrol = async (token: string, install = newTestInstall()) => {
    const reply = await t.call('enrollInstall', { token, body: { publicKey: install.publicKey, keyProtection: 'none' } });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.installId).toBe(install.installId);
    return install;
  };

  const challenge = async (token: string, sessionId: string, sectionId: string | null = null) => {
    const reply = await t.call('sessionChallenge', { token, params: { sessionId }, body: { purpose: sectionId === null ? 'start_session' : 'open_section', sectionId } });
    expect(reply.status, reply.text).toBe(200);
    return reply.body.nonce as string;
  };

  const signed = (install: ReturnType<typeof newTestInstall>, sessionId: string, nonce: string, sectionId: string | null = null) => ({
    installId: install.installId,
    nonce,
    signature: install.sign(challengeMessage({ purpose: sectionId === null ? 'start_session' : 'open_section', sessionId, sectionId, nonce })),
  });

  it('derives the client from the header: desktop with it, web without, refused when it fits no build', async () => {
    expect((await t.call('createSession', { token: learner, body: { examId: 'practice-mini' } })).body.client).toBe('desktop');
    expect((await t.call('createSession', { token: learner2, body: { examId: 'practice-mini' }, client: 'web' })).body.client).toBe('web');
    const forged = await t.app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: { authorization: `Bearer ${learner}`, 'x-invigil-attestation': '0'.repeat(64) },
      payload: { examId: 'practice-mini' },
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('attestation_invalid');
  });

  it('enrols only from the desktop app, only Ed25519 keys, and never one install for two accounts', async () => {
    const install = newTestInstall();
    const web = await t.call('enrollInstall', { token: learner, body: { publicKey: install.publicKey, keyProtection: 'os' }, client: 'web' });
    expect(web.status).toBe(403);
    expect(web.body.error.code).toBe('attestation_required');
    const rsa = await t.call('enrollInstall', { token: learner, body: { publicKey: Buffer.from('not a key').toString('base64'), keyProtection: 'os' } });
    expect(rsa.status).toBe(400);
    await enrol(learner, install);
    await enrol(learner, install); // again: the same install
    const other = await t.call('enrollInstall', { token: learner2, body: { publicKey: install.publicKey, keyProtection: 'os' } });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('attestation_invalid');
  });

  it('keeps a bounded number of installs per learner, dropping the least recently used', async () => {
    const first = await enrol(learner2);
    for (let i = 0; i < MAX_INSTALLS_PER_LEARNER; i += 1) {
      t.clock.advance(1000);
      await enrol(learner2);
    }
    const rows = await t.db.selectFrom('client_installs').select('id').where('id', '=', first.installId).execute();
    expect(rows).toEqual([]);
  });

  it('refuses a nonce for another attempt, another purpose, another section, or after it expired', async () => {
    const install = await enrol(learner);
    const sessionId = await preparedFinal(learner);
    const other = (await t.call('createSession', { token: learner, body: { examId: 'practice-mini' } })).body.id as string;
    const start = (body: unknown) => t.call('startSession', { token: learner, params: { sessionId }, body });
    const refused = async (body: unknown, code: string) => {
      const reply = await start(body);
      expect(reply.status, reply.text).toBe(403);
      expect(reply.body.error.code).toBe(code);
    };
    const foreign = await challenge(learner, other);
    await refused({ attestation: signed(install, sessionId, foreign) }, 'attestation_invalid');
    const forSection = await challenge(learner, sessionId, 'f1');
    await refused({ attestation: signed(install, sessionId, forSection) }, 'attestation_invalid');
    const stale = await challenge(learner, sessionId);
    t.clock.advance(CHALLENGE_TTL_MS + 1);
    await refused({ attestation: signed(install, sessionId, stale) }, 'attestation_invalid');
    // A signature over another message (another attempt's) by the right key.
    const wrongMessage = await challenge(learner, sessionId);
    await refused({ attestation: { ...signed(install, other, wrongMessage), nonce: wrongMessage } }, 'attestation_invalid');
    // A learner cannot ask for a challenge on someone else's attempt.
    const theirs = await t.call('sessionChallenge', { token: learner2, params: { sessionId }, body: { purpose: 'start_session' } });
    expect(theirs.status).toBe(404);

    const good = await challenge(learner, sessionId);
    const started = await start({ attestation: signed(install, sessionId, good) });
    expect(started.status, started.text).toBe(200);
    const opened = await t.call('openSection', { token: learner, params: { sessionId, sectionId: 'f1' }, body: { attestation: signed(install, sessionId, await challenge(learner, sessionId, 'f1'), 'f1') } });
    expect(opened.status, opened.text).toBe(200);
    const events = await t.db.selectFrom('session_events').select(['type', 'detail']).where('session_id', '=', sessionId).execute();
    expect(events.find((e) => e.type === 'attested')?.detail).toContain(install.installId);
    expect(events.find((e) => e.type === 'section_opened')?.detail).toContain(install.installId);
  });

  it('lets a practice exam open to browsers start without any attestation', async () => {
    const created = await t.call('createSession', { token: learner2, body: { examId: 'practice-mini' }, client: 'web' });
    const sessionId = created.body.id as string;
    await completeStartChecks(t, learner2, sessionId);
    const started = await t.call('startSession', { token: learner2, params: { sessionId }, body: {}, client: 'web' });
    expect(started.status, started.text).toBe(200);
  });
});
