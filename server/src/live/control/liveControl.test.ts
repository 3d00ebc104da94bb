import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SavedAnswer } from '../../../../shared/api';
import { createTestServer, describeEachDialect, ISO, startAttempt, T0, type TestServer } from '../../../test/helper';

const answer = (sequence: number, questionId = 'q1'): SavedAnswer => ({
  sectionId: 's1',
  questionId,
  value: { kind: 'choice', optionIds: ['b'] },
  sequence,
  clientSavedAt: ISO(T0 + sequence),
});

describeEachDialect('live proctor actions', (dialect) => {
  let t: TestServer;
  let learner: string;
  let proctor: string;
  let sessionId: string;
  const staff = (name: 'sendLiveMessage' | 'pauseSession' | 'resumeSession' | 'endSession', body: object = {}, token = proctor, id = sessionId) =>
    t.call(name, { token, params: { sessionId: id }, body });
  const view = async () => (await t.call('getSession', { token: learner, params: { sessionId } })).body;
  const deadlineOf = async () => (await view()).sections.find((s: { id: string }) => s.id === 's1').deadline as string;
  const events = async (type: string) =>
    (await t.db.selectFrom('session_events').select(['type', 'detail']).where('session_id', '=', sessionId).where('type', '=', type).execute()).map((e) =>
      JSON.parse(e.detail ?? 'null'),
    );
  const audit = async () =>
    (await t.db.selectFrom('staff_audit' as never).select(['action' as never, 'session_id' as never]).execute()) as unknown as { action: string; session_id: string }[];

  beforeEach(async () => {
    t = await createTestServer(dialect);
    learner = (await t.signIn('learner')).accessToken;
    proctor = (await t.signIn('proctor')).accessToken;
    sessionId = await startAttempt(t, learner, 'practice-mini');
    await t.call('openSection', { token: learner, params: { sessionId, sectionId: 's1' }, body: {} });
  });
  afterEach(() => t.close());

  it('sends a message the learner sees in the session view and acknowledges, recorded as events and audited', async () => {
    const sent = await staff('sendLiveMessage', { text: '  Please face the camera.  ' });
    expect(sent.status).toBe(200);
    const message = sent.body.lastMessage;
    expect(message).toMatchObject({ text: 'Please face the camera.', readAt: null });
    expect((await view()).control.unreadMessages).toEqual([message]);

    t.clock.advance(3_000);
    const ack = await t.call('ackLiveMessage', { token: learner, params: { sessionId, messageId: message.id }, body: {} });
    expect(ack.status).toBe(200);
    expect(ack.body.readAt).toBe(ISO(t.clock.read()));
    expect((await view()).control.unreadMessages).toEqual([]);
    // Again: the same read time, no second event.
    await t.call('ackLiveMessage', { token: learner, params: { sessionId, messageId: message.id }, body: {} });
    expect(await events('proctor_message')).toEqual([{ messageId: message.id, by: expect.any(String), length: 23 }]);
    expect(await events('proctor_message_read')).toEqual([{ messageId: message.id }]);
    expect(await audit()).toEqual([{ action: 'live_message', session_id: sessionId }]);
  });

  it('refuses an empty or too long message (400)', async () => {
    expect((await staff('sendLiveMessage', { text: '   ' })).status).toBe(400);
    expect((await staff('sendLiveMessage', { text: 'x'.repeat(501) })).status).toBe(400);
  });

  it('answers 403 to a learner calling any staff action', async () => {
    for (const name of ['sendLiveMessage', 'pauseSession', 'resumeSession', 'endSession'] as const) {
      const res = await staff(name, name === 'sendLiveMessage' ? { text: 'hi' } : name === 'endSession' ? { reason: 'x' } : {}, learner);
      expect(res.status, name).toBe(403);
    }
    expect(await audit()).toEqual([]);
  });

  it('refuses a learner acknowledging another learner’s message (404) and a staff account acknowledging (403)', async () => {
    const other = (await t.signIn('learner2')).accessToken;
    const theirs = await startAttempt(t, other, 'practice-mini');
    const sent = await staff('sendLiveMessage', { text: 'For learner two' }, proctor, theirs);
    const messageId = sent.body.lastMessage.id as string;
    // Through the learner's own attempt, and through the other's.
    expect((await t.call('ackLiveMessage', { token: learner, params: { sessionId, messageId }, body: {} })).status).toBe(404);
    expect((await t.call('ackLiveMessage', { token: learner, params: { sessionId: theirs, messageId }, body: {} })).status).toBe(404);
    expect((await t.call('ackLiveMessage', { token: proctor, params: { sessionId: theirs, messageId }, body: {} })).status).toBe(403);
    const row = await t.db.selectFrom('live_messages').select('read_at').where('id', '=', messageId).executeTakeFirstOrThrow();
    expect(row.read_at).toBeNull();
  });

  it('pauses: answers, sections and submission are refused while paused; resume credits the paused time to the deadline', async () => {
    const before = Date.parse(await deadlineOf());
    const paused = await staff('pauseSession', { reason: 'Noise check' });
    expect(paused.status).toBe(200);
    expect(paused.body.pausedSince).toBe(ISO(t.clock.read()));
    expect((await view()).control.pausedSince).toBe(ISO(t.clock.read()));

    const refused = await t.call('saveAnswers', { token: learner, params: { sessionId }, body: { answers: [answer(1)] } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('session_paused');
    expect((await t.db.selectFrom('answers').select('sequence').where('session_id', '=', sessionId).execute()).length).toBe(0);
    expect((await t.call('submitSection', { token: learner, params: { sessionId, sectionId: 's1' }, body: { reason: 'deadline' } })).body.error.code).toBe(
      'session_paused',
    );
    expect((await t.call('openSection', { token: learner, params: { sessionId, sectionId: 's2' }, body: {} })).body.error.code).toBe('session_paused');
    expect((await t.call('submitSession', { token: learner, params: { sessionId }, body: {} })).body.error.code).toBe('session_paused');

    const double = await staff('pauseSession');
    expect(double.status).toBe(409);
    expect(double.body.error.code).toBe('session_paused');

    t.clock.advance(90_000);
    const resumed = await staff('resumeSession');
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ pausedSince: null, creditedMs: 90_000 });
    expect(Date.parse(await deadlineOf())).toBe(before + 90_000);
    expect((await view()).control.pausedSince).toBeNull();
    expect((await t.call('saveAnswers', { token: learner, params: { sessionId }, body: { answers: [answer(1)] } })).body.results[0].outcome).toBe('stored');
    expect(await events('deadline_credited')).toEqual([{ sectionId: 's1', pausedMs: 90_000, creditedMs: 90_000, from: before, to: before + 90_000 }]);
    expect((await audit()).map((a) => a.action)).toEqual(['live_pause', 'live_resume']);
  });

  it('answers 409 to resume without a pause', async () => {
    const res = await staff('resumeSession');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('session_not_paused');
  });

  it('does not let a section expire while paused, even past its deadline', async () => {
    const before = Date.parse(await deadlineOf());
    await staff('pauseSession');
    const pausedFor = 15 * 60_000; // past the 10-minute section's deadline and its grace
    t.clock.advance(pausedFor);
    // Signed in afresh: access tokens last minutes.
    learner = (await t.signIn('learner')).accessToken;
    proctor = (await t.signIn('proctor')).accessToken;
    const during = await view();
    expect(during.status).toBe('started');
    expect(during.sections[0].state).toBe('open');
    await staff('resumeSession');
    const after = await view();
    expect(after.sections[0].state).toBe('open');
    expect(Date.parse(after.sections[0].deadline)).toBe(before + pausedFor);
  });

  it('ends the attempt with a reason: timed out with a receipt, a high proctor_ended flag, into the review queue', async () => {
    expect((await staff('endSession', {})).status).toBe(400);
    expect((await staff('endSession', { reason: '  ' })).status).toBe(400);
    expect((await staff('endSession', { reason: 'x'.repeat(501) })).status).toBe(400);
    const ended = await staff('endSession', { reason: 'Phone in use' });
    expect(ended.status).toBe(200);
    expect(ended.body.status).toBe('timed_out');
    const v = await view();
    expect(v.status).toBe('timed_out');
    expect(v.control.endedReason).toBe('Phone in use');
    expect(v.sections[0].state).not.toBe('open');
    const receipt = await t.call('getReceipt', { token: learner, params: { sessionId } });
    expect(receipt.status).toBe(200);
    const flags = await t.call('listEvents', { token: proctor, params: { sessionId } });
    const flag = (flags.body.events as { kind: string; severity: string; reason: string }[]).find((e) => e.kind === 'proctor_ended');
    expect(flag).toMatchObject({ severity: 'high', reason: 'Phone in use' });
    let entry: { sessionId: string } | undefined;
    for (let i = 0; i < 50 && !entry; i++) {
      const list = await t.call('listQueue', { token: proctor, body: {} });
      entry = (list.body.entries as { sessionId: string }[]).find((e) => e.sessionId === sessionId);
      if (!entry) await new Promise((r) => setTimeout(r, 20));
    }
    expect(entry).toBeDefined();
    expect((await audit()).map((a) => a.action)).toEqual(['live_end']);
  });

  it('answers 409 to any action on an attempt not in progress', async () => {
    await t.call('submitSession', { token: learner, params: { sessionId }, body: {} });
    const created = await t.call('createSession', { token: (await t.signIn('learner2')).accessToken, body: { examId: 'practice-mini' } });
    for (const id of [sessionId, created.body.id as string]) {
      expect((await staff('sendLiveMessage', { text: 'hi' }, proctor, id)).status).toBe(409);
      expect((await staff('pauseSession', {}, proctor, id)).status).toBe(409);
      expect((await staff('resumeSession', {}, proctor, id)).status).toBe(409);
      expect((await staff('endSession', { reason: 'x' }, proctor, id)).status).toBe(409);
    }
    expect(await audit()).toEqual([]);
  });

  it('caps the credit at the exam window’s end', async () => {
    const other = (await t.signIn('learner2')).accessToken;
    const windowed = await startAttempt(t, other, 'windowed');
    await t.call('openSection', { token: other, params: { sessionId: windowed, sectionId: 'w1' }, body: {} });
    const read = async () => (await t.call('getSession', { token: other, params: { sessionId: windowed } })).body.sections[0];
    const first = await read();
    expect(first.deadline).toBe('2031-03-03T10:00:00.000Z');
    await staff('pauseSession', {}, proctor, windowed);
    t.clock.advance(60_000);
    const resumed = await staff('resumeSession', {}, proctor, windowed);
    expect(resumed.body.creditedMs).toBe(0);
    expect((await read()).deadline).toBe('2031-03-03T10:00:00.000Z');
  });
});
