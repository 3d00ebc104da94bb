import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { MAX_SEGMENT_BYTES } from '../../shared/api';
import { DEFAULT_WRITE_GRACE_MS } from '../../shared/domain/deadline';
import { DEFAULT_ACCESS_TTL_SECONDS } from './auth/tokens';
import { DEFAULT_RETENTION_DAYS } from './review/retention';
import { DEFAULT_MIN_APP_VERSION, VERSION_PATTERN } from './version';
import { SEED_KINDS, type SeedKind } from './seed';
import { RELEASE_KEY_PATTERN } from '../../shared/domain/attestation';
import { DEFAULT_MAX_OPEN_UPLOADS, DEFAULT_RECORDING_QUOTA_KBPS } from './recording/quota';
import { DEFAULT_RTC_MAX_PORT, DEFAULT_RTC_MIN_PORT, type LiveSettings } from './live/liveSettings';

/** The checkout root, from this file's location (server/src/config.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly seed: readonly SeedKind[];
  readonly jwtSecret: string | undefined;
  readonly writeGraceMs: number;
  readonly accessTtlSeconds: number;
  /** Largest segment upload accepted (benchmarks raise it to send one big file). */
  readonly maxSegmentBytes: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `true` (any proxy), a hop count, or the proxies' addresses/CIDRs; false when unset. */
  readonly trustProxy: boolean | number | string[];
  /** The oldest app version accepted (`GET /api/version`, system check reports). */
  readonly minAppVersion: string;
  /**
   * Key of the document-number HMAC that links accounts presenting the same ID. Unset: derived from
   * the JWT secret (HKDF), which persists in the data folder, so links survive restarts; set it when the
   * JWT secret may be rotated, or links to earlier documents are lost.
   */
  readonly identitySecret: string | undefined;
  /** Days after the final decision before recordings and ID images are deleted; 0 keeps them. */
  readonly retentionDays: number;
  /**
   * Release keys of the desktop builds this deployment accepts (hex, from `npm run package:app`),
   * plus, on a loopback HOST only, the development build's key that `npm start` registers.
   */
  readonly releaseKeys: readonly string[];
  /**
   * The origin learners' apps call (`https://exams.example.edu`): attestation hashes the URL the app
   * requested, which behind a reverse proxy differs from what the server sees. Unset: the request's own.
   */
  readonly publicUrl: string | undefined;
  /** Recording quota per attempt: this bitrate over the exam's timed length plus an hour (kbit/s). */
  readonly recordingQuotaKbps: number;
  /** Unfinished recording uploads one attempt may hold at once. */
  readonly maxOpenUploads: number;
  /** tesseract.js workers that read ID images on the server (each ~1 core while it reads). */
  readonly ocrWorkers: number;
  /** Live proctoring's SFU: workers, the address and ports WebRTC media uses (live/liveSettings.ts). */
  readonly live: LiveSettings;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const EnvSchema = z.object({
  PORT: int(0, 65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  INVIGIL_DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: z.string().min(1).optional(),
  // No demo accounts unless asked for: their passwords are published in the README.
  INVIGIL_SEED: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((p) => p.trim()).filter((p) => p !== '' && p !== 'none'))
    .pipe(z.array(z.enum(SEED_KINDS as [SeedKind, ...SeedKind[]]))),
  INVIGIL_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  INVIGIL_WRITE_GRACE_MS: int(0, 10 * 60_000).default(DEFAULT_WRITE_GRACE_MS),
  INVIGIL_ACCESS_TTL_S: int(30, 24 * 3600).default(DEFAULT_ACCESS_TTL_SECONDS),
  INVIGIL_MAX_SEGMENT_BYTES: int(1, 4 * 1024 ** 3).default(MAX_SEGMENT_BYTES),
  INVIGIL_MIN_APP_VERSION: z.string().regex(VERSION_PATTERN, 'must be a version such as 1.2.3').default(DEFAULT_MIN_APP_VERSION),
  INVIGIL_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  INVIGIL_RETENTION_DAYS: int(0, 36_500).default(DEFAULT_RETENTION_DAYS),
  INVIGIL_RELEASE_KEYS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((p) => p.trim().toLowerCase()).filter((p) => p !== ''))
    .pipe(z.array(z.string().regex(RELEASE_KEY_PATTERN, 'each must be 64 hex digits (the releaseKey from npm run package:app)'))),
  INVIGIL_DEV_RELEASE_KEY: z.string().toLowerCase().regex(RELEASE_KEY_PATTERN, 'must be 64 hex digits').optional(),
  INVIGIL_PUBLIC_URL: z.string().url().optional(),
  INVIGIL_RECORDING_QUOTA_KBPS: int(100, 100_000).default(DEFAULT_RECORDING_QUOTA_KBPS),
  INVIGIL_MAX_OPEN_UPLOADS: int(1, 256).default(DEFAULT_MAX_OPEN_UPLOADS),
  INVIGIL_OCR_WORKERS: int(1, 16).default(1),
  INVIGIL_LIVE: z.enum(['on', 'off']).default('on'),
  INVIGIL_LIVE_WORKERS: int(1, 64).optional(),
  INVIGIL_LIVE_LISTEN_IP: z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' }).default('127.0.0.1'),
  INVIGIL_LIVE_ANNOUNCED_ADDRESS: z
    .string()
    .max(253)
    .regex(/^[A-Za-z0-9.:-]+$/, 'must be an IP address or a host name')
    .optional(),
  INVIGIL_LIVE_RTC_MIN_PORT: int(1024, 65535).default(DEFAULT_RTC_MIN_PORT),
  INVIGIL_LIVE_RTC_MAX_PORT: int(1024, 65535).default(DEFAULT_RTC_MAX_PORT),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  INVIGIL_TRUST_PROXY: z
    .string()
    .optional()
    .transform((v): boolean | number | string[] => {
      if (v === undefined || v === 'false') return false;
      if (v === 'true') return true;
      if (/^\d+$/.test(v)) return Number(v);
      return v.split(',').map((p) => p.trim()).filter((p) => p !== '');
    }),
});

