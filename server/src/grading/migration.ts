import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../db/connect';

/**
 * Grading, registered as '0011_grading':
 * - `grades`: one mark per marker per short-answer response (the key makes a second row impossible;
 *   a marker who marks again replaces their mark);
 * - `result_releases`: one row per exam whose results were released to learners;
 * - `staff_audit`: who graded, released or exported, and when. Append-only, with no foreign keys, so
 *   it outlives accounts and attempts.
 */
export function gradingMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('grades')
        .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
        .addColumn('question_id', 'text', (c) => c.notNull())
        .addColumn('marker_id', 'text', (c) => c.notNull())
        .addColumn('points', 'double precision', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('agreed', 'integer', (c) => c.notNull())
        .addColumn('marked_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('grades_pk', ['session_id', 'question_id', 'marker_id'])
        .execute();

      await db.schema
        .createTable('result_releases')
        .addColumn('exam_id', 'text', (c) => c.primaryKey().references('exams.id').onDelete('cascade'))
        .addColumn('released_at', 'bigint', (c) => c.notNull())
        .addColumn('released_by', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('staff_audit')
        .addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
        )
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('exam_id', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text')
        .addColumn('question_id', 'text')
        .addColumn('response_id', 'text')
        .addColumn('points', 'double precision')
        .addColumn('count', 'integer')
        .execute();
      await db.schema.createIndex('staff_audit_exam').on('staff_audit').columns(['exam_id', 'id']).execute();
    },
  };
}
