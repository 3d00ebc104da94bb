import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CheckItem } from '../api/checks';
import { SessionEvent, type SessionEventInput } from '../api/events';
import { ExamDefinition } from '../api/exams';
import { ExamPolicy, type ExamPolicyInput, resolvePolicy } from './examPolicy';
import type { DisplayInfo, HostObservations, LockdownObservation, MachineObservation, ProcessInfo } from './observations';
import {
  closeOpen,
  evaluateDisplays,
  evaluateEvent,
  evaluateProcesses,
  evaluateStart,
  evaluateVirtualMachine,
  formatDuration,
  initialLockdownState,
  type LockdownState,
  virtualMachineEvent,
} from './policyEvaluation';

const policy = (o: ExamPolicyInput = {}): ExamPolicy => ExamPolicy.parse(o);
const display = (o: Partial<DisplayInfo> & { x?: number; y?: number } = {}): DisplayInfo => ({
  id: '1',
  label: 'Built-in Retina Display',
  internal: true,
  primary: true,
  width: 1512,
  height: 982,
  active: true,
  ...o,
});
const external = (o: Partial<DisplayInfo> & { x?: number; y?: number } = {}): DisplayInfo =>
  display({ id: '2', label: 'DELL U2720Q', internal: false, primary: false, width: 2560, height: 1440, ...o });
