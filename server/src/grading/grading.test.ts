import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { GradingExamsResponse, ResponsesForMarkingResponse } from '../../../shared/api/grading';
import { ACCOUNTS, createTestServer, describeEachDialect, FIXTURE_EXAMS_DIR, ISO, type TestServer } from '../../test/helper';
import { ensureAccounts } from '../seed/accounts';
import { sitFinal } from './test/attempts';

/**
 * Grading of short answers through the API: blind responses, grades and their refusals, second marking.
 * `final-mini` has fq1 (single choice, 1 point) and fq2 (short answer, 3 points).
 */

type Who = 'learner' | 'learner2';

describeEachDialect('grading short answers', (dialect) => {
  let t: TestServer;
  let admin: string;
  const tokens = {} as Record<Who | 'proctor', string>;
  beforeEach(async () => {
    t = await createTestServer(dialect);
    admin = (await t.signIn('admin')).accessToken;
    for (const who of ['learner', 'learner2', 'proctor'] as const) tokens[who] = (await t.signIn(who)).accessToken;
  });
  afterEach(() => t.close());

  const responses = (token = admin, questionId = 'fq2', examId = 'final-mini') =>
    t.call('gradingResponses', { token, params: { examId, questionId } });
  const grade = (responseId: string, body: unknown, token = admin, questionId = 'fq2', examId = 'final-mini') =>
    t.call('recordGrade', { token, params: { examId, questionId, responseId }, body });

  it('lists every exam’s short-answer questions with progress, and the responses blind (blank answers need no marker)', async () => {
    const mine = await sitFinal(t, tokens.learner, { fq1: 'yes', fq2: 'Because the reason is sound.' });
    const theirs = await sitFinal(t, tokens.learner2, { fq1: 'no', fq2: '   ' });

    const exams = await t.call('gradingExams', { token: admin });
    expect(exams.status).toBe(200);
    const list = GradingExamsResponse.parse(exams.body).exams;
    expect(list.map((e) => e.examId)).toEqual(['final-mini', 'practice-mini', 'windowed']);
    expect(list[0]).toMatchObject({
      title: 'Final mini',
      passPercent: 60,
      secondMarkingMargin: null,
      release: null,
      questions: [{ questionId: 'fq2', sectionTitle: 'Only section', prompt: 'Say why.', points: 3, progress: { responses: 1, graded: 0, toGrade: 1, disputed: 0 } }],
    });
    expect(list[1]!.questions.map((q) => q.questionId)).toEqual(['q5']);

    const res = await responses();
    expect(res.status).toBe(200);
    const body = ResponsesForMarkingResponse.parse(res.body);
    expect(body.question).toEqual({ questionId: 'fq2', prompt: 'Say why.', rubric: 'Any reason.', points: 3 });
    expect(body.responses).toEqual([
      { responseId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), text: 'Because the reason is sound.', state: 'ungraded', finalPoints: null, needsMyMark: true, myMark: null, otherMarks: [] },
    ]);
    // Blind: nothing in the reply names the learner or the attempt.
    const users = await t.db.selectFrom('users').select(['id', 'email', 'full_name']).execute();
    const receipts = await t.db.selectFrom('sessions').select('receipt_code').execute();
    for (const secret of [mine, theirs, ...users.flatMap((u) => [u.id, u.email, u.full_name]), ...receipts.map((r) => r.receipt_code!)]) {
      expect(res.text).not.toContain(secret);
    }
    expect(res.text).not.toMatch(/risk|flag|status|attempt/i);
  });

  it('records a grade, replaces it when the same marker grades again, and audits each', async () => {
    await sitFinal(t, tokens.learner, { fq1: 'yes', fq2: 'Because.' });
    const [response] = (await responses()).body.responses;
    const first = await grade(response.responseId, { points: 2.5, comment: 'Clear, one idea missing.' });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toEqual({
      response: {
        responseId: response.responseId,
        text: 'Because.',
        state: 'graded',
        finalPoints: 2.5,
        needsMyMark: false,
        myMark: { points: 2.5, comment: 'Clear, one idea missing.', agreed: false },
        otherMarks: [],
      },
      progress: { responses: 1, graded: 1, toGrade: 0, disputed: 0 },
    });
    const firstAt = t.clock.now;
    t.clock.advance(1_000);
    const again = await grade(response.responseId, { points: 3 });
    expect(again.body.response).toMatchObject({ finalPoints: 3, myMark: { points: 3, comment: '' } });
    const db = t.db as unknown as Kysely<{ grades: { points: number }; staff_audit: { action: string; points: number | null; at: number } }>;
    expect(await db.selectFrom('grades').select('points').execute()).toEqual([{ points: 3 }]);
    const audit = await t.call('staffAudit', { token: admin, params: { examId: 'final-mini' } });
    expect(audit.body.entries).toEqual([
      expect.objectContaining({ action: 'grade', points: 3, at: ISO(firstAt + 1_000), actorName: ACCOUNTS.admin.fullName, questionId: 'fq2', responseId: response.responseId }),
      expect.objectContaining({ action: 'grade', points: 2.5, at: ISO(firstAt) }),
    ]);
    // The comment is the marker's, never the audit's.
    expect(audit.text).not.toContain('one idea missing');
    expect((await t.call('gradingExams', { token: admin })).body.exams[0].questions[0].progress).toEqual({ responses: 1, graded: 1, toGrade: 0, disputed: 0 });
  });

  it('refuses a missing response, a question staff do not grade, points out of range, a long comment, and anyone but administrators', async () => {
    await sitFinal(t, tokens.learner, { fq1: 'yes', fq2: 'Because.' });
    const [response] = (await responses()).body.responses;
    const id = response.responseId as string;
    const expectError = async (res: Awaited<ReturnType<typeof grade>>, status: number, code: string) => {
      expect([res.status, res.body.error.code], res.text).toEqual([status, code]);
      return res.body.error;
    };

    expect((await expectError(await grade('A'.repeat(22), { points: 1 }), 404, 'not_found')).message).toMatch(/no such response/);
    await expectError(await grade(id, { points: 1 }, admin, 'fq2', 'practice-mini'), 404, 'not_found');
    await expectError(await grade(id, { points: 1 }, admin, 'nope', 'final-mini'), 404, 'not_found');
    await expectError(await grade(id, { points: 1 }, admin, 'fq2', 'nope'), 404, 'not_found');
    expect((await expectError(await grade(id, { points: 1 }, admin, 'fq1'), 409, 'question_not_gradable')).message).toMatch(/single choice question/);
    expect((await expectError(await responses(admin, 'fq1'), 409, 'question_not_gradable')).message).toMatch(/Only short answers/);
    const over = await expectError(await grade(id, { points: 3.5 }), 400, 'validation_failed');
    expect(over).toMatchObject({ message: 'Points must be from 0 to 3, in whole or half points.', details: [{ path: 'body.points' }] });
    for (const points of [-0.5, 1.25, '2', null]) {
      expect((await expectError(await grade(id, { points }), 400, 'validation_failed')).details[0].path).toBe('body.points');
    }
    expect((await expectError(await grade(id, { points: 1, comment: 'x'.repeat(2001) }), 400, 'validation_failed')).details[0].path).toBe('body.comment');
    expect((await grade(id, { points: 1, comment: 'x'.repeat(2000) })).status).toBe(200);
    await expectError(await grade(id, { points: 1, agreed: true }), 400, 'bad_request');

    for (const who of ['proctor', 'learner'] as const) {
      await expectError(await grade(id, { points: 0 }, tokens[who]), 403, 'forbidden');
      await expectError(await responses(tokens[who]), 403, 'forbidden');
      await expectError(await t.call('gradingExams', { token: tokens[who] }), 403, 'forbidden');
    }
    expect((await t.call('recordGrade', { params: { examId: 'final-mini', questionId: 'fq2', responseId: id }, body: { points: 0 } })).status).toBe(401);
    const db = t.db as unknown as Kysely<{ grades: { points: number } }>;
    expect(await db.selectFrom('grades').select('points').execute()).toEqual([{ points: 1 }]);
  });

  it('does not offer responses of a rejected attempt, and refuses a grade for one', async () => {
    const mine = await sitFinal(t, tokens.learner, { fq2: 'Mine.' });
    await sitFinal(t, tokens.learner2, { fq2: 'Theirs.' });
    const before = (await responses()).body.responses as { responseId: string; text: string }[];
    expect(before.map((r) => r.text).sort()).toEqual(['Mine.', 'Theirs.']);
    await t.db.updateTable('sessions').set({ status: 'rejected' }).where('id', '=', mine).execute();
    expect((await responses()).body.responses.map((r: { text: string }) => r.text)).toEqual(['Theirs.']);
    const rejected = before.find((r) => r.text === 'Mine.')!;
    expect((await grade(rejected.responseId, { points: 1 })).status).toBe(404);
  });
});

