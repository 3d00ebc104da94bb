import type { Kysely, Migration } from 'kysely';

/**
 * Attestation tables, registered as '0009_attestation': the installs (Ed25519 public keys) each
 * learner enrolled from the desktop app, and the one-time nonces those installs sign.
 */
export const attestationMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('client_installs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('key_protection', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('client_installs_user').on('client_installs').column('user_id').execute();

    await db.schema
      .createTable('attestation_challenges')
      .addColumn('nonce', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('section_id', 'text')
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();
    await db.schema.createIndex('attestation_challenges_session').on('attestation_challenges').column('session_id').execute();
  },
};
