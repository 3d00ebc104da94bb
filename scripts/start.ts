// `npm start`: build what is missing, start the review server on its embedded default (SQLite and
// local files under ./data, demo accounts and exams), then the desktop client pointed at it. Where
// the Electron runtime cannot start (no binary could be downloaded, no display), say so in one line
// and serve the same UI through the web host instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { releaseKeyOfDirectory } from '../electron/services/releaseKey';
import { electronInstallScript, installedElectronBinary } from './electronBinary';
import { type Running, repoRoot, startServer, startWebHost } from './processes';

const serverPort = process.env.PORT ?? '8080';
const webHostPort = process.env.INVIGIL_WEBHOST_PORT ?? '5180';
const dataDir = process.env.INVIGIL_DATA_DIR ?? join(repoRoot, 'data');
const running: Running[] = [];

function say(line: string): void {
  process.stdout.write(`[invigil] ${line}\n`);
}

function buildIfMissing(): void {
  const built = ['out/main/main.js', 'out/preload/preload.cjs', 'out/renderer/index.html'].every((f) => existsSync(join(repoRoot, f)));
  if (built) return;
  say('building the desktop app (first start)…');
  const result = spawnSync(process.execPath, [join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('the build failed (see above)');
}

/** The Electron binary, downloading it if this machine can; null where it cannot. */
function electronBinary(): string | null {
  const installed = installedElectronBinary();
  if (installed) return installed;
  spawnSync(process.execPath, [electronInstallScript], { cwd: repoRoot, stdio: 'ignore', timeout: 300_000 });
  return installedElectronBinary();
}

/** Starts the desktop client; resolves false if it could not start (so the caller falls back). */
function startDesktop(binary: string, serverUrl: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(binary, [repoRoot, `--server-url=${serverUrl}`], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'pipe'] });
    let err = '';
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    const settled = setTimeout(() => {
      child.stderr?.pipe(process.stderr);
      resolve(true);
    }, 5_000);
    child.once('error', () => {
      clearTimeout(settled);
      resolve(false);
    });
    child.once('exit', (code) => {
      clearTimeout(settled);
      if (code !== 0) {
        process.stderr.write(err.split('\n').slice(0, 3).join('\n') + '\n');
        resolve(false);
      } else void shutdown(0);
    });
  });
}

async function shutdown(code: number): Promise<never> {
  await Promise.allSettled(running.map((r) => r.stop()));
  process.exit(code);
}

async function main(): Promise<void> {
  buildIfMissing();
  // The unpackaged build's own release key, so the desktop client started below can sit finals against
  // this local server. The server accepts a development key on a loopback address only.
  const devReleaseKey = await releaseKeyOfDirectory(join(repoRoot, 'out'));
  const server = await startServer({
    dataDir,
    port: Number(serverPort),
    env: { HOST: '127.0.0.1', INVIGIL_DEV_RELEASE_KEY: devReleaseKey },
    // Show people the server's human lines (demo accounts, errors), not its JSON log.
    echo: (text) => {
      for (const line of text.split('\n')) if (line.trim() && !line.startsWith('{')) process.stderr.write(line + '\n');
    },
  });
  running.push(server);
  say(`review server: ${server.url} (SQLite and files in ${dataDir})`);

  const binary = electronBinary();
  if (binary && (await startDesktop(binary, server.url))) {
    say('desktop client started.');
    return;
  }
  say('the Electron runtime cannot start on this machine (its binary could not be downloaded or run); serving the web host instead.');
  const webHost = await startWebHost({ serverUrl: server.url, dataDir: join(dataDir, 'webhost'), port: Number(webHostPort) });
  running.push(webHost);
  say(`open ${webHost.url}/ in Chromium or Chrome. Press Ctrl+C to stop.`);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((error: unknown) => {
  say(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
