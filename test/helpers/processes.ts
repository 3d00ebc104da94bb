import { type Running, type ServerOptions, startServer as startProductServer } from '../../scripts/processes';

export { type Running, repoRoot, startWebHost, tempDir } from '../../scripts/processes';

/** The server as the end-to-end tests want it: demo accounts, the 30-second test exam, a 3 s grace. */
export function startServer(options: ServerOptions): Promise<Running> {
  return startProductServer({ seed: 'demo,test', ...options, env: { INVIGIL_WRITE_GRACE_MS: '3000', ...options.env } });
}
