import { afterEach, beforeEach, expect, it } from 'vitest';
import { ExamListResponse } from '../../../../shared/api';
import { ANSWER_KEY_FIELDS, createTestServer, describeEachDialect, type TestServer } from '../../../test/helper';

describeEachDialect('GET /api/exams', (dialect) => {
  let t: TestServer;
  let learner: string;
  beforeEach(async () => {
    t = await createTestServer(dialect);
    learner = (await t.signIn('learner')).accessToken;
  });
  afterEach(() => t.close());

  it('lists every exam with its policy, sections, the learner’s multiplier and no attempt yet', async () => {
    const res = await t.call('listExams', { token: learner });
    expect(res.status).toBe(200);
    const { exams } = ExamListResponse.parse(res.body);
    expect(exams.map((e) => e.id)).toEqual(['final-mini', 'practice-mini', 'windowed']);
    const final = exams.find((e) => e.id === 'final-mini');
    expect(final).toMatchObject({ kind: 'final', allowWebClient: false, timeMultiplier: 1, attempt: null, windowOpensAt: null });
    // No policy block in the fixtures: the defaults for the kind.
    expect(final?.policy).toMatchObject({ identity: 'required', translators: 'one-of', allowWebClient: false, maxDisplays: 1, virtualMachines: 'refuse' });
    expect(exams.find((e) => e.id === 'practice-mini')?.policy.allowWebClient).toBe(true);
    expect(exams.find((e) => e.id === 'practice-mini')).toMatchObject({
      allowWebClient: true,
      sections: [
        { id: 's1', title: 'Choices and numbers', durationMinutes: 10, questionCount: 3 },
        { id: 's2', title: 'Words', durationMinutes: 20, questionCount: 2 },
      ],
    });
    expect(exams.find((e) => e.id === 'windowed')).toMatchObject({ windowClosesAt: '2031-03-03T10:00:00.000Z', allowWebClient: true });
    for (const field of ANSWER_KEY_FIELDS) expect(res.text).not.toContain(field);
    expect(res.text).not.toContain('prompt'); // the list carries no questions at all
  });

  it('shows the accommodation and the newest attempt of this learner only', async () => {
    const admin = (await t.signIn('admin')).accessToken;
    await t.call('setAccommodation', { token: admin, body: { userEmail: 'learner@invigil.test', examId: 'final-mini', timeMultiplier: 1.25 } });
    const created = await t.call('createSession', { token: learner, body: { examId: 'final-mini' }, client: 'desktop' });
    const mine = (await t.call('listExams', { token: learner })).body.exams.find((e: { id: string }) => e.id === 'final-mini');
    expect(mine).toMatchObject({ timeMultiplier: 1.25, attempt: { sessionId: created.body.id, status: 'created', submitted: false } });
    const other = (await t.signIn('learner2')).accessToken;
    const theirs = (await t.call('listExams', { token: other })).body.exams.find((e: { id: string }) => e.id === 'final-mini');
    expect(theirs).toMatchObject({ timeMultiplier: 1, attempt: null });
  });

  it('is for learners: staff get 403, anonymous callers 401', async () => {
    const proctor = (await t.signIn('proctor')).accessToken;
    const res = await t.call('listExams', { token: proctor });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect((await t.call('listExams')).status).toBe(401);
  });
});