const machine = (o: Partial<MachineObservation> = {}): MachineObservation => ({
  virtualFlag: false,
  virtualHost: null,
  manufacturer: 'Dell Inc.',
  model: 'Latitude 7420',
  biosVendor: 'Dell Inc.',
  boardManufacturer: 'Dell Inc.',
  boardProduct: '0X3VJV',
  macAddresses: ['f8:e4:3b:12:34:56'],
  cpus: 8,
  memoryBytes: 16 * 1024 ** 3,
  ...o,
});
const proc = (name: string, pid = 100): ProcessInfo => ({ pid, name, path: null });
const idGen = (): (() => string) => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
};
const T0 = Date.parse('2026-11-20T09:00:00.000Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

/** Every item a learner sees must fit the wire schema. */
const valid = (item: CheckItem): CheckItem => CheckItem.parse(item);

describe('displays check', () => {
  const cases: [string, DisplayInfo[], number, CheckItem['status'], number][] = [
    ['one built-in display', [display()], 1, 'pass', 1],
    ['closed lid (inactive, zero area) with an external monitor', [display({ active: false, width: 0, height: 0 }), external({ primary: true })], 1, 'pass', 1],
    ['closed lid reported inactive with its last size', [display({ active: false }), external({ primary: true })], 1, 'pass', 1],
    ['mirrored: identical bounds count once', [display({ x: 0, y: 0, width: 1920, height: 1080 }), external({ x: 0, y: 0, width: 1920, height: 1080 })], 1, 'pass', 1],
    ['the same display reported twice', [display(), display()], 1, 'pass', 1],
    ['laptop and an extended monitor', [display(), external()], 1, 'fail', 2],
    ['two identical monitors side by side (same size, different place)', [external({ id: 'a', x: 0, y: 0 }), external({ id: 'b', x: 2560, y: 0 })], 1, 'fail', 2],
    ['two identical monitors without positions are not merged', [external({ id: 'a' }), external({ id: 'b' })], 1, 'fail', 2],
    ['two displays where the exam allows two', [display(), external()], 2, 'pass', 2],
    ['three displays where the exam allows two', [display(), external(), external({ id: '3', label: 'LG HDR 4K' })], 2, 'fail', 3],
  ];
  it.each(cases)('%s', (_name, displays, maxDisplays, status, inUse) => {
    const item = valid(evaluateDisplays(policy({ maxDisplays }), { displays, extended: null }, null));
    expect(item.status).toBe(status);
    expect(item.figures.inUse).toBe(inUse);
    expect(item.fix === null).toBe(status === 'pass');
  });

  it('says what it saw and what it did not count', () => {
    const item = evaluateDisplays(policy(), { displays: [display({ active: false, width: 0, height: 0 }), external({ primary: true })], extended: null }, null);
    expect(item.observed).toBe('1 display in use: DELL U2720Q 2560×1440; not counted: Built-in Retina Display (turned off or lid closed); this exam allows 1.');
  });

  it('names the extra, non-primary display in the fix', () => {
    const item = evaluateDisplays(policy(), { displays: [display(), external()], extended: null }, null);
    expect(item.observed).toBe('2 displays in use: Built-in Retina Display 1512×982, DELL U2720Q 2560×1440; this exam allows 1.');
    expect(item.fix).toMatch(/^Unplug or turn off DELL U2720Q, .*then check again\.$/);
  });

  it('lets the host list decide over the browser (a mirror makes no screen "extended")', () => {
    expect(evaluateDisplays(policy(), { displays: [display()], extended: null }, true).status).toBe('pass');
  });

  const browserOnly: [string, boolean | null, boolean | null, number, CheckItem['status']][] = [
    ['browser says extended', true, null, 1, 'fail'],
    ['observation says extended', null, true, 1, 'fail'],
    ['browser says one screen', false, null, 1, 'pass'],
    ['browser cannot tell', null, null, 1, 'unsupported'],
    ['extended where two are allowed: count unknown', true, null, 2, 'warn'],
  ];
  it.each(browserOnly)('web host: %s', (_name, browserExtended, observedExtended, maxDisplays, status) => {
    const item = valid(evaluateDisplays(policy({ maxDisplays }), { displays: [], extended: observedExtended }, browserExtended));
    expect(item.status).toBe(status);
    if (status === 'fail') expect(item.fix).toContain('Unplug or turn off the extra screen');
  });

  it('is unsupported, not passed, when nothing was observed', () => {
    expect(evaluateDisplays(policy(), null, null).status).toBe('unsupported');
  });
});

describe('virtual machine check', () => {
  const vmware = machine({ manufacturer: 'VMware, Inc.', model: 'VMware Virtual Platform', boardManufacturer: 'Intel Corporation', boardProduct: '440BX Desktop Reference Platform', biosVendor: 'Phoenix Technologies LTD' });
  const flagOnly = machine({ manufacturer: null, model: null, biosVendor: null, boardManufacturer: null, boardProduct: null, virtualFlag: true });
  const wsl2Dell = machine({ virtualFlag: true, macAddresses: ['f8:e4:3b:12:34:56', '00:15:5d:a1:b2:c3'] });
  const cases: [string, 'refuse' | 'flag' | 'allow', MachineObservation | null, CheckItem['status']][] = [
    ['refuse + VMware strings', 'refuse', vmware, 'fail'],
    ['refuse + survey flag only', 'refuse', flagOnly, 'warn'],
    ['refuse + Dell with WSL2', 'refuse', wsl2Dell, 'pass'],
    ['refuse + Dell', 'refuse', machine(), 'pass'],
    ['flag + VMware strings', 'flag', vmware, 'warn'],
    ['flag + survey flag only', 'flag', flagOnly, 'warn'],
    ['allow + VMware strings', 'allow', vmware, 'pass'],
    ['allow + survey flag only', 'allow', flagOnly, 'pass'],
    ['not observed (browser)', 'refuse', null, 'unsupported'],
  ];
  it.each(cases)('%s → %s', (_name, virtualMachines, m, status) => {
    const item = valid(evaluateVirtualMachine(policy({ virtualMachines }), m));
    expect(item.status).toBe(status);
    expect(item.fix === null).toBe(status === 'pass' || status === 'unsupported');
  });

  it('shows the learner the strings it saw and what to do', () => {
    const item = evaluateVirtualMachine(policy(), vmware);
    expect(item.observed).toBe(
      'VMware, Inc. VMware Virtual Platform: this looks like a virtual machine (VMware): manufacturer "VMware, Inc."; model "VMware Virtual Platform".',
    );
    expect(item.fix).toBe('This exam cannot be taken in a virtual machine: start Invigil on the computer itself, not inside VMware, then check again.');
    expect(item.figures).toMatchObject({ verdict: 'vm', strongSignals: 2, weakSignals: 0 });
  });

  it('tells a WSL2 laptop why its Hyper-V adapter is fine', () => {
    const item = evaluateVirtualMachine(policy(), wsl2Dell);
    expect(item.observed).toContain('Dell Inc. Latitude 7420: no sign of a virtual machine');
    expect(item.observed).toContain('Hyper-V network adapter 00:15:5d:a1:b2:c3 (WSL2, Docker Desktop and Hyper-V create this adapter on real Windows computers too)');
  });

  it('passes a weak-only verdict to the proctor without blocking', () => {
    const item = evaluateVirtualMachine(policy(), flagOnly);
    expect(item.fix).toBe('Nothing to do if this is your own computer: you may start, and the proctor will see this note.');
    expect(item.figures.evidence).toBe('the system survey reports "virtual"');
  });
});

describe('processes check', () => {
  it('is unsupported when the host cannot list processes', () => {
    const item = valid(evaluateProcesses(policy(), 'other', null));
    expect(item.status).toBe('unsupported');
  });

  it('passes a clean computer, WebView2 and crash handlers included', () => {
    const item = valid(evaluateProcesses(policy(), 'windows', [proc('explorer.exe'), proc('msedgewebview2.exe'), proc('svchost.exe'), proc('Invigil.exe')]));
    expect(item.status).toBe('pass');
    expect(item.observed).toBe('No blocked programs among 4 running processes.');
  });

  it('lists blocked apps by name and category, and says to quit them', () => {
    const running = [proc('chrome.exe', 1), proc('chrome.exe', 2), proc('TeamViewer.exe', 3), proc('Zoom.exe', 4), proc('notepad.exe', 5)];
    const item = valid(evaluateProcesses(policy(), 'windows', running));
    expect(item.status).toBe('fail');
    expect(item.observed).toBe('Running: TeamViewer (remote control), Zoom (screen sharing), Google Chrome (web browser).');
    expect(item.fix).toBe(
      'Quit these, then check again: TeamViewer, Zoom and Google Chrome; TeamViewer and Zoom keep running in the system tray or menu bar after the window closes, so quit from there.',
    );
    expect(item.figures).toMatchObject({ running: 5, blocked: 3, executables: 'TeamViewer.exe, Zoom.exe, chrome.exe' });
  });

  it('exempts allowedApplications and says so', () => {
    const item = valid(evaluateProcesses(policy({ allowedApplications: ['Zoom.exe'] }), 'windows', [proc('Zoom.exe')]));
    expect(item.status).toBe('pass');
    expect(item.observed).toBe('No blocked programs among 1 running process. Allowed by this exam: Zoom.');
  });

  it('blocks only the categories the exam blocks', () => {
    expect(evaluateProcesses(policy({ blockedCategories: ['remote_control'] }), 'macos', [proc('Google Chrome'), proc('zoom.us')]).status).toBe('pass');
  });
});

describe('evaluateStart', () => {
  const desktop: HostObservations = {
    observedAt: at(0),
    os: 'windows',
    displays: { displays: [display()], extended: null },
    machine: machine(),
    processes: [proc('explorer.exe')],
  };

  it('returns exactly the three computer checks, in order', () => {
    const items = evaluateStart(policy(), desktop, { extended: null }).map(valid);
    expect(items.map((i) => [i.id, i.status])).toEqual([
      ['displays', 'pass'],
      ['virtual_machine', 'pass'],
      ['processes', 'pass'],
    ]);
  });

  it('never passes what a browser cannot see', () => {
    const web: HostObservations = { observedAt: at(0), os: 'other', displays: null, machine: null, processes: null };
    expect(evaluateStart(policy(), web, { extended: false }).map((i) => [i.id, i.status])).toEqual([
      ['displays', 'pass'],
      ['virtual_machine', 'unsupported'],
      ['processes', 'unsupported'],
    ]);
    expect(evaluateStart(policy(), web, { extended: null }).every((i) => i.status === 'unsupported')).toBe(true);
  });
});

// ---------------------------------------------------------------- events

/** Runs observations through the reducer, collecting every event. */
function run(p: ExamPolicy, observations: LockdownObservation[], state: LockdownState = initialLockdownState('windows', [display()])) {
  const newId = idGen();
  const events: SessionEventInput[] = [];
  for (const o of observations) {
    const step = evaluateEvent(p, Object.freeze(state), o, newId);
    state = step.state;
    events.push(...step.events);
  }
  for (const e of events) SessionEvent.parse(e);
  return { state, events, newId };
}

describe('focus loss', () => {
  it.each([
    [4, 0],
    [5, 0], // exactly the grace: tolerated
    [6, 1],
  ])('lost for %i s with a 5 s grace → %i events', (secs, count) => {
    const { events } = run(policy({ focusLossGraceSeconds: 5 }), [
      { kind: 'focus_lost', at: at(0) },
      { kind: 'focus_regained', at: at(secs) },
    ]);
    expect(events).toHaveLength(count);
  });

  it('reports one interval from the first loss to the return, with its duration', () => {
    const { events } = run(policy(), [
      { kind: 'focus_lost', at: at(10) },
      { kind: 'focus_lost', at: at(20) },
      { kind: 'focus_regained', at: at(100) },
      { kind: 'focus_regained', at: at(110) },
    ]);
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'focus_lost',
        severity: 'medium',
        startedAt: at(10),
        endedAt: at(100),
        reason: 'The exam window lost focus for 1 min 30 s (another window or app was in front) before the learner came back.',
        detail: { seconds: 90, graceSeconds: 5 },
      }),
    ]);
  });

  it('closes an interval still open at the end of the exam', () => {
    const p = policy();
    const { state, newId } = run(p, [{ kind: 'focus_lost', at: at(0) }]);
    const end = closeOpen(p, state, at(30), newId);
    expect(end.events).toEqual([expect.objectContaining({ kind: 'focus_lost', startedAt: at(0), endedAt: at(30), severity: 'low' })]);
    expect(end.state.focusLostAt).toBeNull();
    expect(closeOpen(p, state, at(3), newId).events).toEqual([]);
  });
});

