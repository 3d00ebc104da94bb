import type { Kysely, Migration } from 'kysely';

/**
 * Live proctor actions, registered as '0012_live_control':
 * - `live_messages`: a proctor's message to the learner and when the learner acknowledged it;
 * - `session_pauses`: each pause of an attempt, its end and the time credited to the open section.
 */
export const liveControlMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('live_messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('sent_by', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'bigint', (c) => c.notNull())
      .addColumn('read_at', 'bigint')
      .execute();
    await db.schema.createIndex('live_messages_session').on('live_messages').columns(['session_id', 'sent_at']).execute();
    await db.schema
      .createTable('session_pauses')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .addColumn('reason', 'text')
      .addColumn('paused_by', 'text', (c) => c.notNull())
      .addColumn('resumed_by', 'text')
      .addColumn('section_id', 'text')
      .addColumn('credited_ms', 'bigint')
      .execute();
    await db.schema.createIndex('session_pauses_session').on('session_pauses').columns(['session_id', 'started_at']).execute();
  },
};
