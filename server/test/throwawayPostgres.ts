/**
 * A throwaway PostgreSQL cluster from Debian's binaries, on a private socket folder and a free
 * port, for the server tests (fast, not durable) and the queue benchmark (durable: fsync on).
 * `initdb` refuses root, so as root the cluster runs as the `postgres` system user.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayPostgres {
  readonly url: string;
  readonly version: string;
  stop(): void;
}

/** The newest installed PostgreSQL's bin folder, or null when none is installed. */
export function findPostgresBin(): { bin: string; version: string } | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? { bin: join(root, versions[0], 'bin'), version: versions[0] } : null;
}

export function freePort(): Promise<number> {
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

/**
 * Starts a cluster. `durable: false` (tests) turns fsync, synchronous commit and full-page writes off;
 * `durable: true` (benchmarks) keeps PostgreSQL's defaults.
 */
export async function startThrowawayPostgres(options: { readonly durable: boolean }): Promise<ThrowawayPostgres> {
  const found = findPostgresBin();
  if (!found) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)');
  const { bin, version } = found;
  const isRoot = process.getuid?.() === 0;
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
  const fast = options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  try {
    run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', ...(options.durable ? [] : ['--no-sync']), '-E', 'UTF8']);
    run('pg_ctl', ['-D', dataDir, '-l', join(dir, 'postgres.log'), '-o', `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1${fast}`, '-w', 'start']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`could not start a throwaway PostgreSQL cluster: ${(error as Error).message}\n${stderr}`, { cause: error });
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    version,
    stop() {
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
