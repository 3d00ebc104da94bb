import type { z } from 'zod';
import {
  contract,
  type AppInfo,
  type Channel,
  type Contract,
  type HostErrorCode,
  type HostResult,
} from '../../shared/ipc/contract';
import { fail, ok, type Result } from '../../shared/result';
import type { Logger } from '../log';
import type { AnswerJournal, JournalErrorCode } from '../services/answerJournal';
import { codeOf } from '../services/durableFs';
import type { ClientAttestation } from '../services/installKey';
import type { Lockdown } from '../services/lockdown';
import type { PrivateStore } from '../services/privateStore';
import type { RecordingErrorCode, RecordingJournal } from '../services/recordingJournal';
import type { SettingsStore } from '../services/settingsStore';
import type { SystemProbe } from '../services/systemProbe';
import type { Uploader } from '../services/uploader';

/** What the handler table needs; each host's composition root builds it. */
export interface HostServices {
  /** Static facts about this host; capabilities must be truthful (the UI tells the learner what is missing). */
  readonly info: AppInfo;
  readonly journal: AnswerJournal;
  readonly settings: SettingsStore;
  readonly recording: RecordingJournal;
  readonly uploads: Uploader;
  /** Displays, machine identity and processes; parts the host cannot see are null. */
  readonly probe: SystemProbe;
  /** Kiosk, shortcuts, clipboard, translator view; the web host's answers `unsupported`. */
  readonly lockdown: Lockdown;
  /** The install key that signs server challenges; null in the web host (a browser cannot be attested). */
  readonly attestation: ClientAttestation | null;
  /**
   * The encrypted store for the event outbox and the face reference; null in the web host, whose
   * page (a browser taking the trial test) keeps them in its own localStorage.
   */
  readonly privateStore: PrivateStore | null;
}

export type RequestFor<C extends Channel> = z.output<Contract[C]['request']>;
export type Handler<C extends Channel> = (request: RequestFor<C>) => Promise<HostResult<C>>;
/** A mapped type over the contract: forgetting an entry is a compile error, not a runtime surprise. */
export type Handlers = { readonly [C in Channel]: Handler<C> };

const journalFailure = (code: JournalErrorCode, message: string) =>
  fail(code === 'invalid_session' ? 'invalid_request' : 'not_found', message);

const mapJournal = <T, U>(result: Result<T, JournalErrorCode>, map: (value: T) => U) =>
  result.ok ? ok(map(result.value)) : journalFailure(result.error.code, result.error.message);

const recordingCodes: Record<RecordingErrorCode, HostErrorCode> = {
  invalid_session: 'invalid_request',
  invalid_chunk: 'invalid_request',
  take_not_open: 'not_found',
  disk_full: 'disk_full',
};

const mapRecording = <T>(result: Result<T, RecordingErrorCode>) =>
  result.ok ? ok(result.value) : fail(recordingCodes[result.error.code], result.error.message);

