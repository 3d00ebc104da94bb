import { describe, expect, it } from 'vitest';
import { BANDWIDTH_PROBE_BYTES, SystemCheckReport, type CheckItem } from '../../../../shared/api/checks';
import { ExamPolicy } from '../../../../shared/domain/examPolicy';
import { lockdownCapabilities, webLockdownCapabilities } from '../../../../shared/domain/lockdownCapabilities';
import type { HostObservations } from '../../../../shared/domain/observations';
import type { AppInfo } from '../../../../shared/ipc/contract';
import { fail, ok } from '../../../../shared/result';
import { formatBytes } from '../../features/recording/format';
import { silentLogger } from '../logger';
import { requiredRecordingBytes } from '../recorder/recordingBudget';
import { runSystemCheck, type SystemCheckDeps } from './runSystemCheck';

const policy = ExamPolicy.parse({});
const webInfo: AppInfo = {
  hostKind: 'web',
  appVersion: '0.1.0',
  platform: 'linux',
  capabilities: { kiosk: false, contentProtection: false, processList: false, translatorView: false, lockdown: webLockdownCapabilities() },
};
const windows11 = lockdownCapabilities({ host: 'desktop', platform: { os: 'windows', osVersion: '10.0.22631', session: null } });
const desktopInfo: AppInfo = {
  ...webInfo,
  hostKind: 'desktop',
  platform: 'win32',
  capabilities: { ...webInfo.capabilities, kiosk: true, contentProtection: true, processList: true, lockdown: windows11 },
};

const passing = (id: 'camera' | 'microphone'): CheckItem => ({ id, status: 'pass', observed: `${id} ok`, fix: null, figures: {} });

function world(patch: { info?: AppInfo; probe?: HostObservations | null; extended?: boolean | null; uploadMs?: number; upload?: 'ok' | 'down'; version?: string | null; warm?: boolean; freeBytes?: number } = {}) {
  const asked = { disk: [] as number[], uploaded: [] as number[], probes: 0 };
  let mono = 1000;
  const deps: SystemCheckDeps = {
    host: {
      'system:probe': async () => {
        asked.probes++;
        return patch.probe ? ok(patch.probe) : fail('unsupported', 'browser');
      },
      'recording:checkDisk': async ({ requiredBytes }) => {
        asked.disk.push(requiredBytes);
        const free = patch.freeBytes ?? 50e9;
        return ok({ freeBytes: free, enough: free >= requiredBytes * 1.1 });
      },
    },
    api: {
      call: (async (name: string) => {
        if (name !== 'versionPolicy') throw new Error(`unexpected ${name}`);
        return patch.version === null ? fail('network', 'down') : ok({ minimumAppVersion: patch.version ?? '0.1.0', serverVersion: '0.1.0' });
      }) as SystemCheckDeps['api']['call'],
    },
    env: {
      browserFacts: () => ({ extended: patch.extended ?? false, fullscreenEnabled: true }),
      randomBytes: (n) => new Uint8Array(n).fill(7),
      monotonicNow: () => mono,
      uploadProbe: async (bytes) => {
        asked.uploaded.push(bytes.byteLength);
        mono += patch.uploadMs ?? 400;
        return patch.upload === 'down' ? fail('network', 'down') : ok({ receivedBytes: bytes.byteLength, serverMs: 5 });
      },
    },
    ocr: { warm: async () => (patch.warm === false ? fail('engine_unavailable', 'no') : ok({ ms: 575 })) },
    appInfo: patch.info ?? webInfo,
    now: () => Date.parse('2030-06-01T09:00:00.000Z'),
    formatBytes,
    log: silentLogger,
  };
  return { deps, asked };
}

const byId = (report: SystemCheckReport) => Object.fromEntries(report.items.map((i) => [i.id, i]));

