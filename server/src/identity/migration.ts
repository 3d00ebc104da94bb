import type { Kysely, Migration } from 'kysely';

/**
 * The server's own reading of each ID photo beside the app's, registered as
 * '0010_identity_server_verdicts'. The verdict columns (`name_verdict`, `face_verdict`, `status_after`,
 * `document_hash`) hold the server's decision from here on; `fields`, `face_distance` and `id_face`
 * stay what the app sent, and the verdicts the app's hint gave are kept to show where they differed.
 * Attempts stored before this migration have nulls in every new column.
 */
export function identityServerVerdictsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const [name, type] of [
        ['server_fields', 'text'],
        ['server_face_distance', 'double precision'],
        ['server_id_face', 'text'],
        ['server_ocr_ms', 'integer'],
        ['server_face_ms', 'integer'],
        ['hint_name_verdict', 'text'],
        ['hint_face_verdict', 'text'],
      ] as const) {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        await db.schema.alterTable('identity_attempts').addColumn(name, type).execute();
      }
    },
  };
}
