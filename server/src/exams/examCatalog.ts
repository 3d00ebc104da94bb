import type { Kysely } from 'kysely';
import type { ExamSummary, SessionStatus, UserView } from '../../../shared/api';
import type { Database } from '../db/schema';
import type { ExamStore } from './examStore';
import { toExamSummary } from './views';

/** The learner's exam list: every exam with their accommodation and newest attempt. */
export async function listExamsFor(db: Kysely<Database>, exams: ExamStore, user: UserView): Promise<ExamSummary[]> {
  const [definitions, accommodations, attempts] = await Promise.all([
    exams.list(),
    db.selectFrom('accommodations').select(['exam_id', 'time_multiplier', 'monitoring_profile']).where('user_id', '=', user.id).execute(),
    db
      .selectFrom('sessions')
      .select(['id', 'exam_id', 'status', 'attempt_no', 'submitted_at'])
      .where('user_id', '=', user.id)
      .orderBy('attempt_no', 'desc')
      .execute(),
  ]);
  const accommodation = new Map(accommodations.map((a) => [a.exam_id, a]));
  const newest = new Map<string, { sessionId: string; status: SessionStatus; submitted: boolean }>();
  for (const a of attempts) {
    if (!newest.has(a.exam_id)) newest.set(a.exam_id, { sessionId: a.id, status: a.status as SessionStatus, submitted: a.submitted_at !== null });
  }
  return definitions.map((exam) => {
    const a = accommodation.get(exam.id);
    return toExamSummary(exam, a?.time_multiplier ?? 1, newest.get(exam.id) ?? null, a?.monitoring_profile ?? 'standard');
  });
}
