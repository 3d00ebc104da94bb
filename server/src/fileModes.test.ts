import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, FIXTURE_EXAMS_DIR } from '../test/helper';
import { buildApp } from './app';
import { loadOrCreateJwtSecret } from './auth/secretFile';
import { openDatabase, SQLITE_FILE_NAME } from './db/connect';

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8).padStart(3, '0');

/** The data folder holds password hashes, tokens, ID photos and recordings: for the server's user only. */
describe('data folder permissions', () => {
  let previousUmask: number;
  let parent: string;
  beforeEach(() => {
    // A common default that leaves new files world-readable unless the server asks otherwise.
    previousUmask = process.umask(0o022);
    parent = mkdtempSync(join(tmpdir(), 'invigil-modes-'));
  });
  afterEach(() => {
    process.umask(previousUmask);
    rmSync(parent, { recursive: true, force: true });
  });

  it('creates the database (with its -wal and -shm), the secret and the media folders for the owner only', async () => {
    const dataDir = join(parent, 'data');
    const { db } = openDatabase({ dataDir });
    const jwtSecret = await loadOrCreateJwtSecret(dataDir);
    const app = await buildApp({ db, jwtSecret, dataDir, seed: ['demo'], examsDir: FIXTURE_EXAMS_DIR, logger: false });
    try {
      // A write, so SQLite has made its write-ahead log and shared-memory index.
      const signIn = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: ACCOUNTS.learner.email, password: ACCOUNTS.learner.password } });
      expect(signIn.statusCode).toBe(200);
      const database = join(dataDir, SQLITE_FILE_NAME);
      expect({
        dataDir: modeOf(dataDir),
        database: modeOf(database),
        wal: modeOf(`${database}-wal`),
        shm: modeOf(`${database}-shm`),
        secret: modeOf(join(dataDir, 'jwt-secret')),
        uploads: modeOf(join(dataDir, 'uploads')),
        recordings: modeOf(join(dataDir, 'recordings')),
        identity: modeOf(join(dataDir, 'identity')),
      }).toEqual({
        dataDir: '700',
        database: '600',
        wal: '600',
        shm: '600',
        secret: '600',
        uploads: '700',
        recordings: '700',
        identity: '700',
      });
    } finally {
      await app.close();
      await db.destroy();
    }
  });
});
