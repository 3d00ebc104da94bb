import type { Kysely } from 'kysely';
import type { StaffAuditAction, StaffAuditEntry } from '../../../shared/api/grading';
import type { GradingDatabase, GradingDb } from '../grading/schema';

export interface StaffAuditRecord {
  readonly at: number;
  readonly actorId: string;
  readonly action: StaffAuditAction;
  readonly examId: string;
  readonly sessionId?: string;
  readonly questionId?: string;
  readonly responseId?: string;
  readonly points?: number;
  readonly count?: number;
}

/** Who graded, released, exported or acted on a live attempt, and when (`staff_audit`); written in the action's own transaction. */
export class StaffAudit {
  constructor(private readonly db: Kysely<GradingDatabase>) {}

  async record(trx: GradingDb, entry: StaffAuditRecord): Promise<void> {
    await trx
      .insertInto('staff_audit')
      .values({
        at: entry.at,
        actor_id: entry.actorId,
        action: entry.action,
        exam_id: entry.examId,
        session_id: entry.sessionId ?? null,
        question_id: entry.questionId ?? null,
        response_id: entry.responseId ?? null,
        points: entry.points ?? null,
        count: entry.count ?? null,
      })
      .execute();
  }

  /** The exam's newest entries first, at most `limit`; the attempt a grade is for stays out. */
  async list(examId: string, limit = 100): Promise<StaffAuditEntry[]> {
    const rows = await this.db
      .selectFrom('staff_audit')
      .leftJoin('users', 'users.id', 'staff_audit.actor_id')
      .select([
        'staff_audit.at',
        'staff_audit.actor_id',
        'users.full_name',
        'staff_audit.action',
        'staff_audit.exam_id',
        'staff_audit.question_id',
        'staff_audit.response_id',
        'staff_audit.points',
        'staff_audit.count',
      ])
      .where('staff_audit.exam_id', '=', examId)
      .orderBy('staff_audit.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      at: new Date(r.at).toISOString(),
      actorId: r.actor_id,
      actorName: r.full_name ?? r.actor_id,
      action: r.action,
      examId: r.exam_id,
      questionId: r.question_id,
      responseId: r.response_id,
      points: r.points,
      count: r.count,
    }));
  }
}
