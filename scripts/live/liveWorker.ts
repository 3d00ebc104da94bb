// `npm install`'s postinstall: makes sure a mediasoup worker binary is in the per-user cache
// (server/src/live/workerLocation.ts) so the review server can run live proctoring. mediasoup's own
// install is switched off (package.json allowScripts) because it downloads a prebuilt worker or
// builds with meson wraps that download their sources; this step instead
//   1. reuses a cached worker that passes the smoke check (it exits 41 without MEDIASOUP_VERSION),
//   2. else tries mediasoup's prebuilt worker for this platform (short timeout),
//   3. else builds the worker from the sources in node_modules/mediasoup/worker against the system's
//      libraries (patch next to this file), installing the build packages with apt-get as root.
// It never fails the install: every failure prints one line saying live proctoring is off and why.
//
//   tsx scripts/live/liveWorker.ts install   # the postinstall
//   tsx scripts/live/liveWorker.ts path      # prints the worker the server would use
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, homedir, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fileURLToPath } from 'node:url';
import {
  WORKER_FILE_NAME,
  WORKER_SMOKE_EXIT_CODE,
  hostWorkerKeyParts,
  installedMediasoupVersion,
  locateWorkerBin,
  mediasoupPackageDir,
  workerCacheFolder,
} from '../../server/src/live/workerLocation';

const HERE = dirname(fileURLToPath(import.meta.url));
const PATCHED_VERSION = '3.27.1';
const PATCH_FILE = join(HERE, `mediasoup-${PATCHED_VERSION}-system-deps.patch`);
const PREBUILT_TIMEOUT_MS = 15_000;
/** A lock older than this is taken for abandoned (a build takes about 10 minutes on 2 cores). */
const STALE_LOCK_MS = 45 * 60_000;
const LOCK_POLL_MS = 2_000;

const say = (line: string): void => {
  process.stdout.write(`[live worker] ${line}\n`);
};

/** The one line printed whenever the step ends without a worker. */
export function liveOffLine(reason: string): string {
  return `[live worker] live proctoring will be off: ${reason}`;
}

export type CacheState = 'ok' | 'missing' | 'broken';

export type InstallPlan =
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'env'; readonly path: string }
  | { readonly kind: 'reuse'; readonly path: string }
  /** Try the prebuilt worker, then build from source; `broken` says why the cached one is replaced. */
  | { readonly kind: 'obtain'; readonly path: string; readonly replacingBroken: boolean };

/** What the install step does, from the environment and the cache's state (pure). */
export function planInstall(input: { readonly env: NodeJS.ProcessEnv; readonly cachePath: string; readonly cache: CacheState }): InstallPlan {
  const { env, cachePath, cache } = input;
  if (env.MEDIASOUP_WORKER_BIN) return { kind: 'env', path: env.MEDIASOUP_WORKER_BIN };
  if ((env.INVIGIL_LIVE ?? '').trim().toLowerCase() === 'off') return { kind: 'skip', reason: 'INVIGIL_LIVE=off' };
  if (cache === 'ok') return { kind: 'reuse', path: cachePath };
  return { kind: 'obtain', path: cachePath, replacingBroken: cache === 'broken' };
}

/**
 * Runs the step and never rejects: a failure (thrown or returned as a reason) prints `liveOffLine`.
 * Returns the exit code to use, always 0, so `npm install` never fails because of live proctoring.
 */
export async function runNeverThrow(step: () => Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: string }>, print: (line: string) => void = console.log): Promise<0> {
  try {
    const result = await step();
    if (!result.ok) print(liveOffLine(result.reason));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    print(liveOffLine(message.split('\n')[0] ?? 'unknown error'));
  }
  return 0;
}

/** Runs the worker without MEDIASOUP_VERSION: a working binary exits 41. */
export function smokeCheck(bin: string): boolean {
  if (!existsSync(bin)) return false;
  const run = spawnSync(bin, [], { env: {}, stdio: 'ignore', timeout: 10_000 });
  return run.status === WORKER_SMOKE_EXIT_CODE;
}

function cacheState(path: string): CacheState {
  if (!existsSync(path)) return 'missing';
  return smokeCheck(path) ? 'ok' : 'broken';
}

