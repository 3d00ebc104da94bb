import type { CheckItem } from '../api/checks';
import type { SessionEventInput, Severity } from '../api/events';
import type { ExamPolicy, ProcessCategory } from './examPolicy';
import type { DisplayInfo, DisplaysObservation, HostObservations, LockdownObservation, MachineObservation, OsFamily, ProcessInfo } from './observations';
import { type BlockedApp, categoryLabels, findBlockedProcesses, TRAY_HINT } from './processCatalog';
import { assessMachine, type VmAssessment } from './virtualMachine';

/**
 * What a host's observations mean for an exam: the start checks the learner
 * sees, and the session events the proctor sees. Pure: time and ids come in as arguments.
 *
 * False alarms are the failure learners and proctors hate most, so every check says exactly what it
 * saw and what to do, a closed lid or a mirrored screen never counts as a second display, and what the
 * host could not look at is `unsupported`, never `pass`.
 */

const MAX_TEXT = 500;
const clip = (s: string): string => (s.length <= MAX_TEXT ? s : `${s.slice(0, MAX_TEXT - 1)}…`);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const listing = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

// ---------------------------------------------------------------- displays

/** A display as the host may report it; `x`/`y` (when present) tell a mirror from a second screen. */
type PlacedDisplay = DisplayInfo & { readonly x?: number; readonly y?: number };

export interface DisplayCount {
  /** Displays in use (mirrors counted once). */
  readonly counted: readonly DisplayInfo[];
  /** Reported but not in use: closed lid, turned off, zero area. */
  readonly inactive: readonly DisplayInfo[];
  /** Showing the same picture, at the same place and size, as a counted display. */
  readonly mirrored: readonly DisplayInfo[];
}

/**
 * Which displays count. A mirror is recognised by identical bounds, which needs the position: two
 * side-by-side monitors of the same model have the same size, so without `x`/`y` nothing is merged.
 */
export function countDisplays(displays: readonly DisplayInfo[]): DisplayCount {
  const counted: PlacedDisplay[] = [];
  const inactive: DisplayInfo[] = [];
  const mirrored: DisplayInfo[] = [];
  for (const d of displays as readonly PlacedDisplay[]) {
    if (!d.active || d.width === 0 || d.height === 0) inactive.push(d);
    else if (counted.some((c) => c.id === d.id)) continue;
    else if (
      d.x !== undefined &&
      d.y !== undefined &&
      counted.some((c) => c.x === d.x && c.y === d.y && c.width === d.width && c.height === d.height)
    )
      mirrored.push(d);
    else counted.push(d);
  }
  return { counted, inactive, mirrored };
}

const describeDisplay = (d: DisplayInfo): string => `${d.label.trim() || (d.internal ? 'Built-in display' : `Display ${d.id}`)} ${d.width}×${d.height}`;
const nameDisplay = (d: DisplayInfo): string => d.label.trim() || (d.internal ? 'the built-in display' : `display ${d.id}`);

