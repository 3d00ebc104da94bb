import { z } from 'zod';
import { TakeEndReason } from '../api/recording';
import { AnswerValue } from '../api/sessions';
import type { Result } from '../result';
import { ExamPolicy } from '../domain/examPolicy';
import { LockdownCapabilities } from '../domain/lockdownCapabilities';
import { HostObservations, LockdownObservation } from '../domain/observations';
import { translatorIds } from '../domain/translatorUrls';

/**
 * The desktop contract: what the renderer may ask of its host (Electron main, or the web host in a
 * plain browser). Each entry is `domain:verb`, one request object in and one `Result` out. Both
 * transports and the preload are built from this table, and the host validates every request
 * against it: nothing from the renderer is trusted.
 */

export const hostErrorCodes = [
  'invalid_request',
  'unsupported',
  'not_found',
  'io_error',
  'disk_full',
  'forbidden_sender',
  'unknown_channel',
  'internal',
  /** The renderer lost its link to the host (web-host socket down); the request was not carried out. */
  'host_unavailable',
] as const;
export type HostErrorCode = (typeof hostErrorCodes)[number];

const SessionId = z.string().min(1).max(64);

export const HostKind = z.enum(['desktop', 'web']);
export type HostKind = z.infer<typeof HostKind>;

export const Capabilities = z.object({
  kiosk: z.boolean(),
  contentProtection: z.boolean(),
  processList: z.boolean(),
  translatorView: z.boolean(),
  /** Per lockdown measure: prevented, only detected, or out of reach on this computer (shared/domain/lockdownCapabilities.ts). */
  lockdown: LockdownCapabilities,
});
export type Capabilities = z.infer<typeof Capabilities>;

