import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_SEGMENT_BYTES } from '../../shared/api';
import { DEFAULT_WRITE_GRACE_MS } from '../../shared/domain/deadline';
import { ConfigError, loadConfig, REPO_ROOT } from './config';

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dataDir: join(REPO_ROOT, 'data'),
      databaseUrl: undefined,
      seed: [],
      jwtSecret: undefined,
      writeGraceMs: DEFAULT_WRITE_GRACE_MS,
      accessTtlSeconds: 900,
      maxSegmentBytes: MAX_SEGMENT_BYTES,
      logLevel: 'info',
      trustProxy: false,
      minAppVersion: '0.1.0',
      retentionDays: 365,
      identitySecret: undefined,
      releaseKeys: [],
      publicUrl: undefined,
      recordingQuotaKbps: 2000,
      maxOpenUploads: 4,
      ocrWorkers: 1,
      live: { enabled: true, workers: availableParallelism(), listenIp: '127.0.0.1', announcedAddress: undefined, rtcMinPort: 40_000, rtcMaxPort: 49_999 },
    });
  });

  it('reads the live proctoring settings, and refuses a bad address or port range', () => {
    expect(
      loadConfig({
        INVIGIL_LIVE: 'off',
        INVIGIL_LIVE_WORKERS: '3',
        INVIGIL_LIVE_LISTEN_IP: '0.0.0.0',
        INVIGIL_LIVE_ANNOUNCED_ADDRESS: 'media.exams.example.edu',
        INVIGIL_LIVE_RTC_MIN_PORT: '41000',
        INVIGIL_LIVE_RTC_MAX_PORT: '41999',
      }).live,
    ).toEqual({ enabled: false, workers: 3, listenIp: '0.0.0.0', announcedAddress: 'media.exams.example.edu', rtcMinPort: 41_000, rtcMaxPort: 41_999 });
    expect(loadConfig({ INVIGIL_LIVE_LISTEN_IP: '::' }).live.listenIp).toBe('::');
    expect(() => loadConfig({ INVIGIL_LIVE_LISTEN_IP: 'example.edu' })).toThrow(/INVIGIL_LIVE_LISTEN_IP: must be an IPv4 or IPv6 address/);
    expect(() => loadConfig({ INVIGIL_LIVE_ANNOUNCED_ADDRESS: 'a b' })).toThrow(/INVIGIL_LIVE_ANNOUNCED_ADDRESS: must be an IP address or a host name/);
    expect(() => loadConfig({ INVIGIL_LIVE: 'yes' })).toThrow(/INVIGIL_LIVE:/);
    expect(() => loadConfig({ INVIGIL_LIVE_WORKERS: '0' })).toThrow(/INVIGIL_LIVE_WORKERS:/);
    expect(() => loadConfig({ INVIGIL_LIVE_RTC_MIN_PORT: '50000', INVIGIL_LIVE_RTC_MAX_PORT: '40000' })).toThrow(/INVIGIL_LIVE_RTC_MIN_PORT: 50000 is above INVIGIL_LIVE_RTC_MAX_PORT/);
  });

  it('reads the accepted release keys, and a development key on loopback only', () => {
    const a = 'AB'.repeat(32);
    const b = 'cd'.repeat(32);
    expect(loadConfig({ INVIGIL_RELEASE_KEYS: ` ${a}, ${b} ,`, INVIGIL_PUBLIC_URL: 'https://exams.example.edu/' })).toMatchObject({
      releaseKeys: [a.toLowerCase(), b],
      publicUrl: 'https://exams.example.edu',
    });
    expect(loadConfig({ INVIGIL_RELEASE_KEYS: a, INVIGIL_DEV_RELEASE_KEY: b }).releaseKeys).toEqual([a.toLowerCase(), b]);
    expect(() => loadConfig({ INVIGIL_RELEASE_KEYS: 'not-a-key' })).toThrow(/INVIGIL_RELEASE_KEYS.*64 hex digits/s);
    expect(() => loadConfig({ INVIGIL_DEV_RELEASE_KEY: b, HOST: '0.0.0.0' })).toThrow(/development build's key is only accepted on a loopback address/);
  });

  it('reads the minimum app version and the identity secret, and refuses bad ones', () => {
    expect(loadConfig({ INVIGIL_MIN_APP_VERSION: '1.4.2', INVIGIL_IDENTITY_SECRET: 'k'.repeat(32) })).toMatchObject({
      minAppVersion: '1.4.2',
      identitySecret: 'k'.repeat(32),
    });
    expect(() => loadConfig({ INVIGIL_MIN_APP_VERSION: 'latest' })).toThrow(/INVIGIL_MIN_APP_VERSION: must be a version/);
    expect(() => loadConfig({ INVIGIL_IDENTITY_SECRET: 'short' })).toThrow(/INVIGIL_IDENTITY_SECRET: must be at least 32 characters/);
  });

  it('reads every variable, treating empty ones as unset', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '::1',
      INVIGIL_DATA_DIR: '/tmp/invigil-data',
      DATABASE_URL: 'postgres://u@localhost/db',
      INVIGIL_SEED: 'demo, test',
      INVIGIL_JWT_SECRET: 's'.repeat(32),
      INVIGIL_WRITE_GRACE_MS: '5000',
      INVIGIL_ACCESS_TTL_S: '',
      INVIGIL_MAX_SEGMENT_BYTES: '400000000',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      port: 0,
      host: '::1',
      dataDir: '/tmp/invigil-data',
      databaseUrl: 'postgres://u@localhost/db',
      seed: ['demo', 'test'],
      writeGraceMs: 5000,
      accessTtlSeconds: 900,
      maxSegmentBytes: 400_000_000,
      logLevel: 'warn',
    });
    expect(loadConfig({ INVIGIL_SEED: 'none' }).seed).toEqual([]);
  });

  it('reads which proxies to trust for client addresses', () => {
    expect(loadConfig({ INVIGIL_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ INVIGIL_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ INVIGIL_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });

  it('serves the demo accounts (published passwords) only on a loopback address', () => {
    expect(loadConfig({ INVIGIL_SEED: 'demo', HOST: '127.0.0.1' }).seed).toEqual(['demo']);
    expect(() => loadConfig({ INVIGIL_SEED: 'demo', HOST: '0.0.0.0' })).toThrow(/only served on a loopback address/);
    // The test seed adds a learner with a published password too.
    expect(() => loadConfig({ INVIGIL_SEED: 'test', HOST: '0.0.0.0' })).toThrow(/test accounts have published passwords/);
    expect(loadConfig({ HOST: '0.0.0.0' }).seed).toEqual([]);
  });

  it('explains what is wrong with a bad environment', () => {
    const bad = () => loadConfig({ PORT: 'eighty', INVIGIL_SEED: 'demo,prod', INVIGIL_JWT_SECRET: 'short' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/PORT/);
    expect(bad).toThrow(/INVIGIL_SEED/);
    expect(bad).toThrow(/INVIGIL_JWT_SECRET: must be at least 32 characters/);
  });
});
