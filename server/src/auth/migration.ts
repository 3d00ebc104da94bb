import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../db/connect';

/**
 * Sign-in families: each sign-in starts one; its refresh tokens rotate inside it and its access tokens
 * carry its id, so revoking the family (sign-out, or a spent refresh token used again) ends them all.
 * Refresh tokens issued before families existed belong to none and are deleted: those users sign in again.
 */
export const authFamiliesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('auth_families')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .addColumn('revoke_reason', 'text')
      .execute();
    await db.schema.createIndex('auth_families_user').on('auth_families').column('user_id').execute();

    // Rebuilt rather than altered: SQLite cannot add a NOT NULL foreign-key column to a table.
    await db.schema.dropTable('refresh_tokens').execute();
    await db.schema
      .createTable('refresh_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('family_id', 'text', (c) => c.notNull().references('auth_families.id').onDelete('cascade'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();
    await db.schema.createIndex('refresh_tokens_user').on('refresh_tokens').column('user_id').execute();
    await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute();
  },
};

/**
 * Who viewed a recording take, an ID image or a learner's answers, and when. No foreign keys: the
 * audit outlives the media (retention) and is never deleted with a session or an account.
 */
export function accessAuditMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('access_audit')
        .addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
        )
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text')
        .addColumn('via', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('access_audit_session').on('access_audit').columns(['session_id', 'id']).execute();
    },
  };
}