describeEachDialect('second marking', (dialect) => {
  let t: TestServer;
  let dir: string;
  const admins: string[] = [];
  beforeEach(async () => {
    // final-mini with a margin of 1 point between two markers.
    dir = mkdtempSync(join(tmpdir(), 'invigil-exams-'));
    for (const file of readdirSync(FIXTURE_EXAMS_DIR)) copyFileSync(join(FIXTURE_EXAMS_DIR, file), join(dir, file));
    const final = JSON.parse(readFileSync(join(FIXTURE_EXAMS_DIR, 'final-mini.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'final-mini.json'), JSON.stringify({ ...final, secondMarkingMargin: 1 }));
    t = await createTestServer(dialect, { examsDir: dir });
    const second = { email: 'admin2@invigil.test', password: 'admin-test-2', fullName: 'Second Admin', role: 'admin' as const };
    await ensureAccounts(t.db, [second], { clock: t.clock.read, random: (n) => new Uint8Array(n).map(() => Math.floor(Math.random() * 256)) });
    admins[0] = (await t.signIn('admin')).accessToken;
    admins[1] = (await t.call('signIn', { body: { email: second.email, password: second.password } })).body.accessToken;
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('needs two markers; marks further apart than the margin are disputed, shown to both, and settled by an agreed mark', async () => {
    const learner = (await t.signIn('learner')).accessToken;
    await sitFinal(t, learner, { fq1: 'yes', fq2: 'Because it is.' });
    const params = { examId: 'final-mini', questionId: 'fq2' };
    const list = async (who: number) => (await t.call('gradingResponses', { token: admins[who], params })).body;
    const grade = (who: number, responseId: string, body: unknown) => t.call('recordGrade', { token: admins[who], params: { ...params, responseId }, body });

    const [response] = (await list(0)).responses;
    const first = await grade(0, response.responseId, { points: 1, comment: 'Thin.' });
    expect(first.body.response).toMatchObject({ state: 'second_mark_needed', finalPoints: null, needsMyMark: false });
    expect(first.body.progress).toEqual({ responses: 1, graded: 0, toGrade: 1, disputed: 0 });
    // The second marker marks blind: the first mark is not shown.
    expect((await list(1)).responses[0]).toMatchObject({ state: 'second_mark_needed', needsMyMark: true, myMark: null, otherMarks: [] });

    t.clock.advance(1_000);
    const second = await grade(1, response.responseId, { points: 3 });
    expect(second.body.response).toMatchObject({ state: 'disputed', needsMyMark: true, otherMarks: [{ points: 1, comment: 'Thin.', agreed: false }] });
    expect(second.body.progress).toEqual({ responses: 1, graded: 0, toGrade: 1, disputed: 1 });
    expect((await list(0)).responses[0]).toMatchObject({ state: 'disputed', needsMyMark: true, otherMarks: [{ points: 3 }] });

    t.clock.advance(1_000);
    const agreed = await grade(0, response.responseId, { points: 2, comment: 'Agreed after discussion.', agreed: true });
    expect(agreed.body.response).toMatchObject({ state: 'graded', finalPoints: 2, needsMyMark: false });
    expect(agreed.body.progress).toEqual({ responses: 1, graded: 1, toGrade: 0, disputed: 0 });
  });

  it('grades two marks within the margin at their average, to the half point', async () => {
    const learner = (await t.signIn('learner')).accessToken;
    await sitFinal(t, learner, { fq2: 'Because.' });
    const params = { examId: 'final-mini', questionId: 'fq2' };
    const [response] = (await t.call('gradingResponses', { token: admins[0], params })).body.responses;
    await t.call('recordGrade', { token: admins[0], params: { ...params, responseId: response.responseId }, body: { points: 2 } });
    const res = await t.call('recordGrade', { token: admins[1], params: { ...params, responseId: response.responseId }, body: { points: 2.5 } });
    expect(res.body.response).toMatchObject({ state: 'graded', finalPoints: 2.5 });
  });
});