const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Reads the server's settings from the environment; an empty variable counts as unset. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, repoRoot = REPO_ROOT): ServerConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(['invalid environment:', ...lines].join('\n'));
  }
  const e = parsed.data;
  const published = e.INVIGIL_SEED.filter((kind) => kind === 'demo' || kind === 'test');
  if (published.length > 0 && !isLoopback(e.HOST)) {
    throw new ConfigError(
      `invalid environment:\n  INVIGIL_SEED: the ${published.join(' and ')} accounts have published passwords, so they are only served on a loopback address, not HOST=${e.HOST}`,
    );
  }
  if (e.INVIGIL_DEV_RELEASE_KEY !== undefined && !isLoopback(e.HOST)) {
    throw new ConfigError(
      `invalid environment:\n  INVIGIL_DEV_RELEASE_KEY: a development build's key is only accepted on a loopback address, not HOST=${e.HOST}; list release builds in INVIGIL_RELEASE_KEYS`,
    );
  }
  if (e.INVIGIL_LIVE_RTC_MIN_PORT > e.INVIGIL_LIVE_RTC_MAX_PORT) {
    throw new ConfigError(
      `invalid environment:\n  INVIGIL_LIVE_RTC_MIN_PORT: ${e.INVIGIL_LIVE_RTC_MIN_PORT} is above INVIGIL_LIVE_RTC_MAX_PORT (${e.INVIGIL_LIVE_RTC_MAX_PORT})`,
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.INVIGIL_DATA_DIR ?? resolve(repoRoot, 'data')),
    databaseUrl: e.DATABASE_URL,
    seed: [...new Set(e.INVIGIL_SEED)],
    jwtSecret: e.INVIGIL_JWT_SECRET,
    writeGraceMs: e.INVIGIL_WRITE_GRACE_MS,
    accessTtlSeconds: e.INVIGIL_ACCESS_TTL_S,
    maxSegmentBytes: e.INVIGIL_MAX_SEGMENT_BYTES,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.INVIGIL_TRUST_PROXY,
    minAppVersion: e.INVIGIL_MIN_APP_VERSION,
    identitySecret: e.INVIGIL_IDENTITY_SECRET,
    retentionDays: e.INVIGIL_RETENTION_DAYS,
    releaseKeys: [...new Set([...e.INVIGIL_RELEASE_KEYS, ...(e.INVIGIL_DEV_RELEASE_KEY ? [e.INVIGIL_DEV_RELEASE_KEY] : [])])],
    publicUrl: e.INVIGIL_PUBLIC_URL?.replace(/\/+$/, ''),
    recordingQuotaKbps: e.INVIGIL_RECORDING_QUOTA_KBPS,
    maxOpenUploads: e.INVIGIL_MAX_OPEN_UPLOADS,
    ocrWorkers: e.INVIGIL_OCR_WORKERS,
    live: {
      enabled: e.INVIGIL_LIVE === 'on',
      workers: e.INVIGIL_LIVE_WORKERS ?? availableParallelism(),
      listenIp: e.INVIGIL_LIVE_LISTEN_IP,
      announcedAddress: e.INVIGIL_LIVE_ANNOUNCED_ADDRESS,
      rtcMinPort: e.INVIGIL_LIVE_RTC_MIN_PORT,
      rtcMaxPort: e.INVIGIL_LIVE_RTC_MAX_PORT,
    },
  };
}
