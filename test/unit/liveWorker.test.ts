import { describe, expect, it } from 'vitest';
import { liveOffLine, planInstall, prebuiltWorkerUrl, runNeverThrow } from '../../scripts/live/liveWorker';

describe('live worker install step', () => {
  const cachePath = '/home/a/.cache/invigil/mediasoup-worker/3.27.1-debian-12-x64/mediasoup-worker';

  it('uses MEDIASOUP_WORKER_BIN when set, whatever the cache holds', () => {
    expect(planInstall({ env: { MEDIASOUP_WORKER_BIN: '/opt/w' }, cachePath, cache: 'missing' })).toEqual({ kind: 'env', path: '/opt/w' });
    expect(planInstall({ env: { MEDIASOUP_WORKER_BIN: '/opt/w', INVIGIL_LIVE: 'off' }, cachePath, cache: 'ok' })).toEqual({ kind: 'env', path: '/opt/w' });
  });

  it('skips when live is switched off', () => {
    expect(planInstall({ env: { INVIGIL_LIVE: 'off' }, cachePath, cache: 'missing' })).toEqual({ kind: 'skip', reason: 'INVIGIL_LIVE=off' });
  });

  it('reuses a cached worker that passes the smoke check, and replaces one that does not', () => {
    expect(planInstall({ env: {}, cachePath, cache: 'ok' })).toEqual({ kind: 'reuse', path: cachePath });
    expect(planInstall({ env: {}, cachePath, cache: 'missing' })).toEqual({ kind: 'obtain', path: cachePath, replacingBroken: false });
    expect(planInstall({ env: { INVIGIL_LIVE: 'on' }, cachePath, cache: 'broken' })).toEqual({ kind: 'obtain', path: cachePath, replacingBroken: true });
  });

  it('never fails: a failure or a throw prints one line saying live proctoring will be off, and the exit code is 0', async () => {
    const lines: string[] = [];
    expect(await runNeverThrow(async () => ({ ok: true }), (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual([]);
    expect(await runNeverThrow(async () => ({ ok: false, reason: 'building the worker needs meson' }), (l) => lines.push(l))).toBe(0);
    expect(await runNeverThrow(async () => Promise.reject(new Error('EACCES: permission denied\nstack …')), (l) => lines.push(l))).toBe(0);
    expect(
      await runNeverThrow(
        () => {
          throw 'not even an Error';
        },
        (l) => lines.push(l),
      ),
    ).toBe(0);
    expect(lines).toEqual([
      liveOffLine('building the worker needs meson'),
      liveOffLine('EACCES: permission denied'),
      liveOffLine('not even an Error'),
    ]);
    expect(lines[0]).toBe('[live worker] live proctoring will be off: building the worker needs meson');
  });

  it("downloads the prebuilt worker from where mediasoup's own install does", () => {
    const common = { version: '3.27.1', repositoryUrl: 'git+https://example.org/versatica/mediasoup.git', arch: 'x64' };
    expect(prebuiltWorkerUrl({ ...common, platform: 'linux', kernelRelease: '6.1.0-27-amd64' })).toBe(
      'https://example.org/versatica/mediasoup/releases/download/3.27.1/mediasoup-worker-3.27.1-linux-x64-kernel6.tgz',
    );
    expect(prebuiltWorkerUrl({ ...common, platform: 'darwin', arch: 'arm64', kernelRelease: '23.1.0' })).toBe(
      'https://example.org/versatica/mediasoup/releases/download/3.27.1/mediasoup-worker-3.27.1-darwin-arm64.tgz',
    );
    expect(prebuiltWorkerUrl({ ...common, platform: 'linux', kernelRelease: '5.15.0', baseUrl: 'http://mirror.test/ms' })).toBe(
      'http://mirror.test/ms/3.27.1/mediasoup-worker-3.27.1-linux-x64-kernel5.tgz',
    );
  });
});