export const AppInfo = z.object({
  hostKind: HostKind,
  appVersion: z.string(),
  platform: z.string(),
  capabilities: Capabilities,
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Settings = z.object({
  /** Base URL of the review server, e.g. `http://127.0.0.1:8080`. */
  serverUrl: z.string().url(),
});
export type Settings = z.infer<typeof Settings>;

/** An answer change as the journal keeps it. The journal assigns `sequence`. */
export const JournalEntry = z.object({
  sessionId: SessionId,
  sequence: z.number().int().positive(),
  sectionId: z.string().min(1).max(64),
  questionId: z.string().min(1).max(64),
  value: AnswerValue,
  clientSavedAt: z.string().datetime(),
});
export type JournalEntry = z.infer<typeof JournalEntry>;

/** Binary data (a MediaRecorder chunk). Electron IPC clones it; the web-host socket encodes it (frameCodec.ts). */
const Bytes = z.instanceof(Uint8Array);

export const UploadAuthorization = z.object({
  sessionId: SessionId,
  /** Absolute tus endpoint from the server's upload-token route. */
  endpoint: z.string().url(),
  token: z.string().min(1).max(4096),
  expiresAt: z.string().datetime(),
});
export type UploadAuthorization = z.infer<typeof UploadAuthorization>;

export const UploadProgress = z.object({
  sessionId: SessionId,
  state: z.enum(['idle', 'uploading', 'retrying', 'needs_authorization', 'done']),
  /** Closed segments not yet confirmed by the server, and their bytes. */
  pendingSegments: z.number().int().nonnegative(),
  pendingBytes: z.number().int().nonnegative(),
  /** Bytes still in the open segment (being recorded). */
  recordingBytes: z.number().int().nonnegative(),
  uploadedBytes: z.number().int().nonnegative(),
  /** Recent throughput, null until measured. */
  bytesPerSecond: z.number().nonnegative().nullable(),
  lastError: z.string().nullable(),
  nextRetryAt: z.string().datetime().nullable(),
  /** True when nothing is left on this computer that the server has not confirmed. */
  safeToClose: z.boolean(),
  /**
   * Set when the server refused this recording for good (`session_closed`, `segment_not_webm`,
   * `recording_quota_exceeded`): uploading has stopped, the segments stay on this computer. Absent or
   * null otherwise.
   */
  refused: z.object({ code: z.string().max(64), message: z.string().max(500) }).nullable().optional(),
});
export type UploadProgress = z.infer<typeof UploadProgress>;

const entry = <Req extends z.ZodType, Rep extends z.ZodType>(request: Req, reply: Rep) => ({ request, reply });

/**
 * The host's encrypted store for what the page must keep across restarts but nobody else on the
 * computer may read: `events` (the session event outbox), `identity` (the learner's face reference).
 */
export const StoreNamespace = z.enum(['events', 'identity']);
export type StoreNamespace = z.infer<typeof StoreNamespace>;
/** Keys as the page's storage names them (`invigil.events.<sessionId>`). */
const StoreKey = z.string().regex(/^invigil\.[A-Za-z0-9._:-]{1,120}$/);
/** Longest value of one key, in UTF-16 units: what localStorage held for the whole app. */
export const STORE_MAX_VALUE_CHARS = 5 * 1024 * 1024;

const InstallId = z.string().regex(/^[0-9a-f]{32}$/);

export const contract = {
  'app:getInfo': entry(z.object({}), AppInfo),
  /**
   * This install's public identity for enrolment after sign-in: its Ed25519 public key (base64 DER)
   * and whether the OS protects the private key. `unsupported` in a browser, which has no install key.
   */
  'attest:identity': entry(
    z.object({}),
    z.object({ installId: InstallId, publicKey: z.string().max(128), keyProtection: z.enum(['os', 'none']) }),
  ),
  /** Signs one server challenge (the host builds the signed message itself: the page cannot have arbitrary bytes signed). */
  'attest:sign': entry(
    z.object({
      purpose: z.enum(['start_session', 'open_section']),
      sessionId: SessionId,
      sectionId: z.string().min(1).max(64).nullable(),
      nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    }),
    z.object({ installId: InstallId, signature: z.string().max(128) }),
  ),
  'settings:get': entry(z.object({}), Settings),
  /**
   * Opens (or creates) a session's journal. `serverMaxSequence` is the highest sequence the server
   * holds, so a fresh journal (new machine, reinstall) continues after it instead of reusing numbers.
   */
  'answers:open': entry(
    z.object({ sessionId: SessionId, serverMaxSequence: z.number().int().nonnegative() }),
    z.object({ nextSequence: z.number().int().positive(), pending: z.number().int().nonnegative() }),
  ),
  /** Durably records one change (written and fsynced before this resolves) and returns it with its sequence. */
  'answers:append': entry(JournalEntry.omit({ sequence: true }), JournalEntry),
  /** Entries written but not yet acknowledged by the server, oldest first. */
  'answers:pending': entry(z.object({ sessionId: SessionId }), z.object({ entries: z.array(JournalEntry) })),
  /** Marks entries the server confirmed (stored or duplicate). */
  'answers:ack': entry(
    z.object({ sessionId: SessionId, sequences: z.array(z.number().int().positive()).min(1).max(1000) }),
    z.object({ pending: z.number().int().nonnegative() }),
  ),
  /** Every entry of one namespace of the encrypted store (the page loads it once at start). `unsupported` in a browser. */
  'store:load': entry(z.object({ namespace: StoreNamespace }), z.object({ entries: z.record(StoreKey, z.string()) })),
  /** Sets one entry, encrypted and written to disk before this resolves; a namespace's total size is capped by the host. */
  'store:set': entry(z.object({ namespace: StoreNamespace, key: StoreKey, value: z.string().max(STORE_MAX_VALUE_CHARS) }), z.object({})),
  'store:remove': entry(z.object({ namespace: StoreNamespace, key: StoreKey }), z.object({})),
  /** Free disk where recordings are journaled, and whether `requiredBytes` fit with a safety margin. */
  'recording:checkDisk': entry(
    z.object({ requiredBytes: z.number().int().nonnegative() }),
    z.object({ freeBytes: z.number().int().nonnegative(), enough: z.boolean() }),
  ),
  /**
   * Starts a new take for the session. Any take left open by a crash is closed first (its end
   * reason `interrupted`), so the server sees the gap.
   */
  'recording:startTake': entry(
    z.object({ sessionId: SessionId, startedAt: z.string().datetime() }),
    z.object({ take: z.number().int().nonnegative(), nextChunk: z.number().int().nonnegative() }),
  ),
  /** Appends one MediaRecorder chunk to the open take: written, fsynced and chained before this resolves. */
  'recording:appendChunk': entry(
    z.object({ sessionId: SessionId, take: z.number().int().nonnegative(), data: Bytes }),
    z.object({ chunk: z.number().int().nonnegative(), segment: z.number().int().nonnegative(), chainHead: z.string() }),
  ),
  /** Closes the open take (its last segment is queued for upload). */
  'recording:endTake': entry(
    z.object({ sessionId: SessionId, take: z.number().int().nonnegative(), reason: TakeEndReason, endedAt: z.string().datetime() }),
    z.object({}),
  ),
  /** Gives the uploader credentials for one session (at exam start, after a restart, on renewal). */
  'uploads:authorize': entry(UploadAuthorization, z.object({})),
  /** Sessions with recordings on this computer that the server has not confirmed yet. */
  'uploads:list': entry(z.object({}), z.object({ sessions: z.array(UploadProgress) })),
  'uploads:status': entry(z.object({ sessionId: SessionId }), UploadProgress),
  /**
   * One look at the computer: displays, machine identity strings (VM evidence), running processes.
   * Parts the host cannot see are null (the web host sees none of them; the renderer adds what the
   * browser knows). Evaluated by `policyEvaluation.ts`, never by the host.
   */
  'system:probe': entry(z.object({}), HostObservations),
  /**
   * Locks the exam window down for this session under the exam's policy: kiosk full screen on the
   * primary display, always on top, content protection, blocked shortcuts, display sleep blocked,
   * periodic process scans (`lockdown:onObservation`), the translator side view (null: none) and the
   * isolated clipboard. The web host answers `unsupported` (the renderer uses the Fullscreen API).
   */
  'lockdown:engage': entry(
    z.object({ sessionId: SessionId, policy: ExamPolicy, translator: z.enum(translatorIds).nullable() }),
    z.object({
      kiosk: z.boolean(),
      contentProtection: z.boolean(),
      displaySleepBlocked: z.boolean(),
      processScan: z.boolean(),
      /** Per measure, what this lockdown does on this computer, from the platform and from what took effect just now. */
      capabilities: LockdownCapabilities,
      /**
       * What the host handled while no page could hear it (the exam page crashed or hung and was
       * reloaded), for this session, oldest first; each is handed over once. Absent: none.
       */
      incidents: z.array(LockdownObservation).max(50).optional(),
    }),
  ),
  /** Ends the lockdown after submit: window back to normal, translator storage wiped, clipboard cleared. */
  'lockdown:release': entry(z.object({ sessionId: SessionId }), z.object({})),
  /**
   * "I need to leave": ends the lockdown before submit, with the learner's reason (kept in the host's
   * log; the renderer records it as an `app_incident` event). The attempt stays resumable: the server
   * keeps each section's timer. The web host answers `unsupported` (a browser tab can simply be closed).
   */
  'lockdown:leave': entry(z.object({ sessionId: SessionId, reason: z.string().trim().min(1).max(500) }), z.object({})),
  /**
   * Shows or hides the translator side view (right part of the exam window). `translator` switches
   * to another one the exam allows (`any-of`); `one-of` exams show the chosen one only.
   */
  'translator:setVisible': entry(
    z.object({
      visible: z.boolean(),
      widthFraction: z.number().min(0.25).max(0.6).default(0.4),
      translator: z.enum(translatorIds).optional(),
    }),
    z.object({ visible: z.boolean(), translator: z.enum(translatorIds).nullable() }),
  ),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
export type ReplyOf<C extends Channel> = z.infer<Contract[C]['reply']>;
export type HostResult<C extends Channel> = Result<ReplyOf<C>, HostErrorCode>;

export const channels = Object.keys(contract) as Channel[];

/** Events the host pushes to the renderer: `domain:onThing` with a payload schema. */
export const events = {
  /** The machine slept, woke, locked or unlocked: the renderer re-syncs its clock with the server. */
  'power:onChange': z.object({ state: z.enum(['suspend', 'resume', 'lock', 'unlock']) }),
  /** Upload progress of one session's recording, at most a few times a second. */
  'uploads:onProgress': UploadProgress,
  /** Something the lockdown saw during the exam (focus lost, display added, process scan …). */
  'lockdown:onObservation': LockdownObservation,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];

/** What the renderer sees as `window.invigil`: one method per contract entry, plus event subscription. */
export type InvigilHost = {
  readonly [C in Channel]: (request: RequestOf<C>) => Promise<HostResult<C>>;
} & {
  readonly on: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;
};

/** The web host's socket frames (the Electron transport uses ipcRenderer.invoke instead). */
export const WebHostFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('invoke'), id: z.number().int(), channel: z.string(), request: z.unknown() }),
  z.object({ type: z.literal('reply'), id: z.number().int(), result: z.unknown() }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type WebHostFrame = z.infer<typeof WebHostFrame>;
export const WEB_HOST_SOCKET_PATH = '/__invigil_host';
export const IPC_CHANNEL_PREFIX = 'invigil:';
