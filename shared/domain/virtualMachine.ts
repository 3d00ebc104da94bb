import type { MachineObservation } from './observations';

/**
 * Is this computer a virtual machine? Reads the identity strings a host reported (as Safe Exam Browser
 * does) and keeps every reason it gives, so the learner and proctor see exactly what was seen.
 *
 * - **Strong** signals are identity strings only a hypervisor writes: manufacturer, model, BIOS or board
 *   naming VMware, VirtualBox (innotek), QEMU (SeaBIOS, OVMF, "Standard PC (Q35 …)"), KVM, Xen, Parallels,
 *   Bochs, Hyper-V ("Microsoft Corporation" + "Virtual Machine"), Apple Virtualization ("VirtualMac"),
 *   cloud instances (Amazon EC2, Google Compute Engine, OpenStack, DigitalOcean, Alibaba Cloud).
 * - **Weak** signals also occur on real computers: systeminformation's `virtual` flag and `virtualHost`
 *   (it calls this CI container virtual and reads "A M I" BIOS strings as Virtual PC), MAC prefixes of
 *   virtual adapters (WSL2, Docker, VirtualBox, VMware Workstation and libvirt put them on the host too),
 *   a "Docker Container" model, one CPU or under 1.5 GiB of memory.
 *
 * Verdict: `vm` on any strong signal. A computer whose strings name a real maker and model (or board) and
 * whose only weak signals are ones host-side virtualization explains (flag, virtualHost, MAC) is
 * `physical`, with those signals kept as notes: a Dell with WSL2 is not a virtual machine. Otherwise weak
 * signals make `possible_vm`. `unknown` when nothing readable was reported.
 */

export type VmVerdict = 'vm' | 'possible_vm' | 'physical' | 'unknown';
export type VmSignalStrength = 'strong' | 'weak';
export type VmSignalSource =
  | 'manufacturer'
  | 'model'
  | 'bios_vendor'
  | 'board_manufacturer'
  | 'board_product'
  | 'virtual_flag'
  | 'virtual_host'
  | 'mac'
  | 'resources'
  | 'container';

export interface VmSignal {
  readonly source: VmSignalSource;
  readonly strength: VmSignalStrength;
  /** The hypervisor it points to, when it names one ("VMware"). */
  readonly product: string | null;
  /** What was seen, quoted ('model "VMware Virtual Platform"'). */
  readonly evidence: string;
  /** Why a real computer may show it too (weak signals only). */
  readonly benignCause: string | null;
}

export interface VmAssessment {
  readonly verdict: VmVerdict;
  readonly signals: readonly VmSignal[];
  /** Maker and model as reported ("Dell Inc. Latitude 7420"), null when none were readable. */
  readonly identity: string | null;
  /** The hypervisors the strong signals name, de-duplicated ("VMware"). */
  readonly products: readonly string[];
}

/** Strings firmware writes when the maker left the field blank: not evidence of anything. */
const placeholders = new Set([
  '',
  '-',
  'none',
  'n/a',
  'unknown',
  'invalid',
  'oem',
  'o.e.m.',
  'to be filled by o.e.m.',
  'default string',
  'system manufacturer',
  'system product name',
  'not applicable',
  'not specified',
  'not available',
]);

const meaningful = (s: string | null): s is string => s !== null && !placeholders.has(s.trim().toLowerCase());

