import { Migrator } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { Dialect } from './connect';
import { reviewMigration } from '../review/migration';
import { identityServerVerdictsMigration } from '../identity/migration';
import { accessAuditMigration, authFamiliesMigration } from '../auth/migration';
import { attestationMigration } from '../attestation/migration';
import { recordingUploadsMigration } from '../recording/uploadsMigration';
import { gradingMigration } from '../grading/migration';
import { liveControlMigration } from '../live/control/migration';

/**
 * Migrations live in code (no file scanning), so the server runs the same set from tsx, a bundle or a test.
 * The dialect is passed in only where the two differ (identity columns).
 */
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_foundation': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('full_name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('refresh_tokens')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('used_at', 'bigint')
          .execute();
        await db.schema.createIndex('refresh_tokens_user').on('refresh_tokens').column('user_id').execute();

        await db.schema
          .createTable('exams')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('definition', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('accommodations')
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('exam_id', 'text', (c) => c.notNull().references('exams.id').onDelete('cascade'))
          .addColumn('time_multiplier', 'double precision', (c) => c.notNull())
          .addColumn('note', 'text')
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('accommodations_pk', ['user_id', 'exam_id'])
          .execute();

        await db.schema
          .createTable('sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('exam_id', 'text', (c) => c.notNull().references('exams.id'))
          .addColumn('attempt_no', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('client', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('started_at', 'bigint')
          .addColumn('submitted_at', 'bigint')
          .addColumn('receipt_code', 'text', (c) => c.unique())
          .addColumn('score_points', 'double precision')
          .addColumn('score_max_points', 'double precision')
          .addColumn('score_percent', 'double precision')
          .addColumn('score_pending_manual_points', 'double precision')
          .addUniqueConstraint('sessions_attempt_unique', ['user_id', 'exam_id', 'attempt_no'])
          .execute();

        await db.schema
          .createTable('session_sections')
          .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
          .addColumn('section_id', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('opened_at', 'bigint', (c) => c.notNull())
          .addColumn('deadline', 'bigint', (c) => c.notNull())
          .addColumn('closed_at', 'bigint')
          .addColumn('time_multiplier', 'double precision', (c) => c.notNull())
          .addPrimaryKeyConstraint('session_sections_pk', ['session_id', 'section_id'])
          .execute();

        await db.schema
          .createTable('session_events')
          .addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
          )
          .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('from_status', 'text')
          .addColumn('to_status', 'text')
          .addColumn('detail', 'text')
          .execute();
        await db.schema.createIndex('session_events_session').on('session_events').column('session_id').execute();

        // The primary key is the idempotency key: a replayed (session, sequence) can never be stored twice.
        await db.schema
          .createTable('answers')
          .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
          .addColumn('sequence', 'bigint', (c) => c.notNull())
          .addColumn('section_id', 'text', (c) => c.notNull())
          .addColumn('question_id', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('client_saved_at', 'bigint', (c) => c.notNull())
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('answers_pk', ['session_id', 'sequence'])
          .execute();
      },
    },
    '0002_recording': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('recordings')
          .addColumn('session_id', 'text', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
          .addColumn('chain_head', 'text', (c) => c.notNull())
          .addColumn('segments', 'integer', (c) => c.notNull())
          .addColumn('chunks', 'bigint', (c) => c.notNull())
          .addColumn('bytes', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('recording_takes')
          .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
          .addColumn('take_index', 'integer', (c) => c.notNull())
          .addColumn('started_at', 'bigint', (c) => c.notNull())
          .addColumn('ended_at', 'bigint', (c) => c.notNull())
          .addColumn('end_reason', 'text')
          .addColumn('segments', 'integer', (c) => c.notNull())
          .addColumn('chunks', 'bigint', (c) => c.notNull())
          .addColumn('bytes', 'bigint', (c) => c.notNull())
          .addColumn('remux_status', 'text', (c) => c.notNull())
          .addColumn('duration_ms', 'double precision')
          .addPrimaryKeyConstraint('recording_takes_pk', ['session_id', 'take_index'])
          .execute();

        // The primary key makes a replayed segment impossible to store twice.
        await db.schema
          .createTable('recording_segments')
          .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
          .addColumn('take_index', 'integer', (c) => c.notNull())
          .addColumn('segment_index', 'integer', (c) => c.notNull())
          .addColumn('first_chunk', 'bigint', (c) => c.notNull())
          .addColumn('chunk_count', 'integer', (c) => c.notNull())
          .addColumn('bytes', 'bigint', (c) => c.notNull())
          .addColumn('chain_start', 'text', (c) => c.notNull())
          .addColumn('chain_end', 'text', (c) => c.notNull())
          .addColumn('started_at', 'bigint', (c) => c.notNull())
          .addColumn('ended_at', 'bigint', (c) => c.notNull())
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('recording_segments_pk', ['session_id', 'take_index', 'segment_index'])
          .execute();
      },
    },
    '0003_exam_listing': {
      async up(db: Kysely<unknown>) {
        // Exams dropped from the seed set stay (attempts refer to them) but leave the learners' list.
        await db.schema.alterTable('exams').addColumn('listed', 'integer', (c) => c.notNull().defaultTo(1)).execute();
      },
    },
    '0004_start_checks_identity_events': {
      async up(db: Kysely<unknown>) {
        // One row per session, made by the first pre-start step: consent, translator, identity status.
        await db.schema
          .createTable('start_checks')
          .addColumn('session_id', 'text', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
          .addColumn('consent_version', 'text')
          .addColumn('consent_at', 'bigint')
          .addColumn('translator', 'text')
          .addColumn('translator_at', 'bigint')
          .addColumn('identity_status', 'text', (c) => c.notNull().defaultTo('not_started'))
          .addColumn('manual_review_reason', 'text')
          .addColumn('identity_updated_at', 'bigint')
          .execute();

        // Every report is kept for the proctor; the newest decides the start.
        await db.schema
          .createTable('system_checks')
          .addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
          )
          .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
          .addColumn('report', 'text', (c) => c.notNull())
          .addColumn('passed', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('system_checks_session').on('system_checks').columns(['session_id', 'id']).execute();

        // The JPEG bytes live under <dataDir>/identity/<session>/<id>.jpg, never in the database.
        await db.schema
          .createTable('identity_images')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('attempt', 'integer')
          .addColumn('width', 'integer', (c) => c.notNull())
          .addColumn('height', 'integer', (c) => c.notNull())
          .addColumn('bytes', 'integer', (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('faces', 'text')
          .addColumn('taken_at', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('identity_images_session').on('identity_images').column('session_id').execute();

        // The primary key keeps attempts 1..3 unique per session even under a double submit.
        await db.schema
          .createTable('identity_attempts')
          .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
          .addColumn('attempt', 'integer', (c) => c.notNull())
          .addColumn('image_id', 'text', (c) => c.notNull().references('identity_images.id'))
          .addColumn('fields', 'text', (c) => c.notNull())
          .addColumn('name_verdict', 'text', (c) => c.notNull())
          .addColumn('name_reason', 'text', (c) => c.notNull())
          .addColumn('name_differences', 'text', (c) => c.notNull())
          .addColumn('read_name', 'text')
          .addColumn('face_distance', 'double precision')
          .addColumn('face_verdict', 'text', (c) => c.notNull())
          .addColumn('id_face', 'text')
          .addColumn('capture', 'text', (c) => c.notNull())
          .addColumn('ocr_ms', 'integer', (c) => c.notNull())
          .addColumn('taken_at', 'bigint', (c) => c.notNull())
          .addColumn('status_after', 'text', (c) => c.notNull())
          .addColumn('document_hash', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('identity_attempts_pk', ['session_id', 'attempt'])
          .execute();
        await db.schema.createIndex('identity_attempts_document').on('identity_attempts').column('document_hash').execute();

        // What lockdown, capture, the network and the server saw (SessionEvent); the client's UUID is the idempotency key.
        await db.schema
          .createTable('monitor_events')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('severity', 'text', (c) => c.notNull())
          .addColumn('started_at', 'bigint', (c) => c.notNull())
          .addColumn('ended_at', 'bigint')
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('monitor_events_session').on('monitor_events').columns(['session_id', 'started_at']).execute();
      },
    },
    '0005_review': reviewMigration(dialect),
    '0006_flag_evidence_monitoring_profile': {
      async up(db: Kysely<unknown>) {
        // Confidence is compared and shown as sent (0.7 stays 0.7): double precision, never float4.
        await db.schema.alterTable('monitor_events').addColumn('confidence', 'double precision').execute();
        // Evidence JPEGs (at most 24 KB) as bytes in the row: written in the event's own transaction,
        // idempotent with it, deleted with the session. The last column, so scans that do not read it
        // (risk scores) skip its pages (TOAST in PostgreSQL, overflow pages in SQLite).
        await db.schema
          .alterTable('monitor_events')
          .addColumn('thumbnail', dialect === 'postgres' ? 'bytea' : 'blob')
          .execute();
        await db.schema
          .alterTable('accommodations')
          .addColumn('monitoring_profile', 'text', (c) => c.notNull().defaultTo('standard'))
          .execute();
      },
    },
    '0010_identity_server_verdicts': identityServerVerdictsMigration(),
    '0007_recording_uploads': recordingUploadsMigration,
    '0008_auth_families': authFamiliesMigration,
    '0008b_access_audit': accessAuditMigration(dialect),
    '0009_attestation': attestationMigration,
    '0011_grading': gradingMigration(dialect),
    '0012_live_control': liveControlMigration,
  };
}

class InCodeMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations(this.dialect));
  }
}

/** Brings the schema up to date; throws with the failing migration's name so start-up stops loudly. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeMigrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`database migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
