import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SavedAnswer } from '../../../../shared/api';
import { createTestServer, describeEachDialect, ISO, startAttempt, T0, type TestServer } from '../../../test/helper';

const entry = (sequence: number, questionId: string, value: SavedAnswer['value'], sectionId = 's1'): SavedAnswer => ({
  sectionId,
  questionId,
  value,
  sequence,
  clientSavedAt: ISO(T0 + sequence),
});
const choice = (...optionIds: string[]) => ({ kind: 'choice' as const, optionIds });
const text = (t: string) => ({ kind: 'text' as const, text: t });

describeEachDialect('POST /api/sessions/:id/answers', (dialect) => {
  let t: TestServer;
  let learner: string;
  let sessionId: string;
  const save = (answers: SavedAnswer[], token = learner) => t.call('saveAnswers', { token, params: { sessionId }, body: { answers } });
  const view = async () => (await t.call('getSession', { token: learner, params: { sessionId } })).body;
  const storedCount = async () =>
    (await t.db.selectFrom('answers').select('sequence').where('session_id', '=', sessionId).execute()).length;

  beforeEach(async () => {
    t = await createTestServer(dialect);
    learner = (await t.signIn('learner')).accessToken;
    sessionId = await startAttempt(t, learner, 'practice-mini');
    await t.call('openSection', { token: learner, params: { sessionId, sectionId: 's1' }, body: {} });
  });
  afterEach(() => t.close());

  it('stores each entry, keeping the client save time and the server receive time', async () => {
    t.clock.advance(2_000);
    const res = await save([entry(1, 'q1', choice('b')), entry(2, 'q3', text('42,5'))]);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { sequence: 1, outcome: 'stored' },
      { sequence: 2, outcome: 'stored' },
    ]);
    const rows = await t.db.selectFrom('answers').select(['sequence', 'client_saved_at', 'received_at']).orderBy('sequence').execute();
    expect(rows).toEqual([
      { sequence: 1, client_saved_at: T0 + 1, received_at: T0 + 2_000 },
      { sequence: 2, client_saved_at: T0 + 2, received_at: T0 + 2_000 },
    ]);
    const v = await view();
    expect(v.maxSequence).toBe(2);
    expect(v.answers).toEqual([entry(1, 'q1', choice('b')), entry(2, 'q3', text('42,5'))]);
  });

  it('is idempotent: a replay is a duplicate and nothing is stored twice', async () => {
    const batch = [entry(1, 'q1', choice('b')), entry(2, 'q2', choice('a', 'c'))];
    await save(batch);
    const replay = await save(batch);
    expect(replay.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(await storedCount()).toBe(2);
    // The same sequence twice within one request is also a duplicate the second time.
    const within = await save([entry(3, 'q1', choice('a')), entry(3, 'q1', choice('a'))]);
    expect(within.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['stored', 'duplicate']);
    expect(await storedCount()).toBe(3);
  });

  it('rejects a different answer under a used sequence with sequence_conflict, keeping the first', async () => {
    await save([entry(1, 'q1', choice('b'))]);
    const res = await save([entry(1, 'q1', choice('a'))]);
    expect(res.body.results).toEqual([
      { sequence: 1, outcome: 'rejected', code: 'sequence_conflict', message: expect.any(String) },
    ]);
    expect((await view()).answers[0].value).toEqual(choice('b'));
  });

  it('keeps the answer with the highest sequence when entries arrive out of order', async () => {
    await save([entry(5, 'q1', choice('c'))]);
    await save([entry(3, 'q1', choice('a')), entry(4, 'q1', choice('b'))]);
    const v = await view();
    expect(v.answers).toEqual([entry(5, 'q1', choice('c'))]);
    expect(v.maxSequence).toBe(5);
  });

  it('accepts writes until deadline + grace and rejects them after with section_closed', async () => {
    const deadline = T0 + 10 * 60_000;
    t.clock.now = deadline + 30_000;
    const inGrace = await save([entry(1, 'q1', choice('b'))]);
    expect(inGrace.body.results[0].outcome).toBe('stored');
    t.clock.now = deadline + 30_001;
    const late = await save([entry(2, 'q1', choice('a'))]);
    expect(late.status).toBe(200);
    expect(late.body.results[0]).toMatchObject({ outcome: 'rejected', code: 'section_closed' });
    // A replay of what was stored in time is still recognised as a duplicate.
    expect((await save([entry(1, 'q1', choice('b'))])).body.results[0].outcome).toBe('duplicate');
    expect((await view()).answers).toEqual([entry(1, 'q1', choice('b'))]);
    const events = await t.db.selectFrom('session_events').select('type').where('type', '=', 'answer_rejected').execute();
    expect(events).toHaveLength(1);
  });

  it('rejects writes to a section submitted by the learner', async () => {
    await t.call('submitSection', { token: learner, params: { sessionId, sectionId: 's1' }, body: { reason: 'learner' } });
    const res = await save([entry(1, 'q1', choice('b'))]);
    expect(res.body.results[0]).toMatchObject({ outcome: 'rejected', code: 'section_closed' });
  });

  it('judges each entry on its own: not open, wrong section, invalid values', async () => {
    const res = await save([
      entry(1, 'q4', text('kanban'), 's2'), // s2 not opened
      entry(2, 'q4', text('kanban'), 's1'), // q4 is in s2
      entry(3, 'q1', text('b')), // wrong kind
      entry(4, 'q1', choice('a', 'b')), // two options on single choice
      entry(5, 'q2', choice('a', 'z')), // unknown option
      entry(6, 'q3', text('9'.repeat(501))), // too long for a blank
      entry(7, 'q1', choice('b')), // fine
      entry(8, 'q9', choice('b'), 'nope'), // unknown section
    ]);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { outcome: string; code?: string }) => r.code ?? r.outcome)).toEqual([
      'section_not_open',
      'question_not_in_section',
      'answer_invalid',
      'answer_invalid',
      'answer_invalid',
      'answer_invalid',
      'stored',
      'section_not_open',
    ]);
    for (const r of res.body.results.filter((x: { outcome: string }) => x.outcome === 'rejected')) {
      expect(r.message.length).toBeGreaterThan(10);
    }
    expect(await storedCount()).toBe(1);
  });

  it('fails only the entry with a NUL or a lone surrogate (invalid_text) or a bad shape (invalid_entry)', async () => {
    const res = await t.call('saveAnswers', {
      token: learner,
      params: { sessionId },
      body: {
        answers: [
          entry(1, 'q3', text('42\u00005')),
          entry(2, 'q3', text('\ud800 42')),
          entry(3, 'q1\u0000', choice('b')),
          entry(4, 'q1', choice('b\udfff')),
          { ...entry(5, 'q1', choice('b')), value: { kind: 'drawing' } },
          { ...entry(6, 'q1', choice('b')), sequence: 0 },
          'not an answer',
          entry(8, 'q3', text('42 \ud83d\udcaf')),
        ],
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.results).toEqual([
      { sequence: 1, outcome: 'rejected', code: 'invalid_text', message: expect.stringContaining('value.text') },
      { sequence: 2, outcome: 'rejected', code: 'invalid_text', message: expect.stringContaining('value.text') },
      { sequence: 3, outcome: 'rejected', code: 'invalid_text', message: expect.stringContaining('questionId') },
      { sequence: 4, outcome: 'rejected', code: 'invalid_text', message: expect.stringContaining('value.optionIds.0') },
      { sequence: 5, outcome: 'rejected', code: 'invalid_entry', message: expect.stringContaining('value') },
      { sequence: 0, outcome: 'rejected', code: 'invalid_entry', message: expect.stringContaining('sequence') },
      { sequence: 0, outcome: 'rejected', code: 'invalid_entry', message: expect.any(String) },
      { sequence: 8, outcome: 'stored' },
    ]);
    const rows = await t.db.selectFrom('answers').select(['sequence', 'value']).where('session_id', '=', sessionId).execute();
    expect(rows).toEqual([{ sequence: 8, value: JSON.stringify(text('42 \ud83d\udcaf')) }]);
  });

  it('accepts a cleared answer and enforces the short-answer length limit', async () => {
    await t.call('openSection', { token: learner, params: { sessionId, sectionId: 's2' }, body: {} });
    const res = await save([
      entry(1, 'q1', choice()),
      entry(2, 'q5', text('x'.repeat(100)), 's2'),
      entry(3, 'q5', text('x'.repeat(101)), 's2'),
    ]);
    expect(res.body.results.map((r: { code?: string; outcome: string }) => r.code ?? r.outcome)).toEqual(['stored', 'stored', 'answer_invalid']);
  });

  it('refuses another learner’s session whole (404), and each entry of a submitted attempt as late', async () => {
    const other = (await t.signIn('learner2')).accessToken;
    const foreign = await save([entry(1, 'q1', choice('b'))], other);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    await t.call('submitSession', { token: learner, params: { sessionId }, body: {} });
    const after = await save([entry(1, 'q1', choice('b'))]);
    expect(after.status).toBe(200);
    expect(after.body.results).toEqual([expect.objectContaining({ sequence: 1, outcome: 'rejected', code: 'section_closed' })]);
    expect(await storedCount()).toBe(0);
  });
});
