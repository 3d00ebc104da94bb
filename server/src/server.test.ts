import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { SERVER_TIME_HEADER } from '../../shared/api';
import { createPostgresDatabase } from '../test/helper';

const serverDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const tsx = resolve(serverDir, '../node_modules/.bin/tsx');

interface Started {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Spawns the real CLI (as `npm run server` does) and resolves at its `listening` log line. */
function startCli(env: Record<string, string>): Promise<Started> {
  const child = spawn(tsx, ['src/server.ts'], {
    cwd: serverDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((resolveStart, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'listening' && entry.url) resolveStart({ child, url: entry.url, stderr: () => stderr, exited });
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${stderr}`)));
  });
}

if (inject('postgresUrl') === null) {
  console.warn(`[server tests] CLI on PostgreSQL skipped: ${inject('postgresSkipReason') ?? 'no PostgreSQL'}`);
}

describe('server CLI (npm run server)', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('starts on a free port with a fresh data folder, serves requests, and exits cleanly on SIGTERM', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'invigil-cli-')), 'data');
    dirs.push(resolve(dataDir, '..'));
    const server = await startCli({ PORT: '0', INVIGIL_DATA_DIR: dataDir, INVIGIL_SEED: 'demo,test', LOG_LEVEL: 'info' });
    children.push(server.child);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const time = await fetch(`${server.url}/api/time`);
    expect(time.status).toBe(200);
    const { serverTime } = (await time.json()) as { serverTime: number };
    expect(Math.abs(serverTime - Date.now())).toBeLessThan(5_000);
    expect(time.headers.get(SERVER_TIME_HEADER)).toMatch(/^\d+$/);

    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'learner@invigil.test', password: 'learner-demo-1' }),
    });
    expect(signIn.status).toBe(200);
    expect(server.stderr()).toContain('learner@invigil.test');

    expect(existsSync(join(dataDir, 'invigil.sqlite'))).toBe(true);
    expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it.skipIf(inject('postgresUrl') === null)('uses PostgreSQL when DATABASE_URL names one', async () => {
    const database = await createPostgresDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'invigil-cli-pg-'));
    dirs.push(dataDir);
    try {
      const server = await startCli({ PORT: '0', INVIGIL_DATA_DIR: dataDir, DATABASE_URL: database.url, INVIGIL_SEED: 'demo' });
      children.push(server.child);
      const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@invigil.test', password: 'admin-demo-1' }),
      });
      expect(signIn.status).toBe(200);
      expect(existsSync(join(dataDir, 'invigil.sqlite'))).toBe(false);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      await database.drop();
    }
  });

  it('refuses a bad environment with a clear message', async () => {
    const child = spawn(tsx, ['src/server.ts'], { cwd: serverDir, env: { ...process.env, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    expect(code).toBe(2);
    expect(stderr).toMatch(/invalid environment:[\s\S]*PORT/);
  });
});
