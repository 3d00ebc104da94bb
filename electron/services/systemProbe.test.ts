import si from 'systeminformation';
import { describe, expect, it } from 'vitest';
import { HostObservations } from '../../shared/domain/observations';
import { silentLogger, type Logger } from '../log';
import { physicalMacs, SiSystemProbe, unsupportedProbe, type SystemInformationSource } from './systemProbe';

const now = () => Date.parse('2026-01-05T09:00:00.000Z');
const displays = () => ({ displays: [], extended: null });

const fakeSi = (overrides: Partial<SystemInformationSource> = {}): SystemInformationSource => ({
  system: async () => ({ manufacturer: 'innotek GmbH', model: 'VirtualBox', virtual: true, virtualHost: 'VirtualBox' }),
  bios: async () => ({ vendor: 'innotek GmbH' }),
  baseboard: async () => ({ manufacturer: 'Oracle Corporation', model: 'VirtualBox' }),
  networkInterfaces: async () => [
    { iface: 'eth0', mac: '08:00:27:AB:CD:EF', internal: false, virtual: false },
    { iface: 'lo', mac: '00:00:00:00:00:00', internal: true, virtual: false },
    { iface: 'vboxnet0', mac: '0a:00:27:00:00:00', internal: false, virtual: false },
    { iface: 'docker0', mac: '02:42:ac:11:00:02', internal: false, virtual: true },
  ],
  cpu: async () => ({ cores: 2 }),
  mem: async () => ({ total: 2 * 1024 ** 3 }),
  processes: async () => ({ list: [{ pid: 7, name: 'TeamViewer.exe', path: 'C:\\Program Files\\TeamViewer' }, { pid: 8, name: 'zoom.us', path: '' }] }),
  ...overrides,
});

describe('SiSystemProbe', () => {
  it('reports the machine identity strings, physical MACs, CPUs, memory and processes', async () => {
    const observed = await new SiSystemProbe({ si: fakeSi(), displays, platform: 'win32', now, log: silentLogger }).probe();
    expect(HostObservations.parse(observed)).toEqual({
      observedAt: '2026-01-05T09:00:00.000Z',
      os: 'windows',
      displays: { displays: [], extended: null },
      machine: {
        virtualFlag: true,
        virtualHost: 'VirtualBox',
        manufacturer: 'innotek GmbH',
        model: 'VirtualBox',
        biosVendor: 'innotek GmbH',
        boardManufacturer: 'Oracle Corporation',
        boardProduct: 'VirtualBox',
        macAddresses: ['08:00:27:ab:cd:ef'],
        cpus: 2,
        memoryBytes: 2 * 1024 ** 3,
      },
      processes: [
        { pid: 7, name: 'TeamViewer.exe', path: 'C:\\Program Files\\TeamViewer' },
        { pid: 8, name: 'zoom.us', path: null },
      ],
    });
  });

  it('turns each failing part into null (or empty) without hiding the others, and never throws', async () => {
    const warnings: string[] = [];
    const log: Logger = { ...silentLogger, warn: (msg, fields) => warnings.push(`${msg}:${String(fields?.part)}`) };
    const boom = async () => {
      throw new Error('WMI is broken');
    };
    const probe = new SiSystemProbe({
      si: fakeSi({ system: boom, processes: boom, networkInterfaces: boom }),
      displays: () => {
        throw new Error('screen gone');
      },
      platform: 'linux',
      now,
      log,
    });
    const observed = await probe.probe();
    expect(observed.displays).toBeNull();
    expect(observed.processes).toBeNull();
    expect(observed.machine).toMatchObject({ virtualFlag: null, manufacturer: null, biosVendor: 'innotek GmbH', macAddresses: [], cpus: 2 });
    expect(warnings.sort()).toEqual(['probe: part failed:displays', 'probe: part failed:networkInterfaces', 'probe: part failed:processes', 'probe: part failed:system']);
    const nothing = async () => {
      throw new Error('no');
    };
    const blind = new SiSystemProbe({
      si: { system: nothing, bios: nothing, baseboard: nothing, networkInterfaces: nothing, cpu: nothing, mem: nothing, processes: nothing },
      displays,
      platform: 'freebsd',
      now,
      log: silentLogger,
    });
    expect(await blind.probe()).toMatchObject({ os: 'other', machine: null, processes: null });
  });

  it('gives up on a part that hangs', async () => {
    const hang = () => new Promise<never>(() => undefined);
    const probe = new SiSystemProbe({ si: fakeSi({ processes: hang }), displays, platform: 'win32', now, log: silentLogger, timeoutMs: 20 });
    expect(await probe.processes()).toBeNull();
  });

  it('keeps host-side hypervisor and VPN adapters out of the MAC list', () => {
    expect(
      physicalMacs([
        { iface: 'en0', mac: 'A4-83-E7-12-34-56', internal: false, virtual: false },
        { iface: 'vmnet8', mac: '00:50:56:c0:00:08', internal: false, virtual: false },
        { iface: 'utun3', mac: 'aa:bb:cc:dd:ee:ff', internal: false, virtual: false },
        { iface: 'wlan0', mac: 'not a mac', internal: false, virtual: false },
        { iface: 'en1', mac: 'a4:83:e7:12:34:56', internal: false, virtual: false },
      ]),
    ).toEqual(['a4:83:e7:12:34:56']);
  });
});

describe('SiSystemProbe on this machine (real systeminformation)', () => {
  it('finds this test process and produces a reply the contract accepts', async () => {
    const probe = new SiSystemProbe({ si, displays: () => null, platform: process.platform, now: Date.now, log: silentLogger });
    const observed = HostObservations.parse(await probe.probe());
    expect(observed.os).toBe('linux');
    expect(observed.processes?.some((p) => p.pid === process.pid)).toBe(true);
    expect(observed.machine?.cpus).toBeGreaterThan(0);
    expect(observed.machine?.memoryBytes).toBeGreaterThan(0);
  }, 30_000);
});

describe('unsupportedProbe (web host)', () => {
  it('vouches for nothing', async () => {
    expect(await unsupportedProbe('darwin', now).probe()).toEqual({
      observedAt: '2026-01-05T09:00:00.000Z',
      os: 'macos',
      displays: null,
      machine: null,
      processes: null,
    });
  });
});