describe('full screen, sleep and instant events', () => {
  it('reports leaving full screen with how long it lasted', () => {
    const { events } = run(policy(), [
      { kind: 'fullscreen_exited', at: at(0) },
      { kind: 'fullscreen_entered', at: at(12) },
    ]);
    expect(events).toEqual([expect.objectContaining({ kind: 'fullscreen_exited', severity: 'medium', endedAt: at(12), reason: 'The exam left full screen for 12 s.' })]);
  });

  it('reports sleep with its duration at resume', () => {
    const { events } = run(policy(), [
      { kind: 'suspend', at: at(0) },
      { kind: 'resume', at: at(252) },
      { kind: 'resume', at: at(300) },
    ]);
    expect(events).toEqual([expect.objectContaining({ kind: 'suspend', startedAt: at(0), endedAt: at(252), reason: 'The computer was asleep for 4 min 12 s.' })]);
  });

  it.each([
    [{ kind: 'shortcut_blocked', at: at(1), action: 'devtools' }, 'shortcut_blocked', 'low', 'devtools'],
    [{ kind: 'quit_requested', at: at(1) }, 'quit_requested', 'info', 'quit'],
    [{ kind: 'translator_navigation_blocked', at: at(1), origin: 'https://example.com', reason: 'off-origin' }, 'translator_navigation_blocked', 'low', 'https://example.com'],
    [{ kind: 'host_incident', at: at(1), incident: 'renderer_crashed', outcome: 'reloaded', detail: '' }, 'app_incident', 'info', 'crashed; the app reloaded'],
    [{ kind: 'host_incident', at: at(1), incident: 'learner_left', outcome: 'released', detail: 'Fire alarm' }, 'app_incident', 'low', 'Reason given: “Fire alarm”'],
  ] as const)('%o → %s (%s)', (observation, kind, severity, mentioned) => {
    const { events } = run(policy(), [observation]);
    expect(events).toEqual([expect.objectContaining({ kind, severity, startedAt: at(1), endedAt: null })]);
    expect(events[0]?.reason).toContain(mentioned);
  });
});

