/**
 * Vitest globalSetup for the server project: starts a throwaway PostgreSQL cluster for the run and
 * hands its URL to the suites (`inject('postgresUrl')`). Each suite creates its own databases in it.
 * Without PostgreSQL binaries the PostgreSQL cases skip, and the reason is printed.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

import './providedContext';

function findBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const bin = findBinDir();
  if (!bin) {
    const reason = 'PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)';
    console.warn(`[server tests] PostgreSQL cases skipped: ${reason}`);
    project.provide('postgresUrl', null);
    project.provide('postgresSkipReason', reason);
    return undefined;
  }
  const isRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: run the cluster as the postgres system user then.
  const run = (tool: string, args: string[]): void => {
    const command = isRoot ? 'runuser' : join(bin, tool);
    const fullArgs = isRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    execFileSync(command, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'], cwd: tmpdir() });
  };

  const dir = mkdtempSync(join(tmpdir(), 'invigil-pg-'));
  const dataDir = join(dir, 'data');
  const socketDir = join(dir, 'sock');
  mkdirSync(socketDir);
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    chownSync(socketDir, uid, gid);
  }
  const port = await freePort();
  try {
    run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    run('pg_ctl', [
      '-D', dataDir,
      '-l', join(dir, 'postgres.log'),
      '-o', `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
      '-w', 'start',
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`could not start the test PostgreSQL cluster: ${(error as Error).message}\n${stderr}`, { cause: error });
  }
  project.provide('postgresUrl', `postgres://postgres@127.0.0.1:${port}/postgres`);
  project.provide('postgresSkipReason', null);

  return () => {
    try {
      run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
