import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import { startWalCheckpointer, WAL_SAFETY_NET_PAGES } from './walCheckpointer';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseTarget {
  /** postgres:// or postgresql:// selects PostgreSQL; anything else (or nothing) selects SQLite. */
  readonly databaseUrl?: string | undefined;
  /** Folder for `invigil.sqlite` when SQLite is used. */
  readonly dataDir: string;
  /** Told when a background WAL checkpoint fails (SQLite). */
  readonly onCheckpointError?: ((message: string) => void) | undefined;
}

export const SQLITE_FILE_NAME = 'invigil.sqlite';

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

const INT8_OID = 20;

/** Opens the database the target names. The caller owns it and calls `destroy()`. */
export function openDatabase(target: DatabaseTarget): { db: Kysely<Database>; dialect: Dialect } {
  if (isPostgresUrl(target.databaseUrl)) {
    const pool = new pg.Pool({
      connectionString: target.databaseUrl,
      max: 10,
      // Instants and sequences are int8 and always below 2^53: read them as numbers, for this pool only.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
  }
  // Password hashes, refresh tokens and answers: the folder and the file are for the server's user only.
  mkdirSync(target.dataDir, { recursive: true, mode: 0o700 });
  const path = join(target.dataDir, SQLITE_FILE_NAME);
  createPrivateFile(path);
  // SQLite gives the -wal and -shm files the database file's permissions.
  const file = new SqliteDatabase(path);
  file.pragma('journal_mode = WAL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  // Checkpoints off the request path (walCheckpointer.ts); stopped when Kysely closes the file.
  file.pragma(`wal_autocheckpoint = ${WAL_SAFETY_NET_PAGES}`);
  const checkpointer = startWalCheckpointer(path, { onError: target.onCheckpointError });
  const close = file.close.bind(file);
  file.close = () => {
    checkpointer.stopSync();
    return close();
  };
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) }), dialect: 'sqlite' };
}

/** Creates an empty file with mode 0600 unless it exists (an existing file keeps its mode). */
function createPrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** Which dialect an injected Kysely instance speaks (migrations differ in one column type). */
export function dialectOf(db: Kysely<Database>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
