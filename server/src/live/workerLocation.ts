// Where the mediasoup worker binary lives: outside the checkout, in a per-user cache keyed by the
// mediasoup version, the OS release and the CPU architecture, so every clone on one machine shares
// one build. The install step (scripts/live/liveWorker.ts) fills the cache; the server reads it.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The worker's file name inside its cache folder. */
export const WORKER_FILE_NAME = process.platform === 'win32' ? 'mediasoup-worker.exe' : 'mediasoup-worker';

/** The worker exits with this code when started without `MEDIASOUP_VERSION` (the smoke check). */
export const WORKER_SMOKE_EXIT_CODE = 41;

/** `ID-VERSION_ID` from the text of /etc/os-release (`debian-12`), or `unknown` when it has neither. */
export function osReleaseId(osReleaseText: string | undefined): string {
  if (osReleaseText === undefined) return 'unknown';
  const fields = new Map<string, string>();
  for (const line of osReleaseText.split(/\r?\n/)) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) fields.set(match[1], match[2].replace(/^(["'])(.*)\1$/, '$2'));
  }
  const id = safeSegment(fields.get('ID') ?? '');
  const version = safeSegment(fields.get('VERSION_ID') ?? '');
  if (id === '') return 'unknown';
  return version === '' ? id : `${id}-${version}`;
}

/** Letters, digits, dots, dashes and underscores only: the value becomes a folder name. */
function safeSegment(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9._-]+/g, '_').replace(/^[._]+/, '');
}

export interface WorkerKeyParts {
  readonly mediasoupVersion: string;
  /** From `osReleaseId`; on systems without /etc/os-release, the platform name (`darwin`, `win32`). */
  readonly os: string;
  readonly arch: string;
}

/** `3.27.1-debian-12-x64`: one worker build per mediasoup version, OS release and architecture. */
export function workerCacheKey(parts: WorkerKeyParts): string {
  return [safeSegment(parts.mediasoupVersion), safeSegment(parts.os), safeSegment(parts.arch)].join('-');
}

/** `${INVIGIL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/invigil}`. */
export function invigilCacheDir(env: NodeJS.ProcessEnv, home: string): string {
  if (env.INVIGIL_CACHE_DIR) return env.INVIGIL_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'invigil');
}

/** The folder holding one cached worker build. */
export function workerCacheFolder(env: NodeJS.ProcessEnv, home: string, parts: WorkerKeyParts): string {
  return join(invigilCacheDir(env, home), 'mediasoup-worker', workerCacheKey(parts));
}

/** The installed mediasoup package's folder (it does not export its package.json). */
export function mediasoupPackageDir(): string {
  // node/lib/index.js → the package root.
  return dirname(dirname(dirname(createRequire(import.meta.url).resolve('mediasoup'))));
}

/** The installed mediasoup's version, from its package.json. */
export function installedMediasoupVersion(): string {
  const pkg = JSON.parse(readFileSync(join(mediasoupPackageDir(), 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('mediasoup/package.json has no version');
  return pkg.version;
}

/** This machine's key parts for the installed mediasoup. */
export function hostWorkerKeyParts(): WorkerKeyParts {
  let osText: string | undefined;
  try {
    osText = readFileSync('/etc/os-release', 'utf8');
  } catch {
    osText = undefined;
  }
  const os = osText === undefined && process.platform !== 'linux' ? process.platform : osReleaseId(osText);
  return { mediasoupVersion: installedMediasoupVersion(), os, arch: process.arch };
}

/** The cached worker's path on this machine (it may not exist). */
export function cachedWorkerPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(workerCacheFolder(env, homedir(), hostWorkerKeyParts()), WORKER_FILE_NAME);
}

export type WorkerBinSource = 'env' | 'cache';

/** The worker to run: `MEDIASOUP_WORKER_BIN` when set, else the cached build, else why there is none. */
export function locateWorkerBin(
  env: NodeJS.ProcessEnv = process.env,
): { readonly ok: true; readonly path: string; readonly source: WorkerBinSource } | { readonly ok: false; readonly reason: string } {
  const fromEnv = env.MEDIASOUP_WORKER_BIN;
  if (fromEnv) {
    return existsSync(fromEnv) ? { ok: true, path: fromEnv, source: 'env' } : { ok: false, reason: `MEDIASOUP_WORKER_BIN=${fromEnv} does not exist` };
  }
  let path: string;
  try {
    path = cachedWorkerPath(env);
  } catch (error) {
    return { ok: false, reason: `mediasoup is not installed (${(error as Error).message})` };
  }
  return existsSync(path)
    ? { ok: true, path, source: 'cache' }
    : { ok: false, reason: `no mediasoup worker at ${path} (npm install builds it)` };
}
