import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkServerUrl, DEFAULT_SERVER_URL, SERVER_URL_ENV } from '../config';
import { webCapabilities } from '../ipc/capabilities';
import { createHandlers } from '../ipc/handlers';
import { jsonLinesLogger } from '../log';
import type { UploadProgress } from '../../shared/ipc/contract';
import { FsAnswerJournal } from '../services/answerJournal';
import { FsRecordingJournal } from '../services/recordingJournal';
import { unsupportedLockdown } from '../services/lockdown';
import { FsSettingsStore } from '../services/settingsStore';
import { unsupportedProbe } from '../services/systemProbe';
import { TusUploader } from '../services/uploader';
import { createWebHost, type WebHost } from './server';

// Composition root of the web host (`npm run webhost -- --port 0 --server-url http://...`).
// Prints one JSON line with "msg":"listening" and the page URL once it accepts connections.

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const log = jsonLinesLogger((line) => process.stdout.write(line), Date.now);

function fatal(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function options() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: 'string', default: '5180' },
        host: { type: 'string', default: '127.0.0.1' },
        'server-url': { type: 'string' },
        'data-dir': { type: 'string', default: join(repoRoot, 'data', 'webhost') },
        'renderer-dir': { type: 'string', default: join(repoRoot, 'out', 'renderer') },
      },
      strict: true,
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) fatal(`--port must be a number from 0 to 65535 (0 picks a free port).`);
    const serverUrl = checkServerUrl(values['server-url'] ?? (process.env[SERVER_URL_ENV] || DEFAULT_SERVER_URL));
    return { port, host: values.host, serverUrl, dataDir: resolve(values['data-dir']), rendererDir: resolve(values['renderer-dir']) };
  } catch (error) {
    return fatal(error instanceof Error ? error.message : String(error));
  }
}

async function main(): Promise<void> {
  const config = options();
  if (!existsSync(join(config.rendererDir, 'index.html'))) {
    fatal(`There is no built renderer in ${config.rendererDir} (index.html is missing). Run \`npm run build\` first, or pass --renderer-dir.`);
  }
  const appVersion = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const settings = new FsSettingsStore({
    dataDir: config.dataDir,
    defaults: { serverUrl: DEFAULT_SERVER_URL },
    overrides: { serverUrl: config.serverUrl },
    log,
  });
  const journal = new FsAnswerJournal({ dataDir: config.dataDir, now: Date.now, log });
  const recording = new FsRecordingJournal({ dataDir: config.dataDir, now: Date.now, log });
  // The socket exists only once the host does; progress before that has no page to go to anyway.
  let host: WebHost | null = null;
  const uploads = new TusUploader({
    dataDir: config.dataDir,
    journal: recording,
    emit: (progress: UploadProgress) => host?.emit('uploads:onProgress', progress),
    log,
    now: Date.now,
    random: Math.random,
  });
  await uploads.start();
  const handlers = createHandlers({
    info: { hostKind: 'web', appVersion, platform: process.platform, capabilities: webCapabilities },
    journal,
    settings,
    recording,
    uploads,
    // A browser page can be checked for nothing of this by its server; the renderer adds what the browser knows.
    probe: unsupportedProbe(process.platform, Date.now),
    lockdown: unsupportedLockdown,
    // A browser has no release key and no install key: finals refuse it, the trial test does not need them.
    attestation: null,
    // The page here is a plain browser taking the trial test: it keeps its event outbox and face
    // reference in its own localStorage, and store:* answer `unsupported`.
    privateStore: null,
  });
  host = createWebHost({ rendererDir: config.rendererDir, handlers, serverUrl: config.serverUrl, log });
  const webHost = host;
  const url = await webHost.listen(config.port, config.host);
  log.info('listening', { url, serverUrl: config.serverUrl, dataDir: config.dataDir });

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    log.info('shutting down', { signal });
    Promise.all([webHost.close(), uploads.close().then(() => recording.close())]).then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('web host did not close cleanly', { error: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  log.error('web host failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