/** Copies `from` next to `to` and renames it into place, so a reader never sees half a binary. */
function installAtomically(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  const temporary = `${to}.tmp-${process.pid}`;
  copyFileSync(from, temporary);
  chmodSync(temporary, 0o755);
  renameSync(temporary, to);
}

// --- lock ----------------------------------------------------------------------------------------

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An exclusive lock file next to the cache folder; waits while another live install holds it. */
async function withLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(lockPath), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner = Number.NaN;
      let age = 0;
      try {
        owner = Number(readFileSync(lockPath, 'utf8').trim());
        age = Date.now() - statSync(lockPath).mtimeMs;
      } catch {
        continue; // released between the two calls
      }
      if (!Number.isInteger(owner) || owner <= 0 || !pidAlive(owner) || age > STALE_LOCK_MS) {
        rmSync(lockPath, { force: true });
        continue;
      }
      if (!announced) {
        say(`another install (pid ${owner}) is getting the worker; waiting for it …`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

// --- prebuilt ------------------------------------------------------------------------------------

/** The URL mediasoup's own postinstall downloads its prebuilt worker from. */
export function prebuiltWorkerUrl(input: {
  readonly version: string;
  readonly repositoryUrl: string;
  readonly platform: string;
  readonly arch: string;
  readonly kernelRelease: string;
  readonly baseUrl?: string | undefined;
}): string {
  const base = input.baseUrl || `${input.repositoryUrl.replace(/^git\+/, '').replace(/\.git$/, '')}/releases/download`;
  let name = `mediasoup-worker-${input.version}-${input.platform}-${input.arch}`;
  if (input.platform === 'linux') name += `-kernel${Number(input.kernelRelease.split('.')[0])}`;
  return `${base}/${input.version}/${name}.tgz`;
}

async function tryPrebuilt(version: string, workDir: string): Promise<string | { readonly failed: string }> {
  const pkg = JSON.parse(readFileSync(join(mediasoupPackageDir(), 'package.json'), 'utf8')) as { repository?: { url?: string } };
  const url = prebuiltWorkerUrl({
    version,
    repositoryUrl: pkg.repository?.url ?? '',
    platform: process.platform,
    arch: process.arch,
    kernelRelease: release(),
    baseUrl: process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL,
  });
  say(`trying mediasoup's prebuilt worker (${PREBUILT_TIMEOUT_MS / 1000} s at most) …`);
  const tgz = join(workDir, 'prebuilt.tgz');
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PREBUILT_TIMEOUT_MS) });
    if (!response.ok || !response.body) return { failed: `HTTP ${response.status}` };
    await pipeline(Readable.fromWeb(response.body as WebReadableStream), createWriteStream(tgz));
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { failed: cause ?? (error as Error).name };
  }
  const out = join(workDir, 'prebuilt');
  mkdirSync(out);
  const untar = spawnSync('tar', ['-xzf', tgz, '-C', out], { stdio: 'ignore' });
  const bin = join(out, WORKER_FILE_NAME);
  if (untar.status !== 0 || !existsSync(bin)) return { failed: 'the archive has no worker' };
  chmodSync(bin, 0o755);
  return smokeCheck(bin) ? bin : { failed: 'it does not run on this system' };
}

// --- build from source ---------------------------------------------------------------------------

interface BuildNeed {
  /** The Debian/Ubuntu package that provides it. */
  readonly pkg: string;
  readonly present: () => boolean;
}

const onPath = (command: string) => (): boolean => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const pkgConfig = (...modules: string[]) => (): boolean => spawnSync('pkg-config', ['--exists', ...modules], { stdio: 'ignore' }).status === 0;

