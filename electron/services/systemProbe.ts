import type { DisplaysObservation, HostObservations, MachineObservation, OsFamily, ProcessInfo } from '../../shared/domain/observations';
import type { Logger } from '../log';

/**
 * One look at the computer for `system:probe` and the lockdown's process scans.
 * It only observes: what the facts mean for an exam is decided by the renderer's pure
 * policy code. Every part is independent and null when it could not be read, so one failing probe
 * (WMI hung, /sys unreadable) never hides the others and never throws.
 */
export interface SystemProbe {
  probe(): Promise<HostObservations>;
  /** The process list alone, for the periodic scans; null when it cannot be read. */
  processes(): Promise<ProcessInfo[] | null>;
}

/** The part of `systeminformation` the probe reads (the module itself satisfies it). */
export interface SystemInformationSource {
  system(): Promise<{ manufacturer: string; model: string; virtual: boolean; virtualHost?: string }>;
  bios(): Promise<{ vendor: string }>;
  baseboard(): Promise<{ manufacturer: string; model: string }>;
  networkInterfaces(): Promise<readonly { iface: string; mac: string; internal: boolean; virtual: boolean }[] | { iface: string; mac: string; internal: boolean; virtual: boolean }>;
  cpu(): Promise<{ cores: number }>;
  mem(): Promise<{ total: number }>;
  processes(): Promise<{ list: readonly { pid: number; name: string; path?: string; command?: string }[] }>;
}

export function osFamily(platform: string): OsFamily {
  if (platform === 'win32') return 'windows';
  if (platform === 'darwin') return 'macos';
  if (platform === 'linux') return 'linux';
  return 'other';
}

/**
 * Interfaces that exist on a real computer too and say nothing about the machine itself: loopback,
 * containers, VPNs, and the host side of hypervisors (a VMware or VirtualBox host adapter carries a
 * VM vendor's MAC prefix and would make a real computer look like a VM).
 */
const notPhysical = /^(lo|docker|veth|br-|virbr|vmnet|vboxnet|vnic|tun|tap|utun|wg|zt|tailscale|awdl|llw|anpi|bridge|ham)/i;
const macPattern = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

export function physicalMacs(interfaces: readonly { iface: string; mac: string; internal: boolean; virtual: boolean }[]): string[] {
  const macs = interfaces
    .filter((nic) => !nic.internal && !nic.virtual && !notPhysical.test(nic.iface))
    .map((nic) => nic.mac.toLowerCase().replaceAll('-', ':'))
    .filter((mac) => macPattern.test(mac) && mac !== '00:00:00:00:00:00');
  return [...new Set(macs)].slice(0, 64);
}

const text = (value: unknown, max = 200): string | null => {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed.slice(0, max);
};

export interface SiSystemProbeOptions {
  readonly si: SystemInformationSource;
  /** Displays as the Electron screen sees them (adapters/displays.ts); null where it cannot. */
  readonly displays: () => DisplaysObservation | null;
  readonly platform: string;
  readonly now: () => number;
  readonly log: Logger;
  /** A part that has not answered by then counts as unreadable (WMI can hang for minutes). */
  readonly timeoutMs?: number;
}

export class SiSystemProbe implements SystemProbe {
  constructor(private readonly options: SiSystemProbeOptions) {}

  async probe(): Promise<HostObservations> {
    const [machine, processes] = await Promise.all([this.machine(), this.processes()]);
    return {
      observedAt: new Date(this.options.now()).toISOString(),
      os: osFamily(this.options.platform),
      displays: this.guardSync('displays', this.options.displays),
      machine,
      processes,
    };
  }

  async processes(): Promise<ProcessInfo[] | null> {
    const data = await this.part('processes', () => this.options.si.processes());
    if (data === null) return null;
    return data.list
      .filter((p) => Number.isInteger(p.pid) && p.pid >= 0 && typeof p.name === 'string' && p.name !== '')
      .slice(0, 5000)
      .map((p) => ({ pid: p.pid, name: p.name.slice(0, 260), path: text(p.path, 1024) }));
  }

  private async machine(): Promise<MachineObservation | null> {
    const { si } = this.options;
    const [system, bios, board, nics, cpu, mem] = await Promise.all([
      this.part('system', () => si.system()),
      this.part('bios', () => si.bios()),
      this.part('baseboard', () => si.baseboard()),
      this.part('networkInterfaces', () => si.networkInterfaces()),
      this.part('cpu', () => si.cpu()),
      this.part('mem', () => si.mem()),
    ]);
    if ([system, bios, board, nics, cpu, mem].every((part) => part === null)) return null;
    const list = nics === null ? [] : Array.isArray(nics) ? nics : [nics];
    return {
      virtualFlag: typeof system?.virtual === 'boolean' ? system.virtual : null,
      virtualHost: text(system?.virtualHost),
      manufacturer: text(system?.manufacturer),
      model: text(system?.model),
      biosVendor: text(bios?.vendor),
      boardManufacturer: text(board?.manufacturer),
      boardProduct: text(board?.model),
      macAddresses: physicalMacs(list),
      cpus: Number.isInteger(cpu?.cores) && (cpu?.cores ?? -1) >= 0 ? (cpu?.cores ?? null) : null,
      memoryBytes: typeof mem?.total === 'number' && mem.total >= 0 ? mem.total : null,
    };
  }

  private async part<T>(name: string, read: () => Promise<T>): Promise<T | null> {
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => {
        this.options.log.warn('probe: part timed out', { part: name, timeoutMs });
        resolve(null);
      }, timeoutMs);
      timer.unref?.();
    });
    try {
      return await Promise.race([
        read().catch((error: unknown) => {
          this.options.log.warn('probe: part failed', { part: name, error: error instanceof Error ? error.name : typeof error });
          return null;
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private guardSync<T>(name: string, read: () => T | null): T | null {
    try {
      return read();
    } catch (error) {
      this.options.log.warn('probe: part failed', { part: name, error: error instanceof Error ? error.name : typeof error });
      return null;
    }
  }
}

/** The web host's probe: a Node process serving a browser page can vouch for none of it. */
export function unsupportedProbe(platform: string, now: () => number): SystemProbe {
  return {
    probe: async () => ({ observedAt: new Date(now()).toISOString(), os: osFamily(platform), displays: null, machine: null, processes: null }),
    processes: async () => null,
  };
}
