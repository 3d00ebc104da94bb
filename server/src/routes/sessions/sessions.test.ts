import { afterEach, beforeEach, expect, it } from 'vitest';
import { SessionView } from '../../../../shared/api';
import {
  ANSWER_KEY_FIELDS,
  completeStartChecks,
  createTestServer,
  describeEachDialect,
  ISO,
  startAttempt,
  T0,
  type TestServer,
} from '../../../test/helper';

describeEachDialect('sessions: create, start, open, read', (dialect) => {
  let t: TestServer;
  let learner: string;
  beforeEach(async () => {
    t = await createTestServer(dialect);
    learner = (await t.signIn('learner')).accessToken;
  });
  afterEach(() => t.close());

  it('creates an attempt, then returns the same one while it is in progress', async () => {
    const created = await t.call('createSession', { token: learner, body: { examId: 'practice-mini' }, client: 'web' });
    expect(created.status).toBe(200);
    const view = SessionView.parse(created.body);
    expect(view).toMatchObject({ examId: 'practice-mini', status: 'created', client: 'web', practice: true, maxSequence: 0, answers: [] });
    expect(view.sections.map((s) => s.state)).toEqual(['not_opened', 'not_opened']);
    const again = await t.call('createSession', { token: learner, body: { examId: 'practice-mini' }, client: 'web' });
    expect(again.body.id).toBe(view.id);
    await completeStartChecks(t, learner, view.id);
    await t.call('startSession', { token: learner, params: { sessionId: view.id }, body: {} });
    const resumed = await t.call('createSession', { token: learner, body: { examId: 'practice-mini' }, client: 'desktop' });
    expect(resumed.body).toMatchObject({ id: view.id, status: 'started' });
  });

  it('gives simultaneous creations (double clicks, retries) one and the same attempt', async () => {
    const create = () => t.call('createSession', { token: learner, body: { examId: 'practice-mini' }, client: 'web' });
    const [a, b, ...more] = await Promise.all([create(), create(), create(), create()]);
    for (const r of more) expect(r.body.id).toBe(a.body.id);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
  });

  it('refuses the web client for a final, naming the desktop app', async () => {
    const res = await t.call('createSession', { token: learner, body: { examId: 'final-mini' }, client: 'web' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('attestation_required');
    expect(res.body.error.message).toContain('Invigil desktop app');
    expect((await t.call('createSession', { token: learner, body: { examId: 'final-mini' }, client: 'desktop' })).status).toBe(200);
  });

  it('answers an unknown exam with 404', async () => {
    const res = await t.call('createSession', { token: learner, body: { examId: 'no-such-exam' }, client: 'desktop' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('allows one attempt at a final: after submitting, a new one is refused with attempt_exists', async () => {
    const id = await startAttempt(t, learner, 'final-mini');
    expect((await t.call('submitSession', { token: learner, params: { sessionId: id }, body: {} })).status).toBe(200);
    const again = await t.call('createSession', { token: learner, body: { examId: 'final-mini' }, client: 'desktop' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('attempt_exists');
  });

  it('lets a practice exam be taken again: a new attempt once the last is submitted', async () => {
    const first = await startAttempt(t, learner, 'practice-mini');
    await t.call('submitSession', { token: learner, params: { sessionId: first }, body: {} });
    const second = await t.call('createSession', { token: learner, body: { examId: 'practice-mini' }, client: 'web' });
    expect(second.status).toBe(200);
    expect(second.body.id).not.toBe(first);
    expect(second.body.status).toBe('created');
    const list = await t.call('listExams', { token: learner });
    const practice = list.body.exams.find((e: { id: string }) => e.id === 'practice-mini');
    expect(practice.attempt).toEqual({ sessionId: second.body.id, status: 'created', submitted: false });
  });

  it('refuses attempts outside the exam window: exam_not_open before, exam_closed after', async () => {
    t.clock.now = Date.parse('2031-03-03T07:59:59.000Z');
    learner = (await t.signIn('learner')).accessToken;
    const early = await t.call('createSession', { token: learner, body: { examId: 'windowed' }, client: 'web' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('exam_not_open');
    t.clock.now = Date.parse('2031-03-03T10:00:00.000Z');
    learner = (await t.signIn('learner')).accessToken;
    const late = await t.call('createSession', { token: learner, body: { examId: 'windowed' }, client: 'web' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('exam_closed');
  });

  it('starts created → ready_to_start → started and records both transitions with timestamps', async () => {
    const { body } = await t.call('createSession', { token: learner, body: { examId: 'practice-mini' }, client: 'desktop' });
    await completeStartChecks(t, learner, body.id);
    t.clock.advance(5_000);
    const started = await t.call('startSession', { token: learner, params: { sessionId: body.id }, body: {} });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ status: 'started', startedAt: ISO(T0 + 5_000) });
    const events = await t.db
      .selectFrom('session_events')
      .select(['from_status', 'to_status', 'at'])
      .where('session_id', '=', body.id)
      .where('type', '=', 'status')
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { from_status: null, to_status: 'created', at: T0 },
      { from_status: 'created', to_status: 'ready_to_start', at: T0 + 5_000 },
      { from_status: 'ready_to_start', to_status: 'started', at: T0 + 5_000 },
    ]);
  });

  it('refuses illegal transitions with 409 illegal_transition', async () => {
    const { body } = await t.call('createSession', { token: learner, body: { examId: 'practice-mini' }, client: 'desktop' });
    const params = { sessionId: body.id };
    const openEarly = await t.call('openSection', { token: learner, params: { ...params, sectionId: 's1' }, body: {} });
    expect(openEarly.status).toBe(409);
    expect(openEarly.body.error.code).toBe('illegal_transition');
    const submitEarly = await t.call('submitSession', { token: learner, params, body: {} });
    expect(submitEarly.body.error.code).toBe('illegal_transition');
    await completeStartChecks(t, learner, body.id);
    await t.call('startSession', { token: learner, params, body: {} });
    const startTwice = await t.call('startSession', { token: learner, params, body: {} });
    expect(startTwice.status).toBe(409);
    expect(startTwice.body.error.code).toBe('illegal_transition');
    await t.call('submitSession', { token: learner, params, body: {} });
    const startAfterSubmit = await t.call('startSession', { token: learner, params, body: {} });
    expect(startAfterSubmit.body.error).toMatchObject({ code: 'illegal_transition' });
    expect(startAfterSubmit.body.error.message).toMatch(/already submitted/);
  });

  it('opens a section: stores opened_at and the deadline, shows its questions without answer keys', async () => {
    const sessionId = await startAttempt(t, learner, 'practice-mini');
    t.clock.advance(1_000);
    const res = await t.call('openSection', { token: learner, params: { sessionId, sectionId: 's1' }, body: {} });
    expect(res.status).toBe(200);
    const view = SessionView.parse(res.body);
    const [s1, s2] = view.sections;
    expect(s1).toMatchObject({ state: 'open', openedAt: ISO(T0 + 1_000), deadline: ISO(T0 + 1_000 + 10 * 60_000), closedAt: null });
    expect(s1?.questions?.map((q) => q.id)).toEqual(['q1', 'q2', 'q3']);
    expect(s1?.questions?.[2]).toEqual({ id: 'q3', kind: 'fill_in', inputType: 'number', unit: 'mm', prompt: 'Nominal diameter?', points: 1 });
    expect(s2).toMatchObject({ state: 'not_opened', questions: null, deadline: null });
    for (const field of ANSWER_KEY_FIELDS) expect(res.text).not.toContain(field);
    // Several sections may run at once, each with its own deadline.
    const both = await t.call('openSection', { token: learner, params: { sessionId, sectionId: 's2' }, body: {} });
    expect(both.body.sections.map((s: { state: string }) => s.state)).toEqual(['open', 'open']);
    expect(both.body.sections[1].deadline).toBe(ISO(T0 + 1_000 + 20 * 60_000));
    for (const field of ANSWER_KEY_FIELDS) expect(both.text).not.toContain(field);
  });

  it('refuses to open a section twice (already opened, then closed) and answers an unknown section with 404', async () => {
    const sessionId = await startAttempt(t, learner, 'practice-mini');
    const params = { sessionId, sectionId: 's1' };
    await t.call('openSection', { token: learner, params, body: {} });
    const twice = await t.call('openSection', { token: learner, params, body: {} });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('section_already_opened');
    await t.call('submitSection', { token: learner, params, body: { reason: 'learner' } });
    const reopen = await t.call('openSection', { token: learner, params, body: {} });
    expect(reopen.status).toBe(409);
    expect(reopen.body.error.code).toBe('section_closed');
    const unknown = await t.call('openSection', { token: learner, params: { sessionId, sectionId: 'zz' }, body: {} });
    expect(unknown.status).toBe(404);
  });

  it('applies the accommodation in force when the section opens, and caps the deadline at the window', async () => {
    const admin = (await t.signIn('admin')).accessToken;
    const set = (examId: string, timeMultiplier: number) =>
      t.call('setAccommodation', { token: admin, body: { userEmail: 'learner@invigil.test', examId, timeMultiplier } });
    expect((await set('practice-mini', 1.5)).status).toBe(200);
    const sessionId = await startAttempt(t, learner, 'practice-mini');
    const opened = await t.call('openSection', { token: learner, params: { sessionId, sectionId: 's1' }, body: {} });
    expect(opened.body.timeMultiplier).toBe(1.5);
    expect(opened.body.sections[0].deadline).toBe(ISO(T0 + 15 * 60_000));
    // A later change does not move a running section, but applies to the next one opened.
    await set('practice-mini', 2);
    const next = await t.call('openSection', { token: learner, params: { sessionId, sectionId: 's2' }, body: {} });
    expect(next.body.sections[0].deadline).toBe(ISO(T0 + 15 * 60_000));
    expect(next.body.sections[1].deadline).toBe(ISO(T0 + 40 * 60_000));

    // Window closes at 10:00; opening at 09:00 a 120-minute section would run to 11:00.
    const windowed = await startAttempt(t, learner, 'windowed', 'web');
    const capped = await t.call('openSection', { token: learner, params: { sessionId: windowed, sectionId: 'w1' }, body: {} });
    expect(capped.body.sections[0].deadline).toBe('2031-03-03T10:00:00.000Z');
  });

  it('expires a section lazily at deadline + grace, with closedAt = deadline, and hides its questions', async () => {
    const sessionId = await startAttempt(t, learner, 'practice-mini');
    await t.call('openSection', { token: learner, params: { sessionId, sectionId: 's1' }, body: {} });
    const deadline = T0 + 10 * 60_000;
    t.clock.now = deadline + 30_000; // still inside the grace
    expect((await t.call('getSession', { token: learner, params: { sessionId } })).body.sections[0].state).toBe('open');
    t.clock.now = deadline + 30_001;
    const after = await t.call('getSession', { token: learner, params: { sessionId } });
    expect(after.body.sections[0]).toMatchObject({ state: 'expired', closedAt: ISO(deadline), questions: null });
  });

  it('shows a session only to its learner (others get 404) and to staff', async () => {
    const sessionId = await startAttempt(t, learner, 'practice-mini');
    const other = (await t.signIn('learner2')).accessToken;
    const foreign = await t.call('getSession', { token: other, params: { sessionId } });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    const missing = await t.call('getSession', { token: other, params: { sessionId: 'does-not-exist' } });
    expect(missing.body).toEqual(foreign.body);
    const foreignWrite = await t.call('openSection', { token: other, params: { sessionId, sectionId: 's1' }, body: {} });
    expect(foreignWrite.status).toBe(404);
    for (const staff of ['proctor', 'admin'] as const) {
      const token = (await t.signIn(staff)).accessToken;
      const res = await t.call('getSession', { token, params: { sessionId } });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(sessionId);
      // Staff read, they do not sit exams.
      expect((await t.call('openSection', { token, params: { sessionId, sectionId: 's1' }, body: {} })).status).toBe(403);
    }
  });
});