describe('runSystemCheck', () => {
  it('in a browser: measures bandwidth, disk, version and OCR; displays from screen.isExtended; VM and processes unsupported', async () => {
    const w = world({ extended: false });
    const seen: string[] = [];
    const report = await runSystemCheck(w.deps, {
      policy,
      totalMinutes: 50 * 1.5,
      camera: async () => passing('camera'),
      microphone: async () => passing('microphone'),
      onItem: (i) => seen.push(i.id),
    });
    expect(SystemCheckReport.parse(report)).toEqual(report);
    expect(report.items.map((i) => i.id)).toEqual(['camera', 'microphone', 'displays', 'virtual_machine', 'processes', 'fullscreen', 'lockdown', 'bandwidth', 'disk', 'app_version', 'ocr_engine']);
    expect(new Set(seen)).toEqual(new Set(report.items.map((i) => i.id)));
    const items = byId(report);
    expect(items.displays).toMatchObject({ status: 'pass', figures: { source: 'browser', extended: false } });
    expect(items.virtual_machine).toMatchObject({ status: 'unsupported', fix: 'A web browser cannot check this. Use the Invigil desktop app for finals.' });
    expect(items.processes).toMatchObject({ status: 'unsupported' });
    expect(items.bandwidth).toMatchObject({ status: 'pass', figures: { bytes: BANDWIDTH_PROBE_BYTES, ms: 400, kbps: 20972 } });
    expect(items.disk).toMatchObject({ status: 'pass', figures: { requiredBytes: requiredRecordingBytes(75) } });
    expect(w.asked.disk).toEqual([requiredRecordingBytes(75)]);
    expect(w.asked.uploaded).toEqual([BANDWIDTH_PROBE_BYTES]);
    expect(items.app_version?.status).toBe('pass');
    expect(items.ocr_engine?.status).toBe('pass');
    expect(report).toMatchObject({ hostKind: 'web', appVersion: '0.1.0', checkedAt: '2030-06-01T09:00:00.000Z' });
    // The browser's one fact about screens is kept with the report.
    expect(report.observations).toMatchObject({ os: 'linux', displays: { displays: [], extended: false }, machine: null, processes: null });
  });

  it('a second screen in a browser fails displays; a server that cannot be reached fails bandwidth and only warns on the version', async () => {
    const report = await runSystemCheck(world({ extended: true, upload: 'down', version: null }).deps, {
      policy,
      totalMinutes: 30,
      camera: async () => passing('camera'),
      microphone: async () => passing('microphone'),
    });
    const items = byId(report);
    expect(items.displays?.status).toBe('fail');
    expect(items.bandwidth).toMatchObject({ status: 'fail', figures: { error: 'network' } });
    expect(items.app_version?.status).toBe('warn');
    expect(report.observations?.displays).toEqual({ displays: [], extended: true });
  });

  it('on the desktop: evaluates the host probe and keeps only the blocked processes in the report', async () => {
    const probe: HostObservations = {
      observedAt: '2030-06-01T08:59:59.000Z',
      os: 'windows',
      displays: { displays: [{ id: '1', label: 'Built-in', internal: true, primary: true, width: 1920, height: 1080, active: true }], extended: null },
      machine: null,
      processes: [
        { pid: 10, name: 'explorer.exe', path: null },
        { pid: 11, name: 'TeamViewer.exe', path: 'C:\\Program Files\\TeamViewer\\TeamViewer.exe' },
        { pid: 12, name: 'notepad.exe', path: null },
      ],
    };
    const report = await runSystemCheck(world({ info: desktopInfo, probe }).deps, {
      policy,
      totalMinutes: 30,
      camera: async () => passing('camera'),
      microphone: async () => passing('microphone'),
    });
    const items = byId(report);
    expect(items.displays?.status).toBe('pass');
    expect(items.processes?.status).toBe('fail');
    expect(items.processes?.fix).toContain('TeamViewer');
    expect(items.fullscreen?.status).toBe('pass');
    // What the lockdown does on this Windows 11 computer, for the proctor: Alt+Tab is only detected.
    expect(items.lockdown).toMatchObject({ status: 'pass', figures: { host: 'desktop', os: 'windows', platform: 'Windows 11 (build 22631)', app_switching: 'detected', screen_capture: 'enforced' } });
    expect(SystemCheckReport.parse(report)).toEqual(report);
    expect(report.observations?.processes).toEqual([{ pid: 11, name: 'TeamViewer.exe', path: 'C:\\Program Files\\TeamViewer\\TeamViewer.exe' }]);
    expect(report.hostKind).toBe('desktop');
  });

  it('a check that throws counts as failed, and the others still report', async () => {
    const report = await runSystemCheck(world().deps, {
      policy,
      totalMinutes: 30,
      camera: async () => {
        throw new Error('bug');
      },
      microphone: async () => passing('microphone'),
    });
    const items = byId(report);
    expect(items.camera).toMatchObject({ status: 'fail', observed: 'Invigil could not run this check.' });
    expect(items.microphone?.status).toBe('pass');
    expect(report.items).toHaveLength(11);
  });

  it('an OCR engine that will not start warns but does not block; a full disk fails', async () => {
    const report = await runSystemCheck(world({ warm: false, freeBytes: 1e6 }).deps, {
      policy,
      totalMinutes: 30,
      camera: async () => passing('camera'),
      microphone: async () => passing('microphone'),
    });
    const items = byId(report);
    expect(items.ocr_engine?.status).toBe('warn');
    expect(items.disk?.status).toBe('fail');
  });
});