const strongPatterns: readonly { readonly product: string; readonly re: RegExp }[] = [
  { product: 'VMware', re: /vmware/i },
  { product: 'VirtualBox', re: /virtualbox|innotek/i },
  { product: 'QEMU', re: /\bqemu\b|seabios|\bovmf\b|^standard pc \((i440fx|q35)/i },
  { product: 'KVM', re: /\bkvm\b/i },
  { product: 'Xen', re: /^xen$|\bxen hvm\b|\bhvm domu\b/i },
  { product: 'Parallels', re: /parallels/i },
  { product: 'Bochs', re: /\bbochs\b/i },
  { product: 'Apple Virtualization', re: /^virtualmac\d/i },
  { product: 'Amazon EC2', re: /amazon ec2/i },
  { product: 'Google Compute Engine', re: /google compute engine/i },
  { product: 'OpenStack', re: /openstack/i },
  { product: 'DigitalOcean', re: /digitalocean/i },
  { product: 'Alibaba Cloud', re: /alibaba cloud/i },
];

const stringFields: readonly { readonly key: keyof MachineObservation; readonly source: VmSignalSource; readonly label: string }[] = [
  { key: 'manufacturer', source: 'manufacturer', label: 'manufacturer' },
  { key: 'model', source: 'model', label: 'model' },
  { key: 'biosVendor', source: 'bios_vendor', label: 'BIOS vendor' },
  { key: 'boardManufacturer', source: 'board_manufacturer', label: 'board maker' },
  { key: 'boardProduct', source: 'board_product', label: 'board' },
];

/** OUI prefixes of virtual network adapters, with who else puts them on a real computer. */
const virtualMacPrefixes: readonly { readonly prefix: string; readonly product: string; readonly benign: string }[] = [
  { prefix: '00:15:5d', product: 'Hyper-V', benign: 'WSL2, Docker Desktop and Hyper-V create this adapter on real Windows computers too' },
  { prefix: '00:05:69', product: 'VMware', benign: 'VMware Workstation creates such adapters on the real computer too' },
  { prefix: '00:0c:29', product: 'VMware', benign: 'VMware Workstation creates such adapters on the real computer too' },
  { prefix: '00:1c:14', product: 'VMware', benign: 'VMware Workstation creates such adapters on the real computer too' },
  { prefix: '00:50:56', product: 'VMware', benign: 'VMware Workstation creates such adapters on the real computer too' },
  { prefix: '08:00:27', product: 'VirtualBox', benign: 'VirtualBox creates such adapters on the real computer too' },
  { prefix: '0a:00:27', product: 'VirtualBox', benign: 'VirtualBox creates such adapters on the real computer too' },
  { prefix: '00:1c:42', product: 'Parallels', benign: 'Parallels Desktop creates such adapters on the real Mac too' },
  { prefix: '00:16:3e', product: 'Xen', benign: 'Xen hosts carry such adapters too' },
  { prefix: '52:54:00', product: 'QEMU/KVM', benign: 'libvirt creates such a bridge on real Linux computers too' },
  { prefix: '00:03:ff', product: 'Virtual PC', benign: 'Virtual PC hosts carry such adapters too' },
];

const GiB = 1024 ** 3;
/** Below these a computer is unusual enough to mention (systeminformation reports ~1.9 GiB for 2 GB). */
const TINY_MEMORY_BYTES = 1.5 * GiB;

/** Weak signals that virtualization software on a real computer explains. */
const hostExplained: ReadonlySet<VmSignalSource> = new Set(['virtual_flag', 'virtual_host', 'mac']);

const normalizeMac = (mac: string): string => mac.trim().toLowerCase().replace(/-/g, ':');

export function assessMachine(machine: MachineObservation | null): VmAssessment {
  if (!machine) return { verdict: 'unknown', signals: [], identity: null, products: [] };
  const signals: VmSignal[] = [];

  for (const { key, source, label } of stringFields) {
    const value = machine[key];
    if (typeof value !== 'string' || !meaningful(value)) continue;
    const hit = strongPatterns.find((p) => p.re.test(value.trim()));
    if (hit) signals.push({ source, strength: 'strong', product: hit.product, evidence: `${label} "${value.trim()}"`, benignCause: null });
  }
  // Hyper-V (and Azure) guests: "Microsoft Corporation" + "Virtual Machine". A Surface is "Microsoft
  // Corporation" + "Surface Laptop 5", so the maker alone says nothing.
  for (const { key, source, label } of stringFields.filter((f) => f.key === 'model' || f.key === 'boardProduct')) {
    const value = machine[key];
    if (typeof value === 'string' && /\bvirtual machine\b/i.test(value)) {
      const product = /microsoft/i.test(`${machine.manufacturer ?? ''} ${machine.boardManufacturer ?? ''}`) ? 'Hyper-V' : 'a hypervisor';
      signals.push({ source, strength: 'strong', product, evidence: `${label} "${value.trim()}"`, benignCause: null });
    }
  }

  if (machine.virtualFlag === true) {
    signals.push({
      source: 'virtual_flag',
      strength: 'weak',
      product: null,
      evidence: 'the system survey reports "virtual"',
      benignCause: 'it also says so on real computers with Hyper-V, WSL2 or memory integrity turned on',
    });
  }
  if (meaningful(machine.virtualHost)) {
    signals.push({
      source: 'virtual_host',
      strength: 'weak',
      product: machine.virtualHost.trim(),
      evidence: `the system survey guesses the host is "${machine.virtualHost.trim()}"`,
      benignCause: 'the guess is made from BIOS and kernel messages that real computers also print',
    });
  }
  if (machine.model && /docker container/i.test(machine.model)) {
    signals.push({ source: 'container', strength: 'weak', product: 'Docker', evidence: `model "${machine.model.trim()}"`, benignCause: null });
  }
  for (const { prefix, product, benign } of virtualMacPrefixes) {
    const macs = machine.macAddresses.map(normalizeMac).filter((m) => m.startsWith(prefix));
    if (macs.length > 0) signals.push({ source: 'mac', strength: 'weak', product, evidence: `${product} network adapter ${macs.join(', ')}`, benignCause: benign });
  }
  const tiny: string[] = [];
  if (machine.cpus !== null && machine.cpus > 0 && machine.cpus <= 1) tiny.push(`${machine.cpus} CPU`);
  if (machine.memoryBytes !== null && machine.memoryBytes > 0 && machine.memoryBytes < TINY_MEMORY_BYTES) tiny.push(`${(machine.memoryBytes / GiB).toFixed(1)} GiB of memory`);
  if (tiny.length > 0) signals.push({ source: 'resources', strength: 'weak', product: null, evidence: `only ${tiny.join(' and ')}`, benignCause: 'some very small or old computers have this little' });

  const identity = describeIdentity(machine);
  const makerModelKnown = (meaningful(machine.manufacturer) && meaningful(machine.model)) || (meaningful(machine.boardManufacturer) && meaningful(machine.boardProduct));
  const products = [...new Set(signals.filter((s) => s.strength === 'strong').map((s) => s.product ?? 'a hypervisor'))];

  let verdict: VmVerdict;
  if (products.length > 0) verdict = 'vm';
  else if (signals.length > 0) {
    const realMachine = makerModelKnown && !signals.some((s) => s.source === 'container');
    verdict = realMachine && signals.every((s) => hostExplained.has(s.source)) ? 'physical' : 'possible_vm';
  } else verdict = identity !== null || machine.virtualFlag === false ? 'physical' : 'unknown';
  return { verdict, signals, identity, products };
}

function describeIdentity(machine: MachineObservation): string | null {
  const parts = [machine.manufacturer, machine.model].filter(meaningful).map((s) => s.trim());
  if (parts.length === 0) parts.push(...[machine.boardManufacturer, machine.boardProduct].filter(meaningful).map((s) => s.trim()));
  // "Apple Inc. MacBookPro18,3"; a model that repeats the maker ("Dell Inc." + "Dell Inc.") is said once.
  return parts.length === 0 ? null : [...new Set(parts)].join(' ');
}
