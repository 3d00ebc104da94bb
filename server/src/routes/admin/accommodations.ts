import type { Kysely } from 'kysely';
import type { AccommodationView, SetAccommodationRequest } from '../../../../shared/api';
import type { Database } from '../../db/schema';
import { ApiError } from '../../errors';
import type { ExamStore } from '../../exams/examStore';

/** Upserts a learner's time multiplier for one exam. It applies to sections opened from now on. */
export async function setAccommodation(
  db: Kysely<Database>,
  exams: ExamStore,
  now: number,
  request: SetAccommodationRequest,
): Promise<AccommodationView> {
  const user = await db.selectFrom('users').select(['id', 'role']).where('email', '=', request.userEmail).executeTakeFirst();
  if (!user) throw new ApiError('not_found', `There is no account with the email ${request.userEmail}.`);
  if (!(await exams.get(request.examId))) throw new ApiError('not_found', `There is no exam "${request.examId}".`);
  const note = request.note ?? null;
  await db
    .insertInto('accommodations')
    .values({ user_id: user.id, exam_id: request.examId, time_multiplier: request.timeMultiplier, note, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['user_id', 'exam_id']).doUpdateSet({ time_multiplier: request.timeMultiplier, note, updated_at: now }),
    )
    .execute();
  return {
    userEmail: request.userEmail,
    examId: request.examId,
    timeMultiplier: request.timeMultiplier,
    ...(request.note !== undefined ? { note: request.note } : {}),
    updatedAt: new Date(now).toISOString(),
  };
}