/** What the worker build needs, by the Debian 12 package providing it. */
const BUILD_NEEDS: readonly BuildNeed[] = [
  { pkg: 'build-essential', present: () => onPath('c++')() && onPath('make')() },
  { pkg: 'patch', present: onPath('patch') },
  { pkg: 'pkg-config', present: onPath('pkg-config') },
  { pkg: 'python3', present: onPath('python3') },
  { pkg: 'meson', present: onPath('meson') },
  { pkg: 'ninja-build', present: onPath('ninja') },
  { pkg: 'libuv1-dev', present: pkgConfig('libuv') },
  { pkg: 'libssl-dev', present: pkgConfig('openssl') },
  { pkg: 'libsrtp2-dev', present: pkgConfig('libsrtp2') },
  { pkg: 'libabsl-dev', present: pkgConfig('absl_strings', 'absl_optional', 'absl_memory') },
  { pkg: 'libflatbuffers-dev', present: pkgConfig('flatbuffers') },
  { pkg: 'flatbuffers-compiler', present: onPath('flatc') },
];

/** The build packages missing here (pkg-config checks need pkg-config itself first). */
function missingBuildPackages(): string[] {
  const hasPkgConfig = onPath('pkg-config')();
  return BUILD_NEEDS.filter((need) => {
    if (!hasPkgConfig && need.pkg.endsWith('-dev')) return true;
    return !need.present();
  }).map((need) => need.pkg);
}

/** Installs the missing build packages as root with apt-get; returns why not when it cannot. */
function ensureBuildPackages(): string | null {
  const missing = missingBuildPackages();
  if (missing.length === 0) return null;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !onPath('apt-get')()) {
    return `building the worker needs ${missing.join(' ')} (sudo apt-get install ${missing.join(' ')}, then npm install again)`;
  }
  say(`installing the worker's build packages: ${missing.join(' ')} …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  const install =
    update.status === 0
      ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: ['ignore', 'ignore', 'inherit'], env })
      : update;
  if (install.status !== 0) return `apt-get could not install ${missing.join(' ')}`;
  const still = missingBuildPackages();
  return still.length === 0 ? null : `still missing after apt-get: ${still.join(' ')}`;
}

/** Runs a build command with its output in `logPath`; calls `onLine` for each line of stdout. */
function runLogged(command: string, args: string[], options: { cwd: string; logPath: string; onLine?: (line: string) => void }): Promise<number> {
  return new Promise((resolvePromise) => {
    const log = createWriteStream(options.logPath, { flags: 'a' });
    log.write(`$ ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (!options.onLine) return;
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    });
    child.stderr.on('data', (chunk: Buffer) => log.write(chunk));
    child.on('error', (error) => {
      log.end(`${error.message}\n`);
      resolvePromise(-1);
    });
    child.on('close', (code) => {
      log.end();
      resolvePromise(code ?? -1);
    });
  });
}

