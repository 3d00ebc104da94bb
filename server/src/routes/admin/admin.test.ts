import { afterEach, beforeEach, expect, it } from 'vitest';
import { AccommodationView, ExamListResponse } from '../../../../shared/api';
import { MonitoringPolicy } from '../../../../shared/domain/examPolicy';
import { createTestServer, describeEachDialect, ISO, T0, type TestServer } from '../../../test/helper';

describeEachDialect('PUT /api/admin/accommodations', (dialect) => {
  let t: TestServer;
  let admin: string;
  beforeEach(async () => {
    t = await createTestServer(dialect);
    admin = (await t.signIn('admin')).accessToken;
  });
  afterEach(() => t.close());

  const put = (body: unknown, token = admin) => t.call('setAccommodation', { token, body });

  it('creates and then updates a learner’s time multiplier for one exam', async () => {
    const first = await put({ userEmail: 'Learner@Invigil.test', examId: 'final-mini', timeMultiplier: 1.5, note: 'extra time (letter on file)' });
    expect(first.status).toBe(200);
    expect(AccommodationView.parse(first.body)).toEqual({
      userEmail: 'learner@invigil.test',
      examId: 'final-mini',
      timeMultiplier: 1.5,
      monitoringProfile: 'standard',
      note: 'extra time (letter on file)',
      updatedAt: ISO(T0),
    });
    t.clock.advance(1_000);
    const second = await put({ userEmail: 'learner@invigil.test', examId: 'final-mini', timeMultiplier: 2 });
    expect(second.body).toMatchObject({ timeMultiplier: 2, updatedAt: ISO(T0 + 1_000) });
    const rows = await t.db.selectFrom('accommodations').select(['time_multiplier', 'note']).execute();
    expect(rows).toEqual([{ time_multiplier: 2, note: null }]);
  });

  it('stores a monitoring profile, and the learner’s exam summary carries the relaxed thresholds (others keep the exam’s)', async () => {
    const put1 = await put({ userEmail: 'learner@invigil.test', examId: 'final-mini', timeMultiplier: 1, monitoringProfile: 'relaxed', note: 'screen reader; reader in the room' });
    expect(put1.status).toBe(200);
    expect(AccommodationView.parse(put1.body)).toMatchObject({ monitoringProfile: 'relaxed' });
    await put({ userEmail: 'learner2@invigil.test', examId: 'final-mini', timeMultiplier: 1.25, monitoringProfile: 'breaks' });
    const summary = async (who: 'learner' | 'learner2', examId: string) => {
      const token = (await t.signIn(who)).accessToken;
      const res = await t.call('listExams', { token });
      expect(res.status).toBe(200);
      return ExamListResponse.parse(res.body).exams.find((e) => e.id === examId)!;
    };
    const exam = MonitoringPolicy.parse({});
    expect((await summary('learner', 'final-mini')).policy.monitoring).toEqual({
      ...exam,
      absentSeconds: 300,
      lookingAwaySeconds: 0,
      speechSeconds: 0,
      multipleFacesSeconds: 120,
    });
    expect(await summary('learner2', 'final-mini')).toMatchObject({ timeMultiplier: 1.25, policy: { monitoring: { ...exam, absentSeconds: 300 } } });
    // Another exam of the same learner, without an accommodation, keeps its thresholds.
    expect((await summary('learner', 'practice-mini')).policy.monitoring).toEqual(exam);

    // A PUT replaces the accommodation: without a profile it is back to the exam's thresholds.
    await put({ userEmail: 'learner@invigil.test', examId: 'final-mini', timeMultiplier: 1 });
    expect((await summary('learner', 'final-mini')).policy.monitoring).toEqual(exam);
    const bad = await put({ userEmail: 'learner@invigil.test', examId: 'final-mini', timeMultiplier: 1, monitoringProfile: 'lenient' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('body.monitoringProfile');
  });

  it('answers an unknown email or exam with 404, and an out-of-range multiplier with 400', async () => {
    const noUser = await put({ userEmail: 'ghost@invigil.test', examId: 'final-mini', timeMultiplier: 1.5 });
    expect(noUser.status).toBe(404);
    expect(noUser.body.error.code).toBe('not_found');
    const noExam = await put({ userEmail: 'learner@invigil.test', examId: 'nope', timeMultiplier: 1.5 });
    expect(noExam.status).toBe(404);
    const tooSmall = await put({ userEmail: 'learner@invigil.test', examId: 'final-mini', timeMultiplier: 0.5 });
    expect(tooSmall.status).toBe(400);
    expect(tooSmall.body.error.details[0].path).toBe('body.timeMultiplier');
  });

  it('is for administrators only', async () => {
    for (const who of ['learner', 'proctor'] as const) {
      const token = (await t.signIn(who)).accessToken;
      const res = await put({ userEmail: 'learner@invigil.test', examId: 'final-mini', timeMultiplier: 1.5 }, token);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await t.call('setAccommodation', { body: {} })).status).toBe(401);
  });
});