export function evaluateDisplays(policy: ExamPolicy, displays: DisplaysObservation | null, browserExtended: boolean | null): CheckItem {
  const max = policy.maxDisplays;
  const allowed = `this exam allows ${max}`;
  const list = displays?.displays ?? [];
  if (list.length === 0) {
    // Only a browser's `screen.isExtended` is known: true means more than one screen, count unknown.
    const extended = browserExtended ?? displays?.extended ?? null;
    const figures = { source: 'browser', extended, maxDisplays: max };
    if (extended === null) {
      return { id: 'displays', status: 'unsupported', observed: 'This browser cannot tell how many screens are connected.', fix: null, figures };
    }
    if (!extended) return { id: 'displays', status: 'pass', observed: `Your browser reports one screen; ${allowed}.`, fix: null, figures };
    if (max === 1) {
      return {
        id: 'displays',
        status: 'fail',
        observed: 'Your browser reports more than one screen in use; this exam allows 1.',
        fix: 'Unplug or turn off the extra screen, or set your display settings to show one screen only (mirroring or a closed laptop lid is fine), then check again.',
        figures,
      };
    }
    return {
      id: 'displays',
      status: 'warn',
      observed: `Your browser reports more than one screen but cannot count them; ${allowed}.`,
      fix: `Make sure no more than ${max} screens are in use.`,
      figures,
    };
  }

  const { counted, inactive, mirrored } = countDisplays(list);
  const notes = [
    ...(inactive.length > 0 ? [`not counted: ${inactive.map(nameDisplay).join(', ')} (turned off or lid closed)`] : []),
    ...(mirrored.length > 0 ? [`${mirrored.map(nameDisplay).join(', ')} ${mirrored.length === 1 ? 'mirrors' : 'mirror'} another screen and counts once`] : []),
  ];
  const seen = `${plural(counted.length, 'display')} in use${counted.length > 0 ? `: ${counted.map(describeDisplay).join(', ')}` : ''}`;
  const observed = clip(`${[seen, ...notes].join('; ')}; ${allowed}.`.replace(/^./, (c) => c.toUpperCase()));
  const figures = { source: 'host', inUse: counted.length, reported: list.length, inactive: inactive.length, mirrored: mirrored.length, maxDisplays: max };
  if (counted.length === 0) {
    return { id: 'displays', status: 'unsupported', observed: clip(`The computer reported no display in use (${list.length} reported, all off).`), fix: null, figures };
  }
  if (counted.length <= max) return { id: 'displays', status: 'pass', observed, fix: null, figures };
  // Name the ones to disconnect: the non-primary, external ones first.
  const extras = [...counted].sort((a, b) => Number(a.primary) - Number(b.primary) || Number(a.internal === true) - Number(b.internal === true)).slice(0, counted.length - max);
  return {
    id: 'displays',
    status: 'fail',
    observed,
    fix: clip(
      `Unplug or turn off ${listing(extras.map(nameDisplay))}, or set your display settings to use ${plural(max, 'screen')} only (mirroring or a closed laptop lid is fine), then check again.`,
    ),
    figures,
  };
}

// ---------------------------------------------------------------- virtual machine

export function evaluateVirtualMachine(policy: ExamPolicy, machine: MachineObservation | null): CheckItem {
  const a = assessMachine(machine);
  const evidence = a.signals.map((s) => s.evidence);
  const figures = {
    verdict: a.verdict,
    identity: a.identity,
    policy: policy.virtualMachines,
    strongSignals: a.signals.filter((s) => s.strength === 'strong').length,
    weakSignals: a.signals.filter((s) => s.strength === 'weak').length,
    evidence: evidence.length > 0 ? clip(evidence.join('; ')) : null,
  };
  const item = (status: CheckItem['status'], observed: string, fix: string | null): CheckItem => ({
    id: 'virtual_machine',
    status,
    observed: clip(observed),
    fix: fix && clip(fix),
    figures,
  });
  const identity = a.identity ? `${a.identity}: ` : '';

  if (a.verdict === 'unknown') {
    return item('unsupported', machine ? 'The computer did not report its maker or model, so this could not be checked.' : 'This app cannot read the computer’s maker and model here (a browser cannot).', null);
  }
  if (a.verdict === 'physical') {
    const notes = a.signals.map((s) => `${s.evidence} (${s.benignCause ?? 'common on real computers'})`);
    return item('pass', `${identity}no sign of a virtual machine${notes.length > 0 ? `; also seen, and normal on a real computer: ${notes.join('; ')}` : ''}.`, null);
  }
  if (a.verdict === 'vm') {
    const seen = `${identity}this looks like a virtual machine (${listing(a.products)}): ${evidence.join('; ')}.`;
    if (policy.virtualMachines === 'refuse') {
      return item('fail', seen, `This exam cannot be taken in a virtual machine: start Invigil on the computer itself, not inside ${listing(a.products)}, then check again.`);
    }
    if (policy.virtualMachines === 'flag') return item('warn', seen, 'You may start; the proctor will see that this exam ran in a virtual machine.');
    return item('pass', `${seen} This exam allows virtual machines.`, null);
  }
  // possible_vm: only signals real computers show too. Never blocks; the proctor sees the evidence.
  const seen = `${identity}some signs that also appear on real computers: ${a.signals.map((s) => (s.benignCause ? `${s.evidence} (${s.benignCause})` : s.evidence)).join('; ')}.`;
  if (policy.virtualMachines === 'allow') return item('pass', `${seen} This exam allows virtual machines.`, null);
  return item('warn', seen, 'Nothing to do if this is your own computer: you may start, and the proctor will see this note.');
}

// ---------------------------------------------------------------- processes

