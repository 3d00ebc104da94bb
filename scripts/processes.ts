// Starts the project's Node entry points (server, web host) and waits until they listen.
// Used by `npm start` and by the end-to-end tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `invigil-${prefix}-`));
}

export interface Running {
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything the process printed, for failure messages. */
  readonly output: () => string;
  /** Graceful stop (SIGTERM), waiting for the exit. */
  stop(): Promise<void>;
  /** Abrupt death (SIGKILL), as a crash or power cut would do. */
  kill(): Promise<void>;
}

/**
 * Starts a Node entry point through tsx and resolves when it logs its JSON `listening` line
 * (both the server and the web host print `{"msg":"listening","url":...}`).
 */
export function startNodeProcess(
  entry: string,
  args: string[],
  env: Record<string, string>,
  options: { timeoutMs?: number; echo?: (text: string) => void } = {},
): Promise<Running> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not report listening within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      options.echo?.(chunk.toString());
      for (const line of out.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const parsed = JSON.parse(line) as { msg?: string; url?: string };
          if (parsed.msg === 'listening' && parsed.url) {
            clearTimeout(timer);
            child.stdout?.off('data', onData);
            child.stdout?.on('data', (c: Buffer) => {
              out += c.toString();
              options.echo?.(c.toString());
            });
            resolvePromise({
              url: parsed.url.replace(/\/$/, ''),
              process: child,
              output: () => out,
              stop: () => stopWith('SIGTERM'),
              kill: () => stopWith('SIGKILL'),
            });
            return;
          }
        } catch {
          // A partial line: wait for the rest of it.
          continue;
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
      options.echo?.(c.toString());
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited (${code ?? signal}) before listening:\n${out}`));
    });
  });
}

/** The review server on its embedded default (SQLite in `dataDir`). */
export interface ServerOptions {
  readonly dataDir: string;
  readonly port?: number;
  /** INVIGIL_SEED; default `demo` (the server's own default is none). */
  readonly seed?: string;
  readonly env?: Record<string, string>;
  readonly echo?: (text: string) => void;
}

export function startServer(options: ServerOptions): Promise<Running> {
  return startNodeProcess('server/src/server.ts', [], {
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    INVIGIL_DATA_DIR: options.dataDir,
    INVIGIL_SEED: options.seed ?? 'demo',
    LOG_LEVEL: 'info',
    ...options.env,
  }, { echo: options.echo });
}

export interface WebHostOptions {
  readonly serverUrl: string;
  readonly dataDir: string;
  readonly port?: number;
  readonly echo?: (text: string) => void;
}

export function startWebHost(options: WebHostOptions): Promise<Running> {
  return startNodeProcess(
    'electron/webhost/cli.ts',
    ['--port', String(options.port ?? 0), '--server-url', options.serverUrl, '--data-dir', options.dataDir],
    {},
    { echo: options.echo },
  );
}
