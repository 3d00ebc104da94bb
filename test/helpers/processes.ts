import { type Running, startNodeProcess } from '../../scripts/processes';

export { type Running, repoRoot, tempDir } from '../../scripts/processes';

export interface ServerOptions {
  readonly dataDir: string;
  readonly port?: number;
  readonly env?: Record<string, string>;
}

export function startServer(options: ServerOptions): Promise<Running> {
  return startNodeProcess('server/src/server.ts', [], {
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    INVIGIL_DATA_DIR: options.dataDir,
    INVIGIL_SEED: 'demo,test',
    INVIGIL_WRITE_GRACE_MS: '3000',
    LOG_LEVEL: 'info',
    ...options.env,
  });
}

export interface WebHostOptions {
  readonly serverUrl: string;
  readonly dataDir: string;
  readonly port?: number;
}

export function startWebHost(options: WebHostOptions): Promise<Running> {
  return startNodeProcess(
    'electron/webhost/cli.ts',
    ['--port', String(options.port ?? 0), '--server-url', options.serverUrl, '--data-dir', options.dataDir],
    {},
  );
}
