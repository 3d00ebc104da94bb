import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestServer, describeEachDialect, startAttempt, type TestServer } from '../../../test/helper';
import { ExamStore } from '../../exams/examStore';

describeEachDialect('an exam taken off the list', (dialect) => {
  let t: TestServer;
  let learner: string;
  let learner2: string;
  let proctor: string;
  let store: ExamStore;
  let started: string;
  let notStarted: string;
  beforeEach(async () => {
    t = await createTestServer(dialect);
    learner = (await t.signIn('learner')).accessToken;
    learner2 = (await t.signIn('learner2')).accessToken;
    proctor = (await t.signIn('proctor')).accessToken;
    store = new ExamStore(t.db, t.clock.read);
    started = await startAttempt(t, learner, 'practice-mini');
    expect((await t.call('openSection', { token: learner, params: { sessionId: started, sectionId: 's1' }, body: {} })).status).toBe(200);
    const created = await t.call('createSession', { token: learner2, body: { examId: 'practice-mini', client: 'desktop' } });
    expect(created.status).toBe(200);
    notStarted = created.body.id as string;
  });
  afterEach(() => t.close());

  const unlist = async (examId: string) => store.upsert((await store.list()).filter((e) => e.id !== examId));
  const notFound = (res: { status: number; text: string; body: { error?: { code: string } } }) => {
    expect(res.status, res.text).toBe(404);
    expect(res.body.error?.code).toBe('not_found');
  };

  it('cannot be created, started, resumed or read by learners, as if it did not exist', async () => {
    await unlist('practice-mini');
    expect((await t.call('listExams', { token: learner })).body.exams.map((e: { id: string }) => e.id)).toEqual(['final-mini', 'windowed']);
    notFound(await t.call('createSession', { token: learner, body: { examId: 'practice-mini', client: 'desktop' } }));
    notFound(await t.call('createSession', { token: learner2, body: { examId: 'practice-mini', client: 'desktop' } }));
    notFound(await t.call('startSession', { token: learner2, params: { sessionId: notStarted }, body: {} }));
    notFound(await t.call('getSession', { token: learner, params: { sessionId: started } }));
    notFound(await t.call('openSection', { token: learner, params: { sessionId: started, sectionId: 's2' }, body: {} }));
    notFound(await t.call('getSession', { token: learner2, params: { sessionId: notStarted } }));
    const sessions = await t.db.selectFrom('sessions').select('id').where('exam_id', '=', 'practice-mini').execute();
    expect(sessions).toHaveLength(2);
  });

  it('stays readable to staff, and is back for learners once listed again', async () => {
    await unlist('practice-mini');
    const staffView = await t.call('getSession', { token: proctor, params: { sessionId: started } });
    expect(staffView.status).toBe(200);
    expect(staffView.body.examId).toBe('practice-mini');
    expect((await t.call('listEvents', { token: proctor, params: { sessionId: started } })).status).toBe(200);
    expect((await t.call('sessionRisk', { token: proctor, params: { sessionId: started } })).status).toBe(200);

    await store.upsert([...(await store.list()), (await store.get('practice-mini'))!]);
    expect((await t.call('getSession', { token: learner, params: { sessionId: started } })).status).toBe(200);
  });
});
