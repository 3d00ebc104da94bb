import { z } from 'zod';

/**
 * What a host saw of the computer. Adapters only observe and report these raw
 * facts; `policyEvaluation.ts` decides what they mean for an exam. `null` means the host cannot look
 * (a browser cannot list processes): shown to the learner and proctor as "unsupported", never as passed.
 */

export const DisplayInfo = z.object({
  id: z.string().max(64),
  label: z.string().max(200),
  /** Built-in panel (laptop lid), when the platform says; null when it does not. */
  internal: z.boolean().nullable(),
  primary: z.boolean(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  /** Top-left corner in the desktop's coordinates, when known: mirrored displays share it and count once. */
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  /** A display with no area (closed lid, detached) is reported but does not count. */
  active: z.boolean(),
});
export type DisplayInfo = z.infer<typeof DisplayInfo>;

export const DisplaysObservation = z.object({
  displays: z.array(DisplayInfo).max(32),
  /** From a browser: `screen.isExtended` (true = more than one screen), when only that is known. */
  extended: z.boolean().nullable(),
});
export type DisplaysObservation = z.infer<typeof DisplaysObservation>;

/** Raw machine identity strings, as Safe Exam Browser reads them; the policy decides which are VM evidence. */
export const MachineObservation = z.object({
  /** systeminformation `system().virtual` and `virtualHost`. */
  virtualFlag: z.boolean().nullable(),
  virtualHost: z.string().max(200).nullable(),
  manufacturer: z.string().max(200).nullable(),
  model: z.string().max(200).nullable(),
  biosVendor: z.string().max(200).nullable(),
  boardManufacturer: z.string().max(200).nullable(),
  boardProduct: z.string().max(200).nullable(),
  /** MAC addresses of physical-looking interfaces, `aa:bb:cc:dd:ee:ff` lower case. */
  macAddresses: z.array(z.string().max(32)).max(64),
  /** Logical CPU count and total memory (a VM often has very few). */
  cpus: z.number().int().nonnegative().nullable(),
  memoryBytes: z.number().nonnegative().nullable(),
});
export type MachineObservation = z.infer<typeof MachineObservation>;

export const ProcessInfo = z.object({
  pid: z.number().int().nonnegative(),
  /** Executable name as the OS reports it (`TeamViewer.exe`, `obs`, `zoom.us`). */
  name: z.string().max(260),
  /** Full path when known; helps tell a blocked app from a namesake. */
  path: z.string().max(1024).nullable(),
});
export type ProcessInfo = z.infer<typeof ProcessInfo>;

export const OsFamily = z.enum(['windows', 'macos', 'linux', 'other']);
export type OsFamily = z.infer<typeof OsFamily>;

/** One look at the computer by `system:probe`. */
export const HostObservations = z.object({
  observedAt: z.string().datetime(),
  os: OsFamily,
  displays: DisplaysObservation.nullable(),
  machine: MachineObservation.nullable(),
  processes: z.array(ProcessInfo).max(5000).nullable(),
});
export type HostObservations = z.infer<typeof HostObservations>;

export const HostIncidentKind = z.enum(['renderer_crashed', 'renderer_unresponsive', 'main_process_error', 'session_ending', 'learner_left']);
export type HostIncidentKind = z.infer<typeof HostIncidentKind>;

/**
 * Something that happened during the exam, as a host saw it. The renderer passes these through
 * `evaluateEvent` (policyEvaluation.ts) and sends the resulting session events to the server.
 */
export const LockdownObservation = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('focus_lost'), at: z.string().datetime() }),
  z.object({ kind: z.literal('focus_regained'), at: z.string().datetime() }),
  z.object({ kind: z.literal('fullscreen_exited'), at: z.string().datetime() }),
  z.object({ kind: z.literal('fullscreen_entered'), at: z.string().datetime() }),
  z.object({ kind: z.literal('display_added'), at: z.string().datetime(), display: DisplayInfo }),
  z.object({ kind: z.literal('display_removed'), at: z.string().datetime(), display: DisplayInfo }),
  z.object({ kind: z.literal('suspend'), at: z.string().datetime() }),
  z.object({ kind: z.literal('resume'), at: z.string().datetime() }),
  z.object({ kind: z.literal('processes'), at: z.string().datetime(), processes: z.array(ProcessInfo).max(5000) }),
  /** A key or menu action the lockdown refused (devtools, reload, print, copy outside the exam). */
  z.object({ kind: z.literal('shortcut_blocked'), at: z.string().datetime(), action: z.string().max(64) }),
  z.object({ kind: z.literal('quit_requested'), at: z.string().datetime() }),
  /** The translator side view refused a navigation; `url` is cut to its origin. */
  z.object({ kind: z.literal('translator_navigation_blocked'), at: z.string().datetime(), origin: z.string().max(300), reason: z.string().max(64) }),
  /**
   * The desktop host handled a fault (the exam page crashed or hung, the main process hit an error,
   * the computer is logging off) or the learner left the exam ("I need to leave"). `outcome` says
   * what the host did; `detail` is its plain sentence, or the learner's own reason.
   */
  z.object({
    kind: z.literal('host_incident'),
    at: z.string().datetime(),
    incident: HostIncidentKind,
    outcome: z.enum(['reloaded', 'recovered', 'released']),
    detail: z.string().max(500),
  }),
]);
export type LockdownObservation = z.infer<typeof LockdownObservation>;
