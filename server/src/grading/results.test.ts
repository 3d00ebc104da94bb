import { afterEach, beforeEach, expect, it } from 'vitest';
import { ExamResultsResponse, LearnerResult, ResultsExport } from '../../../shared/api/grading';
import { createTestServer, describeEachDialect, ISO, type TestServer } from '../../test/helper';
import { sitFinal, verifyAll } from './test/attempts';

/**
 * Results at the pass mark, their release and export, and what learners see. `final-mini` is worth
 * 4 points (fq1: 1, automatic; fq2: 3, graded) with a pass mark of 60 %.
 */
describeEachDialect('results, release and export', (dialect) => {
  let t: TestServer;
  const tok = {} as Record<'admin' | 'proctor' | 'learner' | 'learner2', string>;
  beforeEach(async () => {
    t = await createTestServer(dialect);
    for (const who of ['admin', 'proctor', 'learner', 'learner2'] as const) tok[who] = (await t.signIn(who)).accessToken;
  });
  afterEach(() => t.close());

  const results = async () => {
    const res = await t.call('examResults', { token: tok.admin, params: { examId: 'final-mini' } });
    expect(res.status, res.text).toBe(200);
    return ExamResultsResponse.parse(res.body);
  };
  const release = (token = tok.admin) => t.call('releaseResults', { token, params: { examId: 'final-mini' }, body: {} });
  const learnerResult = (token: string, sessionId: string) => t.call('getResult', { token, params: { sessionId } });
  const gradeAll = async (points: Record<string, number>) => {
    const params = { examId: 'final-mini', questionId: 'fq2' };
    const list = await t.call('gradingResponses', { token: tok.admin, params });
    for (const r of list.body.responses as { responseId: string; text: string }[]) {
      const p = points[r.text];
      if (p === undefined) continue;
      const res = await t.call('recordGrade', { token: tok.admin, params: { ...params, responseId: r.responseId }, body: { points: p } });
      expect(res.status, res.text).toBe(200);
    }
  };

  it('computes results, refuses release while verified attempts wait for grading, then releases; learners see their own result only', async () => {
    const mine = await sitFinal(t, tok.learner, { fq1: 'yes', fq2: 'Mine.' });
    const theirs = await sitFinal(t, tok.learner2, { fq1: 'no', fq2: 'Theirs.' });
    await verifyAll(t, tok.proctor, 2);

    const before = await results();
    expect(before).toMatchObject({ examTitle: 'Final mini', passPercent: 60, release: null, verified: 2, pendingVerified: 2 });
    expect(before.rows.find((r) => r.sessionId === mine)).toMatchObject({
      learnerName: 'Amara Okafor',
      learnerEmail: 'learner@invigil.test',
      attemptNo: 1,
      sessionStatus: 'verified',
      result: { state: 'pending', points: 1, maxPoints: 4, percent: null, passed: null, ungraded: 1 },
    });
    expect((await learnerResult(tok.learner, mine)).body).toEqual({ state: 'not_released' });

    const refused = await release();
    expect([refused.status, refused.body.error.code]).toEqual([409, 'results_not_ready']);
    expect(refused.body.error.message).toBe('2 verified attempts have short answers still to grade (2 responses). Grade them, then release.');

    await gradeAll({ 'Mine.': 1.5 });
    expect((await release()).body.error.message).toMatch(/^1 verified attempt has short answers still to grade \(1 response\)/);
    await gradeAll({ 'Theirs.': 2 });
    const graded = await results();
    expect(graded.rows.find((r) => r.sessionId === mine)!.result).toEqual({ state: 'complete', points: 2.5, maxPoints: 4, percent: 62.5, passed: true, ungraded: 0 });
    expect(graded.rows.find((r) => r.sessionId === theirs)!.result).toEqual({ state: 'complete', points: 2, maxPoints: 4, percent: 50, passed: false, ungraded: 0 });
    // Graded but not yet released: still nothing for the learner.
    expect((await learnerResult(tok.learner, mine)).body).toEqual({ state: 'not_released' });

    const released = await release();
    expect(released.status, released.text).toBe(200);
    expect(released.body).toEqual({ release: { releasedAt: ISO(t.clock.now), releasedBy: 'Sam Whitfield' }, verified: 2 });
    expect((await results()).release).toEqual(released.body.release);

    expect(LearnerResult.parse((await learnerResult(tok.learner, mine)).body)).toEqual({ state: 'released', passed: true, percent: 62.5, passPercent: 60 });
    expect((await learnerResult(tok.learner2, theirs)).body).toEqual({ state: 'released', passed: false, percent: 50, passPercent: 60 });

    // Someone else's result: reported as missing, like any attempt not on the account.
    const other = await learnerResult(tok.learner, theirs);
    expect([other.status, other.body.error.code]).toEqual([404, 'not_found']);
    expect(other.text).not.toContain('50');
    expect((await learnerResult(tok.learner, 'no-such-session')).status).toBe(404);
    // Staff read results through the staff routes; the learner route is for learners.
    for (const who of ['admin', 'proctor'] as const) expect((await learnerResult(tok[who], mine)).status).toBe(403);
  });

  it('never shows a result for an attempt that is not verified, and does not wait for it to release', async () => {
    const underReview = await sitFinal(t, tok.learner, { fq1: 'yes', fq2: 'Under review.' });
    const rejected = await sitFinal(t, tok.learner2, { fq1: 'yes', fq2: 'Rejected.' });
    await t.db.updateTable('sessions').set({ status: 'rejected' }).where('id', '=', rejected).execute();

    const released = await release();
    expect(released.status, released.text).toBe(200);
    expect(released.body.verified).toBe(0);
    expect((await learnerResult(tok.learner, underReview)).body).toEqual({ state: 'not_released' });
    expect((await learnerResult(tok.learner2, rejected)).body).toEqual({ state: 'none' });
    // Graded, still only once verified.
    await gradeAll({ 'Under review.': 3 });
    expect((await learnerResult(tok.learner, underReview)).body).toEqual({ state: 'not_released' });
    await t.db.updateTable('sessions').set({ status: 'verified' }).where('id', '=', underReview).execute();
    expect((await learnerResult(tok.learner, underReview)).body).toEqual({ state: 'released', passed: true, percent: 100, passPercent: 60 });
    // The rejected attempt is in the staff table with its status, ungraded.
    expect((await results()).rows.find((r) => r.sessionId === rejected)).toMatchObject({ sessionStatus: 'rejected', result: { state: 'pending' } });
  });

  it('a blank short answer scores 0 and needs no grading before release', async () => {
    const blank = await sitFinal(t, tok.learner, { fq1: 'yes', fq2: '  ' });
    await verifyAll(t, tok.proctor, 1);
    expect((await results()).rows[0]!.result).toEqual({ state: 'complete', points: 1, maxPoints: 4, percent: 25, passed: false, ungraded: 0 });
    expect((await release()).status).toBe(200);
    expect((await learnerResult(tok.learner, blank)).body).toEqual({ state: 'released', passed: false, percent: 25, passPercent: 60 });
  });

  it('exports a CSV for the registrar with escaping and a formula guard, and audits release and export', async () => {
    const mine = await sitFinal(t, tok.learner, { fq1: 'yes', fq2: 'Mine.' });
    await sitFinal(t, tok.learner2, { fq1: 'no', fq2: 'Theirs.' });
    await t.db.updateTable('sessions').set({ status: 'verified' }).where('id', '=', mine).execute();
    await t.db.updateTable('users').set({ full_name: '=HYPERLINK("http://evil.test","Okafor, Amara")' }).where('email', '=', 'learner@invigil.test').execute();
    await t.db.updateTable('users').set({ full_name: 'Jonas\nMüller' }).where('email', '=', 'learner2@invigil.test').execute();
    await gradeAll({ 'Mine.': 2 });

    const exported = await t.call('exportResults', { token: tok.admin, params: { examId: 'final-mini' }, body: {} });
    expect(exported.status, exported.text).toBe(200);
    const file = ResultsExport.parse(exported.body);
    expect(file.fileName).toBe(`results-FM-1-${ISO(t.clock.now).slice(0, 10)}.csv`);
    expect(file.rows).toBe(2);
    const lines = file.csv.split('\r\n');
    expect(lines[0]).toBe('email,full_name,exam,attempt,status,score,max_score,percent,pass');
    expect(file.csv).toContain(`learner@invigil.test,"'=HYPERLINK(""http://evil.test"",""Okafor, Amara"")",FM-1,1,verified,3,4,75,pass\r\n`);
    // Not verified: its status says why, and score and pass stay empty.
    expect(file.csv).toContain('learner2@invigil.test,"Jonas\nMüller",FM-1,1,submitted,,,,\r\n');
    expect(file.csv.endsWith('\r\n')).toBe(true);

    expect((await release()).status).toBe(200);
    const audit = await t.call('staffAudit', { token: tok.admin, params: { examId: 'final-mini' } });
    expect(audit.body.entries.map((e: { action: string; count: number | null }) => [e.action, e.count])).toEqual([
      ['release', 1],
      ['export', 2],
      ['grade', null],
    ]);
    expect(audit.body.entries[0]).toMatchObject({ actorName: 'Sam Whitfield', at: ISO(t.clock.now), examId: 'final-mini' });
  });

  it('is for administrators only', async () => {
    for (const who of ['proctor', 'learner'] as const) {
      for (const [name, extra] of [
        ['examResults', {}],
        ['releaseResults', { body: {} }],
        ['exportResults', { body: {} }],
        ['staffAudit', {}],
      ] as const) {
        const res = await t.call(name, { token: tok[who], params: { examId: 'final-mini' }, ...extra });
        expect([name, who, res.status]).toEqual([name, who, 403]);
      }
    }
    expect((await t.call('examResults', { token: tok.admin, params: { examId: 'nope' } })).status).toBe(404);
    expect((await t.call('releaseResults', { token: tok.admin, params: { examId: 'nope' }, body: {} })).status).toBe(404);
    const audit = await t.call('staffAudit', { token: tok.admin, params: { examId: 'final-mini' } });
    expect(audit.body.entries).toEqual([]);
  });
});
