import { afterEach, beforeEach, expect, it } from 'vitest';
import { Receipt } from '../../../../shared/api';
import { ANSWER_KEY_FIELDS, completeStartChecks, createTestServer, describeEachDialect, ISO, startAttempt, T0, type TestServer } from '../../../test/helper';

describeEachDialect('submitting sections and attempts', (dialect) => {
  let t: TestServer;
  let learner: string;
  beforeEach(async () => {
    t = await createTestServer(dialect);
    learner = (await t.signIn('learner')).accessToken;
  });
  afterEach(() => t.close());

  const open = (sessionId: string, sectionId: string) => t.call('openSection', { token: learner, params: { sessionId, sectionId }, body: {} });
  const submitSection = (sessionId: string, sectionId: string, reason: 'learner' | 'deadline') =>
    t.call('submitSection', { token: learner, params: { sessionId, sectionId }, body: { reason } });

  it('closes a section as submitted (learner) and is idempotent on retry', async () => {
    const sessionId = await startAttempt(t, learner, 'practice-mini');
    await open(sessionId, 's1');
    t.clock.advance(60_000);
    const first = await submitSection(sessionId, 's1', 'learner');
    expect(first.status).toBe(200);
    expect(first.body.sections[0]).toMatchObject({ state: 'submitted', closedAt: ISO(T0 + 60_000), questions: null });
    t.clock.advance(60_000);
    const retry = await submitSection(sessionId, 's1', 'deadline');
    expect(retry.status).toBe(200);
    expect(retry.body.sections[0]).toEqual(first.body.sections[0]);
  });

  it('closes a section as expired at the deadline, also when the request comes after it', async () => {
    const sessionId = await startAttempt(t, learner, 'practice-mini');
    await open(sessionId, 's1');
    t.clock.now = T0 + 10 * 60_000 + 5_000; // 5 s past the deadline, within the grace
    const res = await submitSection(sessionId, 's1', 'deadline');
    expect(res.body.sections[0]).toMatchObject({ state: 'expired', closedAt: ISO(T0 + 10 * 60_000) });
  });

  it('finishes an attempt whose every section ran out of time as timed_out, graded and receipted', async () => {
    const sessionId = await startAttempt(t, learner, 'final-mini');
    await open(sessionId, 'f1');
    t.clock.now = T0 + 125 * 60_000; // the 120-minute section is past deadline + grace; the learner never came back
    learner = (await t.signIn('learner')).accessToken; // a new sign-in: the old access token has expired
    const view = await t.call('getSession', { token: learner, params: { sessionId } });
    expect(view.body.status).toBe('timed_out');
    const receipt = await t.call('getReceipt', { token: learner, params: { sessionId } });
    expect(receipt.status).toBe(200);
    expect(receipt.body).toMatchObject({ status: 'timed_out', submittedAt: ISO(T0 + 120 * 60_000) });
    // A late entry is refused on its own, like one for a closed section; a final allows no new attempt.
    const late = await t.call('saveAnswers', {
      token: learner,
      params: { sessionId },
      body: { answers: [{ sectionId: 'f1', questionId: 'fq1', value: { kind: 'choice', optionIds: ['yes'] }, sequence: 1, clientSavedAt: ISO(T0) }] },
    });
    expect(late.status).toBe(200);
    expect(late.body.results[0]).toMatchObject({ outcome: 'rejected', code: 'section_closed' });
    const again = await t.call('createSession', { token: learner, body: { examId: 'final-mini' }, client: 'desktop' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('attempt_exists');
  });

  it('keeps an attempt open while a section is still unopened', async () => {
    const sessionId = await startAttempt(t, learner, 'practice-mini');
    await open(sessionId, 's1');
    t.clock.now = T0 + 60 * 60_000;
    learner = (await t.signIn('learner')).accessToken;
    const view = await t.call('getSession', { token: learner, params: { sessionId } });
    expect(view.body.status).toBe('started');
    expect(view.body.sections.map((s: { state: string }) => s.state)).toEqual(['expired', 'not_opened']);
  });

  it('refuses to submit a section that was never opened', async () => {
    const sessionId = await startAttempt(t, learner, 'practice-mini');
    const res = await submitSection(sessionId, 's2', 'learner');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('section_not_open');
  });

  it('grades a practice attempt on submit: a known answer set gives a known score', async () => {
    const sessionId = await startAttempt(t, learner, 'practice-mini');
    await open(sessionId, 's1');
    await open(sessionId, 's2');
    const answers = [
      { sectionId: 's1', questionId: 'q1', value: { kind: 'choice', optionIds: ['b'] } }, // right, 2
      { sectionId: 's1', questionId: 'q2', value: { kind: 'choice', optionIds: ['a'] } }, // wrong (needs a and c), 0 of 2
      { sectionId: 's1', questionId: 'q3', value: { kind: 'text', text: '42,9' } }, // within 0.5 of 42.5, 1
      { sectionId: 's2', questionId: 'q4', value: { kind: 'text', text: '  KANBAN ' } }, // right, 1
      { sectionId: 's2', questionId: 'q5', value: { kind: 'text', text: 'Random variation inherent in the system.' } }, // staff, 4
    ].map((a, i) => ({ ...a, sequence: i + 1, clientSavedAt: ISO(T0) }));
    const saved = await t.call('saveAnswers', { token: learner, params: { sessionId }, body: { answers } });
    expect(saved.body.results.every((r: { outcome: string }) => r.outcome === 'stored')).toBe(true);
    t.clock.advance(90_000);
    const res = await t.call('submitSession', { token: learner, params: { sessionId }, body: {} });
    expect(res.status).toBe(200);
    const receipt = Receipt.parse(res.body);
    expect(receipt).toMatchObject({
      sessionId,
      examTitle: 'Practice mini',
      practice: true,
      status: 'submitted',
      submittedAt: ISO(T0 + 90_000),
      answeredCount: 5,
      questionCount: 5,
      autoScore: { points: 4, maxPoints: 10, percent: 40, pendingManualPoints: 4 },
      passPercent: 60,
    });
    expect(receipt.receiptCode).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/);
    const view = (await t.call('getSession', { token: learner, params: { sessionId } })).body;
    expect(view.status).toBe('submitted');
    expect(view.sections.map((s: { state: string }) => s.state)).toEqual(['submitted', 'submitted']);
    const statuses = await t.db
      .selectFrom('session_events')
      .select('to_status')
      .where('session_id', '=', sessionId)
      .where('type', '=', 'status')
      .orderBy('id')
      .execute();
    expect(statuses.map((e) => e.to_status)).toEqual(['created', 'ready_to_start', 'started', 'ready_to_submit', 'submitted']);
  });

  it('returns the same receipt when submitted again, and from GET /receipt', async () => {
    const sessionId = await startAttempt(t, learner, 'practice-mini');
    const first = await t.call('submitSession', { token: learner, params: { sessionId }, body: {} });
    t.clock.advance(10_000);
    const again = await t.call('submitSession', { token: learner, params: { sessionId }, body: {} });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const fetched = await t.call('getReceipt', { token: learner, params: { sessionId } });
    expect(fetched.body).toEqual(first.body);
    expect(first.body).toMatchObject({ answeredCount: 0, questionCount: 5, autoScore: { points: 0, maxPoints: 10 } });
  });

  it('hides the score of a final until review, and shows the receipt to the owner and staff only', async () => {
    const sessionId = await startAttempt(t, learner, 'final-mini');
    await open(sessionId, 'f1');
    await t.call('saveAnswers', {
      token: learner,
      params: { sessionId },
      body: { answers: [{ sectionId: 'f1', questionId: 'fq1', value: { kind: 'choice', optionIds: ['yes'] }, sequence: 1, clientSavedAt: ISO(T0) }] },
    });
    const receipt = await t.call('submitSession', { token: learner, params: { sessionId }, body: {} });
    expect(receipt.body).toMatchObject({ practice: false, autoScore: null, answeredCount: 1, questionCount: 2 });
    const stored = await t.db.selectFrom('sessions').select(['score_points', 'score_max_points']).where('id', '=', sessionId).executeTakeFirstOrThrow();
    expect(stored).toEqual({ score_points: 1, score_max_points: 4 });
    const proctor = (await t.signIn('proctor')).accessToken;
    expect((await t.call('getReceipt', { token: proctor, params: { sessionId } })).body.receiptCode).toBe(receipt.body.receiptCode);
    const other = (await t.signIn('learner2')).accessToken;
    expect((await t.call('getReceipt', { token: other, params: { sessionId } })).status).toBe(404);
  });

  it('has no receipt before submission (404)', async () => {
    const sessionId = await startAttempt(t, learner, 'practice-mini');
    const res = await t.call('getReceipt', { token: learner, params: { sessionId } });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/not been submitted/);
  });

  it('never sends an answer key to a learner, on any route', async () => {
    const texts: string[] = [];
    const keep = async (p: Promise<{ status: number; text: string }>) => {
      const r = await p;
      expect(r.status).toBe(200);
      texts.push(r.text);
    };
    await keep(t.call('listExams', { token: learner }));
    const created = await t.call('createSession', { token: learner, body: { examId: 'practice-mini' }, client: 'web' });
    texts.push(created.text);
    const sessionId = created.body.id as string;
    await completeStartChecks(t, learner, sessionId);
    await keep(t.call('startSession', { token: learner, params: { sessionId }, body: {} }));
    await keep(open(sessionId, 's1'));
    await keep(open(sessionId, 's2'));
    await keep(t.call('getSession', { token: learner, params: { sessionId } }));
    await keep(submitSection(sessionId, 's1', 'learner'));
    await keep(t.call('submitSession', { token: learner, params: { sessionId }, body: {} }));
    await keep(t.call('getReceipt', { token: learner, params: { sessionId } }));
    const all = texts.join('\n');
    expect(all).toContain('Explain common-cause variation.'); // the questions did arrive
    for (const field of ANSWER_KEY_FIELDS) expect(all).not.toContain(field);
    expect(all).not.toContain('Mentions inherent'); // rubric text
  });
});