function logTail(logPath: string, lines: number): string {
  try {
    return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function buildFromSource(version: string, workDir: string): Promise<string | { readonly failed: string }> {
  if (process.platform !== 'linux') return { failed: `building from source is set up for Linux only (this is ${process.platform})` };
  if (version !== PATCHED_VERSION || !existsSync(PATCH_FILE)) {
    return { failed: `the system-library patch covers mediasoup ${PATCHED_VERSION}, not ${version}` };
  }
  const packagesProblem = ensureBuildPackages();
  if (packagesProblem) return { failed: packagesProblem };

  const jobs = Math.max(1, availableParallelism());
  say(`building the mediasoup worker from source (about 10 min on 2 cores) …`);
  const sourceRoot = join(workDir, 'src');
  cpSync(join(mediasoupPackageDir(), 'worker'), join(sourceRoot, 'worker'), {
    recursive: true,
    filter: (path) => !/[\\/]worker[\\/](out|prebuild)$/.test(path),
  });
  const logPath = join(workDir, 'build.log');
  const patch = spawnSync('patch', ['-p1', '--forward', '-s', '-d', sourceRoot, '-i', PATCH_FILE], { encoding: 'utf8' });
  if (patch.status !== 0) return { failed: `the patch does not apply: ${(patch.stdout + patch.stderr).trim().split('\n')[0] ?? ''}` };

  const workerDir = join(sourceRoot, 'worker');
  const setup = await runLogged('meson', ['setup', '--wrap-mode=nodownload', '--buildtype=release', '-Db_ndebug=true', 'build'], { cwd: workerDir, logPath });
  if (setup !== 0) return { failed: `meson setup failed (log: ${keepLog(logPath)})` };

  const started = Date.now();
  let lastPercent = -1;
  const compile = await runLogged('nice', ['-n', '10', 'ninja', '-C', 'build', `-j${jobs}`, 'mediasoup-worker'], {
    cwd: workerDir,
    logPath,
    onLine: (line) => {
      const match = /^\[(\d+)\/(\d+)\]/.exec(line);
      if (!match) return;
      const percent = Math.floor((Number(match[1]) / Number(match[2])) * 10) * 10;
      if (percent > lastPercent) {
        lastPercent = percent;
        say(`  ${percent} % (${match[1]}/${match[2]}, ${Math.round((Date.now() - started) / 1000)} s)`);
      }
    },
  });
  if (compile !== 0) {
    process.stdout.write(`${logTail(logPath, 15)}\n`);
    return { failed: `the worker build failed (log: ${keepLog(logPath)})` };
  }
  const built = join(workerDir, 'build', WORKER_FILE_NAME);
  const stripped = join(workDir, WORKER_FILE_NAME);
  const strip = spawnSync('strip', ['-o', stripped, built], { stdio: 'ignore' });
  const result = strip.status === 0 ? stripped : built;
  return smokeCheck(result) ? result : { failed: 'the built worker does not pass the smoke check' };
}

/** Moves a failed build's log out of the temporary folder (which is removed) and returns its path. */
function keepLog(logPath: string): string {
  const kept = join(tmpdir(), `invigil-mediasoup-worker-build-${process.pid}.log`);
  try {
    copyFileSync(logPath, kept);
    return kept;
  } catch {
    return logPath;
  }
}

// --- the step ------------------------------------------------------------------------------------

export async function installWorker(): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: string }> {
  const started = Date.now();
  const env = process.env;
  const version = installedMediasoupVersion();
  const folder = workerCacheFolder(env, homedir(), hostWorkerKeyParts());
  const cachePath = join(folder, WORKER_FILE_NAME);
  const plan = planInstall({ env, cachePath, cache: env.MEDIASOUP_WORKER_BIN ? 'missing' : cacheState(cachePath) });
  switch (plan.kind) {
    case 'skip':
      return { ok: false, reason: plan.reason };
    case 'env':
      say(`MEDIASOUP_WORKER_BIN is set; using ${plan.path}`);
      return smokeCheck(plan.path) ? { ok: true } : { ok: false, reason: `MEDIASOUP_WORKER_BIN=${plan.path} does not pass the smoke check` };
    case 'reuse':
      say(`using the cached worker ${plan.path}`);
      return { ok: true };
    case 'obtain':
      break;
  }
  if (plan.replacingBroken) say(`the cached worker ${cachePath} does not run here; replacing it`);

  return withLock(`${folder}.lock`, async () => {
    // Another install may have finished while this one waited for the lock.
    if (cacheState(cachePath) === 'ok') {
      say(`using the cached worker ${cachePath}`);
      return { ok: true } as const;
    }
    const workDir = mkdtempSync(join(tmpdir(), 'invigil-mediasoup-worker-'));
    try {
      const prebuilt = await tryPrebuilt(version, workDir);
      let bin: string;
      if (typeof prebuilt === 'string') {
        bin = prebuilt;
        say('got the prebuilt worker');
      } else {
        say(`no prebuilt worker (${prebuilt.failed})`);
        const built = await buildFromSource(version, workDir);
        if (typeof built !== 'string') return { ok: false, reason: built.failed } as const;
        bin = built;
      }
      installAtomically(bin, cachePath);
      say(`worker ready: ${cachePath} (${Math.round((Date.now() - started) / 1000)} s)`);
      return { ok: true } as const;
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
}

async function main(command: string | undefined): Promise<void> {
  if (command === 'path') {
    const located = locateWorkerBin();
    process.stdout.write(located.ok ? `${located.path}\n` : `${located.reason}\n`);
    return;
  }
  if (command !== 'install') {
    process.stderr.write('usage: tsx scripts/live/liveWorker.ts install|path\n');
    process.exitCode = 2;
    return;
  }
  process.exitCode = await runNeverThrow(installWorker);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv[2]);
