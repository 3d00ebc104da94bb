import type { Kysely } from 'kysely';
import type { AccommodationView, SetAccommodationRequest } from '../../../../shared/api';
import type { Database } from '../../db/schema';
import { ApiError } from '../../errors';
import type { ExamStore } from '../../exams/examStore';

/**
 * Upserts a learner's accommodation for one exam: the time multiplier (sections opened from now on)
 * and the monitoring profile (the capture thresholds their exam summary carries from now on).
 */
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
  const fields = { time_multiplier: request.timeMultiplier, monitoring_profile: request.monitoringProfile, note, updated_at: now };
  await db
    .insertInto('accommodations')
    .values({ ...fields, user_id: user.id, exam_id: request.examId })
    .onConflict((oc) => oc.columns(['user_id', 'exam_id']).doUpdateSet(fields))
    .execute();
  return {
    userEmail: request.userEmail,
    examId: request.examId,
    timeMultiplier: request.timeMultiplier,
    monitoringProfile: request.monitoringProfile,
    ...(request.note !== undefined ? { note: request.note } : {}),
    updatedAt: new Date(now).toISOString(),
  };
}