function quitSentence(apps: readonly BlockedApp[]): string {
  const names = apps.map((b) => b.app.displayName);
  const trayApps = apps.filter((b) => b.app.hint === TRAY_HINT).map((b) => b.app.displayName);
  const other = apps.flatMap((b) => (b.app.hint && b.app.hint !== TRAY_HINT ? [b.app.hint] : []));
  const tray = trayApps.length > 0 ? `; ${listing(trayApps)} ${trayApps.length === 1 ? 'keeps' : 'keep'} running in the system tray or menu bar after the window closes, so quit from there` : '';
  return clip(`Quit these, then check again: ${listing(names)}${tray}${other.map((h) => `; ${h}`).join('')}.`);
}

const labelled = (b: BlockedApp): string => `${b.app.displayName} (${categoryLabels[b.app.category]})`;

export function evaluateProcesses(policy: ExamPolicy, os: OsFamily, processes: readonly ProcessInfo[] | null): CheckItem {
  if (processes === null) {
    return { id: 'processes', status: 'unsupported', observed: 'This app cannot see which programs are running here (a browser cannot list them).', fix: null, figures: {} };
  }
  const { blocked, allowed } = findBlockedProcesses(os, processes, policy);
  const allowedNote = allowed.length > 0 ? ` Allowed by this exam: ${allowed.map((b) => b.app.displayName).join(', ')}.` : '';
  const figures = {
    running: processes.length,
    blocked: blocked.length,
    blockedApps: blocked.length > 0 ? clip(blocked.map((b) => b.app.displayName).join(', ')) : null,
    executables: blocked.length > 0 ? clip(blocked.flatMap((b) => b.executables).join(', ')) : null,
    allowedApps: allowed.length > 0 ? clip(allowed.map((b) => b.app.displayName).join(', ')) : null,
  };
  if (blocked.length === 0) {
    return { id: 'processes', status: 'pass', observed: clip(`No blocked programs among ${plural(processes.length, 'running process', 'running processes')}.${allowedNote}`), fix: null, figures };
  }
  return {
    id: 'processes',
    status: 'fail',
    observed: clip(`Running: ${blocked.map(labelled).join(', ')}.${allowedNote}`),
    fix: quitSentence(blocked),
    figures,
  };
}

/** The three computer checks before the start, in this order: displays, virtual machine, processes. */
export function evaluateStart(policy: ExamPolicy, observations: HostObservations, browser: { extended: boolean | null }): CheckItem[] {
  return [
    evaluateDisplays(policy, observations.displays, browser.extended),
    evaluateVirtualMachine(policy, observations.machine),
    evaluateProcesses(policy, observations.os, observations.processes),
  ];
}

// ---------------------------------------------------------------- during the exam

/** What the reducer remembers between observations; plain data, so it can be kept across a reload. */
export interface LockdownState {
  readonly os: OsFamily;
  readonly focusLostAt: string | null;
  readonly fullscreenExitedAt: string | null;
  readonly suspendedAt: string | null;
  /** Displays as last reported, by id (inactive ones included; `countDisplays` decides). */
  readonly displays: readonly DisplayInfo[];
  /** Catalog ids of the blocked apps running at the last scan (an app is reported when it starts). */
  readonly runningBlocked: readonly string[];
}

/** The state when lockdown engages: the OS and the displays of the start check (null: not known). */
export function initialLockdownState(os: OsFamily, displays: readonly DisplayInfo[] | null): LockdownState {
  return { os, focusLostAt: null, fullscreenExitedAt: null, suspendedAt: null, displays: displays ?? [], runningBlocked: [] };
}

export interface LockdownStep {
  readonly state: LockdownState;
  readonly events: SessionEventInput[];
}

const seconds = (from: string, to: string): number => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/** "42 s", "4 min 12 s", "1 h 3 min". */
export function formatDuration(totalSeconds: number): string {
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return s > 0 ? `${m} min ${s} s` : `${m} min`;
  return `${s} s`;
}

const blockedSeverity: Readonly<Record<ProcessCategory, Severity>> = {
  remote_control: 'high',
  screen_share: 'high',
  recorder: 'high',
  assistant: 'high',
  messaging: 'medium',
  browser: 'medium',
};

type Detail = NonNullable<SessionEventInput['detail']>;

function event(newId: () => string, kind: SessionEventInput['kind'], severity: Severity, startedAt: string, endedAt: string | null, reason: string, detail: Detail = {}): SessionEventInput {
  return { id: newId(), kind, severity, startedAt, endedAt, reason: clip(reason), detail };
}

