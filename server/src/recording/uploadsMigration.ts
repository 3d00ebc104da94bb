import type { Kysely, Migration } from 'kysely';

/**
 * The open recording uploads, registered as '0007_recording_uploads': one row per tus upload created and
 * not yet finished, refused or expired, with the length it declared. The per-attempt limits (open
 * uploads, recording quota) are counted here, so they hold across restarts and server instances.
 */
export const recordingUploadsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('recording_uploads')
      .addColumn('upload_id', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
      .addColumn('take_index', 'integer', (c) => c.notNull())
      .addColumn('segment_index', 'integer', (c) => c.notNull())
      .addColumn('length', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('recording_uploads_session').on('recording_uploads').column('session_id').execute();
    await db.schema.createIndex('recording_uploads_created').on('recording_uploads').column('created_at').execute();
  },
};