export function createHandlers(services: HostServices): Handlers {
  const { info, journal, settings, recording, uploads, probe, lockdown, attestation, privateStore } = services;
  const notAttestable = 'This host cannot be attested: finals need the Invigil desktop app.';
  const noPrivateStore = 'This host keeps no private store: the page keeps its data in its own storage.';
  return {
    'app:getInfo': async () => ok(info),
    'attest:identity': async () => (attestation ? ok(await attestation.identity()) : fail('unsupported', notAttestable)),
    'attest:sign': async (challenge) => (attestation ? ok(await attestation.sign(challenge)) : fail('unsupported', notAttestable)),
    'settings:get': async () => ok(await settings.get()),
    'answers:open': async ({ sessionId, serverMaxSequence }) =>
      mapJournal(await journal.open(sessionId, serverMaxSequence), (opened) => opened),
    'answers:append': async (change) => mapJournal(await journal.append(change), (entry) => entry),
    'answers:pending': async ({ sessionId }) => mapJournal(await journal.pending(sessionId), (entries) => ({ entries })),
    'answers:ack': async ({ sessionId, sequences }) => mapJournal(await journal.ack(sessionId, sequences), (acked) => acked),
    'store:load': async ({ namespace }) => (privateStore ? ok({ entries: await privateStore.load(namespace) }) : fail('unsupported', noPrivateStore)),
    'store:set': async ({ namespace, key, value }) => {
      if (!privateStore) return fail('unsupported', noPrivateStore);
      const stored = await privateStore.set(namespace, key, value);
      return stored.ok ? ok({}) : fail('invalid_request', stored.error.message);
    },
    'store:remove': async ({ namespace, key }) => {
      if (!privateStore) return fail('unsupported', noPrivateStore);
      await privateStore.remove(namespace, key);
      return ok({});
    },
    'recording:checkDisk': async ({ requiredBytes }) => ok(await recording.checkDisk(requiredBytes)),
    'recording:startTake': async ({ sessionId, startedAt }) => mapRecording(await recording.startTake(sessionId, startedAt)),
    'recording:appendChunk': async ({ sessionId, take, data }) => mapRecording(await recording.appendChunk(sessionId, take, data)),
    'recording:endTake': async ({ sessionId, take, reason, endedAt }) => mapRecording(await recording.endTake(sessionId, take, reason, endedAt)),
    'uploads:authorize': async (authorization) => {
      await uploads.authorize(authorization);
      return ok({});
    },
    'uploads:list': async () => ok({ sessions: await uploads.list() }),
    'uploads:status': async ({ sessionId }) => mapRecording(await uploads.status(sessionId)),
    'system:probe': async () => ok(await probe.probe()),
    'lockdown:engage': async (request) => lockdown.engage(request),
    'lockdown:release': async ({ sessionId }) => lockdown.release(sessionId),
    'lockdown:leave': async ({ sessionId, reason }) => lockdown.leave(sessionId, reason),
    'translator:setVisible': async ({ visible, widthFraction, translator }) => lockdown.setTranslatorVisible(visible, widthFraction, translator),
  };
}

const isChannel = (channel: string): channel is Channel => Object.hasOwn(contract, channel);

/**
 * The one way a request reaches a handler, for both transports: the channel must exist, the request
 * must pass its schema, the reply must pass its schema, and anything thrown becomes a stable code.
 * Payloads are never logged (they carry answers).
 */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  rawRequest: unknown,
  log: Logger,
): Promise<Result<unknown, HostErrorCode>> {
  if (!isChannel(channel)) return fail('unknown_channel', `no such host entry: ${channel.slice(0, 80)}`);
  const entry = contract[channel];
  const request = entry.request.safeParse(rawRequest);
  if (!request.success) return fail('invalid_request', describeIssue(request.error.issues));
  let result: Result<unknown, HostErrorCode>;
  try {
    // The cast is the only untyped step: `channel` picks both the schema and the handler.
    result = await (handlers[channel] as (request: unknown) => Promise<Result<unknown, HostErrorCode>>)(request.data);
  } catch (error) {
    return failureFromThrow(channel, error, log);
  }
  if (!result.ok) return result;
  const reply = entry.reply.safeParse(result.value);
  if (!reply.success) {
    log.error('host reply failed its schema', { channel, issue: describeIssue(reply.error.issues) });
    return fail('internal', 'the host produced an invalid reply');
  }
  return ok(reply.data);
}

function describeIssue(issues: readonly z.core.$ZodIssue[]): string {
  const first = issues[0];
  if (!first) return 'request is not valid';
  const field = first.path.length > 0 ? first.path.map(String).join('.') : '(request)';
  return `${field}: ${first.message}`;
}

function failureFromThrow(channel: Channel, error: unknown, log: Logger): Result<never, HostErrorCode> {
  const code = codeOf(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    log.error('host entry failed: disk full', { channel, code });
    return fail('disk_full', 'The disk is full. Free some space so your answers can be saved.');
  }
  if (code !== undefined && /^E[A-Z]+$/.test(code)) {
    log.error('host entry failed: disk error', { channel, code });
    return fail('io_error', `The host could not read or write its files (${code}).`);
  }
  // Name and frames only: a message may quote the payload.
  log.error('host entry threw', {
    channel,
    error: error instanceof Error ? error.name : typeof error,
    at: error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 4).join(' | ').trim() : undefined,
  });
  return fail('internal', 'The host hit an unexpected error.');
}
