import { describe, expect, it } from 'vitest';
import type { MachineObservation } from './observations';
import { assessMachine, type VmVerdict } from './virtualMachine';

const machine = (o: Partial<MachineObservation> = {}): MachineObservation => ({
  virtualFlag: false,
  virtualHost: null,
  manufacturer: null,
  model: null,
  biosVendor: null,
  boardManufacturer: null,
  boardProduct: null,
  macAddresses: [],
  cpus: 8,
  memoryBytes: 16 * 1024 ** 3,
  ...o,
});

describe('assessMachine: hypervisor strings are strong evidence', () => {
  const cases: [string, Partial<MachineObservation>, string][] = [
    ['VMware', { manufacturer: 'VMware, Inc.', model: 'VMware Virtual Platform', biosVendor: 'Phoenix Technologies LTD' }, 'VMware'],
    ['VMware (newer hardware version)', { manufacturer: 'VMware, Inc.', model: 'VMware20,1' }, 'VMware'],
    ['VirtualBox', { manufacturer: 'innotek GmbH', model: 'VirtualBox', boardManufacturer: 'Oracle Corporation', boardProduct: 'VirtualBox' }, 'VirtualBox'],
    ['QEMU i440FX', { manufacturer: 'QEMU', model: 'Standard PC (i440FX + PIIX, 1996)', biosVendor: 'SeaBIOS' }, 'QEMU'],
    ['QEMU Q35 with OVMF, blank maker', { manufacturer: '', model: 'Standard PC (Q35 + ICH9, 2009)', biosVendor: 'EFI Development Kit II / OVMF' }, 'QEMU'],
    ['KVM', { manufacturer: 'Red Hat', model: 'KVM' }, 'KVM'],
    ['Xen HVM', { manufacturer: 'Xen', model: 'HVM domU' }, 'Xen'],
    ['Parallels', { manufacturer: 'Parallels Software International Inc.', model: 'Parallels Virtual Platform' }, 'Parallels'],
    ['Parallels on Apple silicon', { manufacturer: 'Parallels International GmbH.', model: 'Parallels ARM Virtual Machine' }, 'Parallels'],
    ['Bochs', { manufacturer: 'Bochs', model: 'Bochs' }, 'Bochs'],
    ['Hyper-V guest', { manufacturer: 'Microsoft Corporation', model: 'Virtual Machine', boardProduct: 'Virtual Machine' }, 'Hyper-V'],
    ['Amazon EC2', { manufacturer: 'Amazon EC2', model: 't3.large', biosVendor: 'Amazon EC2' }, 'Amazon EC2'],
    ['Google Compute Engine', { manufacturer: 'Google', model: 'Google Compute Engine', biosVendor: 'Google' }, 'Google Compute Engine'],
    ['macOS guest (Apple Virtualization)', { manufacturer: 'Apple Inc.', model: 'VirtualMac2,1' }, 'Apple Virtualization'],
    ['OpenStack', { manufacturer: 'OpenStack Foundation', model: 'OpenStack Nova' }, 'OpenStack'],
  ];
  it.each(cases)('%s → vm', (_name, o, product) => {
    const a = assessMachine(machine(o));
    expect(a.verdict).toBe('vm');
    expect(a.products).toContain(product);
    expect(a.signals.filter((s) => s.strength === 'strong').length).toBeGreaterThan(0);
    // Each strong signal quotes the string it saw.
    for (const s of a.signals.filter((x) => x.strength === 'strong')) expect(s.evidence).toMatch(/".+"/);
  });
});

describe('assessMachine: real computers are physical (false alarms are the worst failure)', () => {
  const cases: [string, Partial<MachineObservation>][] = [
    ['Dell laptop', { manufacturer: 'Dell Inc.', model: 'Latitude 7420', biosVendor: 'Dell Inc.', boardManufacturer: 'Dell Inc.', boardProduct: '0X3VJV' }],
    ['Lenovo ThinkPad', { manufacturer: 'LENOVO', model: '20XW004GUS', biosVendor: 'LENOVO', boardManufacturer: 'LENOVO', boardProduct: '20XW004GUS' }],
    ['Apple MacBook Pro', { manufacturer: 'Apple Inc.', model: 'MacBookPro18,3', biosVendor: null, boardManufacturer: 'Apple Inc.', boardProduct: 'Mac-E1008331FDC96864' }],
    ['Microsoft Surface (maker alone is not Hyper-V)', { manufacturer: 'Microsoft Corporation', model: 'Surface Laptop 5', biosVendor: 'Microsoft Corporation' }],
    ['HP with an AMI BIOS', { manufacturer: 'HP', model: 'HP EliteBook 840 G8 Notebook PC', biosVendor: 'American Megatrends International, LLC.' }],
    [
      'self-built desktop with placeholder strings',
      { manufacturer: 'System manufacturer', model: 'System Product Name', biosVendor: 'American Megatrends Inc.', boardManufacturer: 'ASUSTeK COMPUTER INC.', boardProduct: 'PRIME B550M-A' },
    ],
    ['Xiaomi (no word-boundary "xen"/"kvm" misreads)', { manufacturer: 'XIAOMI', model: 'Redmi Book Pro 15 2022 Xenon', boardProduct: 'TM2113' }],
  ];
  it.each(cases)('%s → physical, no signals', (_name, o) => {
    const a = assessMachine(machine(o));
    expect(a.verdict).toBe('physical');
    expect(a.signals).toEqual([]);
    expect(a.identity).not.toBeNull();
  });

  it('a Dell with WSL2 (Hyper-V vEthernet MAC) and the survey flag set stays physical, with the signals kept as notes', () => {
    const a = assessMachine(
      machine({ manufacturer: 'Dell Inc.', model: 'XPS 13 9310', virtualFlag: true, virtualHost: 'Hyper-V', macAddresses: ['f8:e4:3b:12:34:56', '00:15:5d:a1:b2:c3'] }),
    );
    expect(a.verdict).toBe('physical');
    expect(a.signals.map((s) => [s.source, s.strength])).toEqual([
      ['virtual_flag', 'weak'],
      ['virtual_host', 'weak'],
      ['mac', 'weak'],
    ]);
    expect(a.signals.find((s) => s.source === 'mac')?.evidence).toContain('00:15:5d:a1:b2:c3');
    expect(a.signals.every((s) => s.benignCause !== null)).toBe(true);
  });

  it('a ThinkPad with VirtualBox and VMware Workstation installed (host-only adapters) stays physical', () => {
    const a = assessMachine(machine({ manufacturer: 'LENOVO', model: '21A0003XGE', macAddresses: ['0a:00:27:00:00:0c', '00:50:56:c0:00:08'] }));
    expect(a.verdict).toBe('physical');
    expect(a.signals.map((s) => s.product)).toEqual(['VMware', 'VirtualBox']);
  });
});