describe('displays during the exam', () => {
  it('flags a display added beyond the limit, not one that stays within it', () => {
    const { events, state } = run(policy({ maxDisplays: 1 }), [
      { kind: 'display_added', at: at(5), display: external({ active: false, width: 0, height: 0 }) },
      { kind: 'display_added', at: at(6), display: external() },
    ]);
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'display_added',
        severity: 'high',
        startedAt: at(6),
        reason: 'A display was connected: DELL U2720Q 2560×1440; 2 displays in use, this exam allows 1.',
      }),
    ]);
    expect(state.displays).toHaveLength(2);
  });

  it('allows a second display where the exam allows two, and flags the third', () => {
    const { events } = run(policy({ maxDisplays: 2 }), [
      { kind: 'display_added', at: at(5), display: external() },
      { kind: 'display_added', at: at(6), display: external({ id: '3', label: 'LG HDR 4K' }) },
    ]);
    expect(events.map((e) => e.reason)).toEqual(['A display was connected: LG HDR 4K 2560×1440; 3 displays in use, this exam allows 2.']);
  });

  it('records a removed display as information', () => {
    const { events } = run(policy(), [{ kind: 'display_removed', at: at(5), display: display() }]);
    expect(events).toEqual([expect.objectContaining({ kind: 'display_removed', severity: 'info', reason: 'A display was disconnected or turned off: Built-in Retina Display; 0 displays in use now.' })]);
  });
});