function focusEvent(policy: ExamPolicy, lostAt: string, endedAt: string, stillLost: boolean, newId: () => string): SessionEventInput[] {
  const secs = seconds(lostAt, endedAt);
  if (secs <= policy.focusLossGraceSeconds) return [];
  const how = stillLost ? 'and had not come back when the exam ended' : 'before the learner came back';
  return [
    event(newId, 'focus_lost', secs > 60 ? 'medium' : 'low', lostAt, endedAt, `The exam window lost focus for ${formatDuration(secs)} (another window or app was in front) ${how}.`, {
      seconds: secs,
      graceSeconds: policy.focusLossGraceSeconds,
    }),
  ];
}

const fullscreenEvent = (exitedAt: string, endedAt: string, stillOut: boolean, newId: () => string): SessionEventInput =>
  event(
    newId,
    'fullscreen_exited',
    'medium',
    exitedAt,
    endedAt,
    `The exam left full screen for ${formatDuration(seconds(exitedAt, endedAt))}${stillOut ? ' and was not back in full screen when the exam ended' : ''}.`,
    { seconds: seconds(exitedAt, endedAt) },
  );

const suspendEvent = (from: string, to: string, unresumed: boolean, newId: () => string): SessionEventInput =>
  event(
    newId,
    'suspend',
    'medium',
    from,
    to,
    unresumed ? 'The computer went to sleep and had not woken up when the exam ended.' : `The computer was asleep for ${formatDuration(seconds(from, to))}.`,
    { seconds: seconds(from, to) },
  );

/**
 * The exam's reducer: one observation in, the new state and the session events it makes. Intervals
 * (focus, full screen, sleep) become one event when they end, with their duration; `closeOpen` ends
 * them at the end of the exam.
 */
export function evaluateEvent(policy: ExamPolicy, state: LockdownState, observation: LockdownObservation, newId: () => string): LockdownStep {
  const at = observation.at;
  switch (observation.kind) {
    case 'focus_lost':
      return { state: state.focusLostAt ? state : { ...state, focusLostAt: at }, events: [] };
    case 'focus_regained':
      if (!state.focusLostAt) return { state, events: [] };
      return { state: { ...state, focusLostAt: null }, events: focusEvent(policy, state.focusLostAt, at, false, newId) };
    case 'fullscreen_exited':
      return { state: state.fullscreenExitedAt ? state : { ...state, fullscreenExitedAt: at }, events: [] };
    case 'fullscreen_entered':
      if (!state.fullscreenExitedAt) return { state, events: [] };
      return { state: { ...state, fullscreenExitedAt: null }, events: [fullscreenEvent(state.fullscreenExitedAt, at, false, newId)] };
    case 'suspend':
      return { state: state.suspendedAt ? state : { ...state, suspendedAt: at }, events: [] };
    case 'resume':
      if (!state.suspendedAt) return { state, events: [] };
      return { state: { ...state, suspendedAt: null }, events: [suspendEvent(state.suspendedAt, at, false, newId)] };
    case 'display_added': {
      const displays = [...state.displays.filter((d) => d.id !== observation.display.id), observation.display];
      const before = countDisplays(state.displays).counted.length;
      const inUse = countDisplays(displays).counted;
      const next = { ...state, displays };
      if (inUse.length <= policy.maxDisplays || inUse.length <= before) return { state: next, events: [] };
      return {
        state: next,
        events: [
          event(
            newId,
            'display_added',
            'high',
            at,
            null,
            `A display was connected: ${describeDisplay(observation.display)}; ${plural(inUse.length, 'display')} in use, this exam allows ${policy.maxDisplays}.`,
            { display: observation.display.label, inUse: inUse.length, maxDisplays: policy.maxDisplays, displays: inUse.map(describeDisplay) },
          ),
        ],
      };
    }
    case 'display_removed': {
      const displays = state.displays.filter((d) => d.id !== observation.display.id);
      const inUse = countDisplays(displays).counted.length;
      return {
        state: { ...state, displays },
        events: [
          event(newId, 'display_removed', 'info', at, null, `A display was disconnected or turned off: ${nameDisplay(observation.display)}; ${plural(inUse, 'display')} in use now.`, {
            display: observation.display.label,
            inUse,
          }),
        ],
      };
    }
    case 'processes': {
      const { blocked } = findBlockedProcesses(state.os, observation.processes, policy);
      const started = blocked.filter((b) => !state.runningBlocked.includes(b.app.id));
      return {
        state: { ...state, runningBlocked: blocked.map((b) => b.app.id) },
        events: started.map((b) =>
          event(newId, 'blocked_process', blockedSeverity[b.app.category], at, null, `${labelled(b)} is running during the exam: ${b.executables.join(', ')}.`, {
            app: b.app.displayName,
            category: b.app.category,
            executables: [...b.executables],
          }),
        ),
      };
    }
    case 'shortcut_blocked':
      return { state, events: [event(newId, 'shortcut_blocked', 'low', at, null, `A blocked shortcut or menu action was tried: ${observation.action}.`, { action: observation.action })] };
    case 'quit_requested':
      return { state, events: [event(newId, 'quit_requested', 'info', at, null, 'The learner tried to quit the app during the exam; it stayed open.')] };
    case 'translator_navigation_blocked':
      return {
        state,
        events: [
          event(newId, 'translator_navigation_blocked', 'low', at, null, `The translator was kept from opening ${observation.origin} (${observation.reason}).`, {
            origin: observation.origin,
            reason: observation.reason,
          }),
        ],
      };
    case 'host_incident':
      // A crash or error is not the learner's doing (info: it never raises the score); leaving the exam is.
      return {
        state,
        events: [
          event(newId, 'app_incident', observation.incident === 'learner_left' ? 'low' : 'info', at, null, incidentSentence(observation), {
            incident: observation.incident,
            outcome: observation.outcome,
          }),
        ],
      };
  }
}