describe('assessMachine: weak signals alone make possible_vm', () => {
  it('the systeminformation flag alone, with no readable strings', () => {
    const a = assessMachine(machine({ virtualFlag: true }));
    expect(a.verdict).toBe('possible_vm');
    expect(a.signals).toHaveLength(1);
    expect(a.signals[0]).toMatchObject({ source: 'virtual_flag', strength: 'weak' });
  });

  it('this CI container as systeminformation 5.33 reports it', () => {
    const a = assessMachine(
      machine({ virtualFlag: true, virtualHost: 'KVM', manufacturer: '', model: 'Docker Container', biosVendor: '', boardManufacturer: '', boardProduct: '', macAddresses: ['02:fc:00:00:00:01'], cpus: 2 }),
    );
    expect(a.verdict).toBe('possible_vm');
    expect(a.signals.map((s) => s.source).sort()).toEqual(['container', 'virtual_flag', 'virtual_host']);
  });

  it('a VirtualBox guest MAC written with dashes in upper case, strings unreadable', () => {
    const a = assessMachine(machine({ macAddresses: ['08-00-27-AA-BB-CC'] }));
    expect(a.verdict).toBe('possible_vm');
    expect(a.signals[0]?.evidence).toContain('08:00:27:aa:bb:cc');
  });

  it('one CPU and 1 GiB of memory are not explained by a maker name', () => {
    const a = assessMachine(machine({ manufacturer: 'Dell Inc.', model: 'OptiPlex 3020', cpus: 1, memoryBytes: 1024 ** 3 }));
    expect(a.verdict).toBe('possible_vm');
    expect(a.signals[0]?.evidence).toBe('only 1 CPU and 1.0 GiB of memory');
  });

  it('2 GB of RAM as reported (1.9 GiB) is not tiny', () => {
    expect(assessMachine(machine({ manufacturer: 'ASUSTeK COMPUTER INC.', model: 'E210MA', cpus: 2, memoryBytes: 1.9 * 1024 ** 3 })).verdict).toBe('physical');
  });
});

describe('assessMachine: verdict table', () => {
  const cases: [string, MachineObservation | null, VmVerdict][] = [
    ['not observed', null, 'unknown'],
    ['nothing readable', machine({ virtualFlag: null, cpus: null, memoryBytes: null }), 'unknown'],
    ['nothing readable but the survey says not virtual', machine({ virtualFlag: false }), 'physical'],
    ['strong and weak together', machine({ manufacturer: 'VMware, Inc.', model: 'VMware7,1', virtualFlag: true, macAddresses: ['00:0c:29:11:22:33'] }), 'vm'],
    ['placeholder strings only, flag set', machine({ manufacturer: 'To Be Filled By O.E.M.', model: 'To Be Filled By O.E.M.', virtualFlag: true }), 'possible_vm'],
  ];
  it.each(cases)('%s → %s', (_name, m, verdict) => {
    expect(assessMachine(m).verdict).toBe(verdict);
  });

  it('keeps every signal of a VM, strong and weak', () => {
    const a = assessMachine(machine({ manufacturer: 'VMware, Inc.', model: 'VMware7,1', virtualFlag: true, macAddresses: ['00:0c:29:11:22:33'] }));
    expect(a.signals.map((s) => s.evidence)).toEqual([
      'manufacturer "VMware, Inc."',
      'model "VMware7,1"',
      'the system survey reports "virtual"',
      'VMware network adapter 00:0c:29:11:22:33',
    ]);
    expect(a.products).toEqual(['VMware']);
  });
});