describe('process scans during the exam', () => {
  const scan = (secs: number, ...names: string[]): LockdownObservation => ({ kind: 'processes', at: at(secs), processes: names.map((n, i) => proc(n, i + 1)) });

  it('reports a blocked app when it starts, not at every scan, and again if it comes back', () => {
    const { events } = run(policy(), [
      scan(0, 'explorer.exe'),
      scan(30, 'chrome.exe', 'chrome.exe', 'TeamViewer.exe'),
      scan(60, 'chrome.exe', 'TeamViewer.exe'),
      scan(90, 'chrome.exe'),
      scan(120, 'chrome.exe', 'TeamViewer.exe'),
    ]);
    expect(events.map((e) => [e.startedAt, e.detail?.app, e.severity])).toEqual([
      [at(30), 'TeamViewer', 'high'],
      [at(30), 'Google Chrome', 'medium'],
      [at(120), 'TeamViewer', 'high'],
    ]);
    expect(events[0]?.reason).toBe('TeamViewer (remote control) is running during the exam: TeamViewer.exe.');
  });

  it('never reports allowed applications or unblocked categories', () => {
    const { events } = run(policy({ allowedApplications: ['Zoom.exe'], blockedCategories: ['screen_share', 'remote_control'] }), [scan(0, 'Zoom.exe', 'chrome.exe', 'msedgewebview2.exe')]);
    expect(events).toEqual([]);
  });
});

describe('virtualMachineEvent', () => {
  it('is null on a physical computer and carries the evidence otherwise', () => {
    expect(virtualMachineEvent(policy(), machine(), at(0), idGen())).toBeNull();
    const e = virtualMachineEvent(policy({ virtualMachines: 'flag' }), machine({ manufacturer: 'QEMU', model: 'Standard PC (Q35 + ICH9, 2009)' }), at(0), idGen());
    expect(SessionEvent.parse(e)).toMatchObject({ kind: 'virtual_machine', severity: 'high' });
    expect(e?.detail?.evidence).toEqual(['strong: manufacturer "QEMU"', 'strong: model "Standard PC (Q35 + ICH9, 2009)"']);
  });
});

it.each([
  [0, '0 s'],
  [59, '59 s'],
  [60, '1 min'],
  [252, '4 min 12 s'],
  [3780, '1 h 3 min'],
])('formatDuration(%i) = %s', (secs, text) => {
  expect(formatDuration(secs)).toBe(text);
});

// ---------------------------------------------------------------- seeds

describe('exam seeds carry realistic policies', () => {
  const dir = new URL('../../assets/exams/', import.meta.url);
  const load = (rel: string): ExamDefinition => ExamDefinition.parse(JSON.parse(readFileSync(new URL(rel, dir), 'utf8')));
  const files = [
    ...readdirSync(dir).filter((f) => f.endsWith('.json')),
    ...readdirSync(new URL('test/', dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => `test/${f}`),
  ];

  it('parses every seed with the ExamDefinition schema, each with a policy', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) expect(load(f).policy, f).toBeDefined();
  });

  it('the finals refuse virtual machines on one display and differ where their subjects do', () => {
    const finals = files.map(load).filter((e) => e.kind === 'final');
    expect(finals.length).toBe(4);
    for (const exam of finals) {
      const p = resolvePolicy(exam);
      expect(p, exam.id).toMatchObject({ virtualMachines: 'refuse', maxDisplays: 1, identity: 'required', allowWebClient: false });
    }
    const resolved = new Set(finals.map((e) => JSON.stringify(resolvePolicy(e))));
    expect(resolved.size).toBe(finals.length);
    // The programme allows a blank sheet, a pen and one translator: no final exempts an application.
    for (const exam of finals) expect(resolvePolicy(exam).allowedApplications, exam.id).toEqual([]);
  });

  it('the trial test flags virtual machines and admits the web client', () => {
    expect(resolvePolicy(load('trial-test.json'))).toMatchObject({ virtualMachines: 'flag', allowWebClient: true, identity: 'required' });
  });

  it('the e2e exam skips identity and allows the CI virtual machine', () => {
    const p = resolvePolicy(load('test/e2e-short.json'));
    expect(p).toMatchObject({ identity: 'off', virtualMachines: 'allow' });
    // This CI machine as systeminformation reports it passes there.
    const ci = machine({ virtualFlag: true, virtualHost: 'KVM', manufacturer: '', model: 'Docker Container', biosVendor: '', boardManufacturer: '', boardProduct: '', macAddresses: [] });
    expect(evaluateVirtualMachine(p, ci).status).toBe('pass');
  });
});