const incidentWhat: Readonly<Record<Extract<LockdownObservation, { kind: 'host_incident' }>['incident'], string>> = {
  renderer_crashed: 'The exam page crashed',
  renderer_unresponsive: 'The exam page stopped responding',
  main_process_error: 'The app hit an internal error',
  session_ending: 'The computer began to log off or shut down',
  learner_left: 'The learner chose to leave the exam',
};
const incidentOutcome = { reloaded: 'the app reloaded the exam page', recovered: 'it recovered by itself', released: 'the lockdown was released so the app could close' } as const;

function incidentSentence(o: Extract<LockdownObservation, { kind: 'host_incident' }>): string {
  const said = o.detail.trim() === '' ? '' : o.incident === 'learner_left' ? ` Reason given: “${o.detail.trim()}”` : ` ${o.detail.trim()}`;
  return `${incidentWhat[o.incident]}; ${incidentOutcome[o.outcome]}.${said}`;
}

/** Ends what is still open at the end of the exam (focus still away, out of full screen, asleep). */
export function closeOpen(policy: ExamPolicy, state: LockdownState, at: string, newId: () => string): LockdownStep {
  const events = [
    ...(state.focusLostAt ? focusEvent(policy, state.focusLostAt, at, true, newId) : []),
    ...(state.fullscreenExitedAt ? [fullscreenEvent(state.fullscreenExitedAt, at, true, newId)] : []),
    ...(state.suspendedAt ? [suspendEvent(state.suspendedAt, at, true, newId)] : []),
  ];
  return { state: { ...state, focusLostAt: null, fullscreenExitedAt: null, suspendedAt: null }, events };
}

/**
 * The `virtual_machine` session event for an exam that started on a machine that is, or may be, a
 * virtual machine (under `refuse` a strong verdict never gets this far). Null on a physical computer.
 */
export function virtualMachineEvent(policy: ExamPolicy, machine: MachineObservation | null, at: string, newId: () => string): SessionEventInput | null {
  const a: VmAssessment = assessMachine(machine);
  if (a.verdict !== 'vm' && a.verdict !== 'possible_vm') return null;
  const severity: Severity = policy.virtualMachines === 'allow' ? 'info' : a.verdict === 'vm' ? 'high' : 'low';
  const what = a.verdict === 'vm' ? `Ran in a virtual machine (${listing(a.products)})` : 'Possibly a virtual machine, from signs real computers also show';
  return event(newId, 'virtual_machine', severity, at, null, `${what}: ${a.signals.map((s) => s.evidence).join('; ')}.`, {
    verdict: a.verdict,
    identity: a.identity,
    evidence: a.signals.map((s) => `${s.strength}: ${s.evidence}`),
  });
}
