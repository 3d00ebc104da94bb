import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startWalCheckpointer } from './walCheckpointer';

describe('WAL checkpointer', () => {
  it('copies the log back into the database off the writer, and is closed before the files may go', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'invigil-wal-'));
    const file = join(dir, 'x.sqlite');
    const db = new SqliteDatabase(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0'); // only the worker checkpoints here
    db.exec('create table t (v text)');
    const insert = db.prepare('insert into t values (?)');
    for (let i = 0; i < 500; i++) insert.run('x'.repeat(1000));
    const before = statSync(file).size;
    const errors: string[] = [];
    const checkpointer = startWalCheckpointer(file, { everyMs: 50, onError: (m) => errors.push(m) });
    // The database file grows as the worker copies the log's pages into it.
    const deadline = Date.now() + 5000;
    while (statSync(file).size <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(file).size).toBeGreaterThan(before);
    checkpointer.stopSync();
    db.close();
    rmSync(dir, { recursive: true });
    expect(readdirSync(tmpdir()).includes(dir.split('/').pop()!)).toBe(false);
    expect(errors).toEqual([]);
  });
});
