import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installedMediasoupVersion, invigilCacheDir, locateWorkerBin, osReleaseId, workerCacheFolder, workerCacheKey } from './workerLocation';

describe('worker cache location', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('names the OS release by ID and VERSION_ID from /etc/os-release', () => {
    expect(osReleaseId('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\nID=debian\n')).toBe('debian-12');
    expect(osReleaseId('ID="ubuntu"\nVERSION_ID="24.04"\n')).toBe('ubuntu-24.04');
    expect(osReleaseId('ID=arch\n')).toBe('arch');
    expect(osReleaseId('ID=../../etc\nVERSION_ID=1/2\n')).toBe('etc-1_2');
    expect(osReleaseId('')).toBe('unknown');
    expect(osReleaseId(undefined)).toBe('unknown');
  });

  it('keys a build by mediasoup version, OS release and architecture', () => {
    expect(workerCacheKey({ mediasoupVersion: '3.27.1', os: 'debian-12', arch: 'x64' })).toBe('3.27.1-debian-12-x64');
    expect(workerCacheKey({ mediasoupVersion: '3.27.1', os: 'darwin', arch: 'arm64' })).toBe('3.27.1-darwin-arm64');
  });

  it('keeps the cache outside the checkout: INVIGIL_CACHE_DIR, else XDG_CACHE_HOME/invigil, else ~/.cache/invigil', () => {
    expect(invigilCacheDir({ INVIGIL_CACHE_DIR: '/var/cache/x', XDG_CACHE_HOME: '/xdg' }, '/home/a')).toBe('/var/cache/x');
    expect(invigilCacheDir({ XDG_CACHE_HOME: '/xdg' }, '/home/a')).toBe('/xdg/invigil');
    expect(invigilCacheDir({ XDG_CACHE_HOME: '' }, '/home/a')).toBe('/home/a/.cache/invigil');
    expect(workerCacheFolder({}, '/home/a', { mediasoupVersion: '3.27.1', os: 'debian-12', arch: 'x64' })).toBe(
      '/home/a/.cache/invigil/mediasoup-worker/3.27.1-debian-12-x64',
    );
  });

  it('reads the installed mediasoup version', () => {
    expect(installedMediasoupVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('uses MEDIASOUP_WORKER_BIN when set, and says why there is no worker otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'invigil-worker-loc-'));
    dirs.push(dir);
    const bin = join(dir, 'mediasoup-worker');
    writeFileSync(bin, '');
    expect(locateWorkerBin({ MEDIASOUP_WORKER_BIN: bin })).toEqual({ ok: true, path: bin, source: 'env' });
    expect(locateWorkerBin({ MEDIASOUP_WORKER_BIN: join(dir, 'missing') })).toMatchObject({ ok: false, reason: expect.stringMatching(/does not exist/) });
    const empty = locateWorkerBin({ INVIGIL_CACHE_DIR: join(dir, 'cache') });
    expect(empty).toMatchObject({ ok: false, reason: expect.stringContaining(join(dir, 'cache', 'mediasoup-worker')) });
  });
});
