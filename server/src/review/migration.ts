import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../db/connect';

/**
 * The review tables, registered as '0005_review'. The claim path reads one partial index: queued rows
 * in claim order (risk desc, then age, then id so ties are stable); lease sweeps read another partial
 * index over claimed rows by lease expiry. Both stay small because done rows are in neither.
 */
export function reviewMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('review_queue')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('session_id', 'text', (c) => c.notNull().unique().references('sessions.id').onDelete('cascade'))
        .addColumn('exam_id', 'text', (c) => c.notNull())
        .addColumn('risk_score', 'double precision', (c) => c.notNull())
        .addColumn('enqueued_at', 'bigint', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('queued', 'claimed', 'done')`))
        .addColumn('round', 'integer', (c) => c.notNull().check(sql`round in (1, 2)`))
        .addColumn('holder_id', 'text')
        .addColumn('lease_expires_at', 'bigint')
        .addColumn('lease_ms', 'bigint')
        .addColumn('claimed_at', 'bigint')
        .addColumn('excluded_reviewer_id', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        // A claimed row always names its holder and lease; no other row does.
        .addCheckConstraint(
          'review_queue_lease',
          sql`(state = 'claimed') = (holder_id is not null and lease_expires_at is not null)`,
        )
        .execute();
      await db.schema
        .createIndex('review_queue_claim_order')
        .on('review_queue')
        .columns(['risk_score desc', 'enqueued_at asc', 'id asc'])
        .where(sql.ref('state'), '=', 'queued')
        .execute();
      await db.schema
        .createIndex('review_queue_leases')
        .on('review_queue')
        .column('lease_expires_at')
        .where(sql.ref('state'), '=', 'claimed')
        .execute();
      await db.schema.createIndex('review_queue_exam').on('review_queue').columns(['exam_id', 'state']).execute();

      await db.schema
        .createTable('review_decisions')
        .addColumn('entry_id', 'text', (c) => c.notNull().references('review_queue.id').onDelete('cascade'))
        .addColumn('round', 'integer', (c) => c.notNull())
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('reviewer_id', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('reason_codes', 'text', (c) => c.notNull())
        .addColumn('notes', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('review_decisions_pk', ['entry_id', 'round'])
        .execute();

      await db.schema
        .createTable('review_comments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('entry_id', 'text', (c) => c.notNull().references('review_queue.id').onDelete('cascade'))
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('round', 'integer', (c) => c.notNull())
        .addColumn('start_second', 'double precision', (c) => c.notNull())
        .addColumn('end_second', 'double precision', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('review_comments_entry').on('review_comments').columns(['entry_id', 'start_second']).execute();

      // Append-only; actor ids are kept as text (no foreign key) so the log outlives any account.
      await db.schema
        .createTable('review_audit')
        .addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
        )
        .addColumn('entry_id', 'text', (c) => c.notNull().references('review_queue.id').onDelete('cascade'))
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('round', 'integer', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('review_audit_entry').on('review_audit').columns(['entry_id', 'id']).execute();
    },
  };
}
