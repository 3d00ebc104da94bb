import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channels, contract, eventNames, type InvigilHost } from '../../shared/ipc/contract';
import { ok } from '../../shared/result';
import type { Logger, LogFields } from '../log';
import { createPublicKey, verify } from 'node:crypto';
import { challengeMessage } from '../../shared/domain/attestation';
import { FsAnswerJournal } from '../services/answerJournal';
import { FsInstallKey, type SecretBox } from '../services/installKey';
import { FsRecordingJournal } from '../services/recordingJournal';
import { unsupportedLockdown } from '../services/lockdown';
import { FsSettingsStore } from '../services/settingsStore';
import { unsupportedProbe } from '../services/systemProbe';
import { TusUploader } from '../services/uploader';
import { webLockdownCapabilities } from '../../shared/domain/lockdownCapabilities';
import { desktopCapabilities, webCapabilities } from './capabilities';
import { createHandlers, dispatch, type Handlers } from './handlers';
import { buildHostApi } from './preloadApi';

let dataDir: string;
let logged: { msg: string; fields?: LogFields }[];
const log: Logger = {
  info: () => undefined,
  warn: (msg, fields) => logged.push({ msg, fields }),
  error: (msg, fields) => logged.push({ msg, fields }),
};

let free: number;

function realHandlers(hostKind: 'desktop' | 'web' = 'web'): Handlers {
  const recording = new FsRecordingJournal({ dataDir, now: () => 0, log, freeBytes: async () => free });
  return createHandlers({
    info: { hostKind, appVersion: '0.1.0', platform: 'linux', capabilities: hostKind === 'web' ? webCapabilities : desktopCapabilities({ os: 'linux', osVersion: '6.8.0', session: 'x11' }) },
    journal: new FsAnswerJournal({ dataDir, now: () => 0, log }),
    settings: new FsSettingsStore({ dataDir, defaults: { serverUrl: 'http://127.0.0.1:8080' }, log }),
    recording,
    // Never started: these tests do not upload.
    uploads: new TusUploader({ dataDir, journal: recording, emit: () => undefined, log, now: () => 0, random: () => 0.5 }),
    probe: unsupportedProbe('linux', () => 0),
    lockdown: unsupportedLockdown,
    attestation: hostKind === 'desktop' ? new FsInstallKey({ dataDir, box: xorBox, log }) : null,
    privateStore: null,
  });
}

/** Stands in for safeStorage: reversible, and never the plain bytes on disk. */
const xorBox: SecretBox = {
  protection: 'os',
  seal: async (plain) => Buffer.from(plain.map((b) => b ^ 0x5a)),
  open: async (sealed) => Buffer.from(sealed.map((b) => b ^ 0x5a)),
};

const answer = {
  sessionId: 's1',
  sectionId: 'sec',
  questionId: 'q1',
  value: { kind: 'choice', optionIds: ['b'] },
  clientSavedAt: '2026-01-05T09:00:00.000Z',
};

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'invigil-handlers-'));
  logged = [];
  free = 10 * 1024 ** 3;
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('attestation entries', () => {
  const challenge = { purpose: 'open_section', sessionId: 's1', sectionId: 'sec-1', nonce: 'n'.repeat(43) } as const;

  it('signs a server challenge with the install key the desktop host enrols', async () => {
    const handlers = realHandlers('desktop');
    const identity = await dispatch(handlers, 'attest:identity', {}, log);
    const signed = await dispatch(handlers, 'attest:sign', challenge, log);
    if (!identity.ok || !signed.ok) throw new Error('attestation entries failed');
    const { installId, publicKey, keyProtection } = identity.value as { installId: string; publicKey: string; keyProtection: string };
    expect(keyProtection).toBe('os');
    const { installId: signer, signature } = signed.value as { installId: string; signature: string };
    expect(signer).toBe(installId);
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    expect(verify(null, Buffer.from(challengeMessage(challenge)), key, Buffer.from(signature, 'base64'))).toBe(true);
    // The host built the message: the same signature does not cover another section.
    expect(verify(null, Buffer.from(challengeMessage({ ...challenge, sectionId: 'sec-2' })), key, Buffer.from(signature, 'base64'))).toBe(false);
  });

  it('refuses to sign anything but a well-formed challenge', async () => {
    const handlers = realHandlers('desktop');
    const odd = await dispatch(handlers, 'attest:sign', { ...challenge, nonce: 'short' }, log);
    expect(odd.ok).toBe(false);
    if (!odd.ok) expect(odd.error.code).toBe('invalid_request');
    const extra = await dispatch(handlers, 'attest:sign', { ...challenge, purpose: 'anything' }, log);
    expect(extra.ok).toBe(false);
  });

  it('answers unsupported on the web host, which has no install key', async () => {
    for (const channel of ['attest:identity', 'attest:sign'] as const) {
      const result = await dispatch(realHandlers('web'), channel, channel === 'attest:sign' ? challenge : {}, log);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('unsupported');
    }
  });
});

describe('handler table', () => {
  it('has exactly one handler per contract entry', () => {
    expect(Object.keys(realHandlers()).sort()).toEqual(Object.keys(contract).sort());
  });

  it('reports a web host with no lockdown capabilities', async () => {
    const result = await dispatch(realHandlers('web'), 'app:getInfo', {}, log);
    expect(result).toEqual(
      ok({
        hostKind: 'web',
        appVersion: '0.1.0',
        platform: 'linux',
        capabilities: { kiosk: false, contentProtection: false, processList: false, translatorView: false, lockdown: webLockdownCapabilities() },
      }),
    );
  });

  it('tells the truth about desktop protections: content protection only where it keeps the window out of captures', () => {
    const windows = desktopCapabilities({ os: 'windows', osVersion: '10.0.22631', session: null });
    expect(windows).toMatchObject({ kiosk: true, contentProtection: true, processList: true, translatorView: true });
    expect(windows.lockdown.measures.app_switching.status).toBe('detected');
    expect(desktopCapabilities({ os: 'macos', osVersion: '23.6.0', session: null }).contentProtection).toBe(true);
    // macOS 15: ScreenCaptureKit ignores content protection.
    expect(desktopCapabilities({ os: 'macos', osVersion: '24.1.0', session: null }).contentProtection).toBe(false);
    expect(desktopCapabilities({ os: 'linux', osVersion: '6.8.0', session: 'x11' }).contentProtection).toBe(false);
    expect(desktopCapabilities({ os: 'linux', osVersion: '6.8.0', session: 'wayland' }).lockdown.measures.stay_on_top.status).toBe('unavailable');
  });

  it('answers system:probe with nothing seen and lockdown/translator with unsupported on the web host', async () => {
    const handlers = realHandlers('web');
    expect(await dispatch(handlers, 'system:probe', {}, log)).toEqual(
      ok({ observedAt: '1970-01-01T00:00:00.000Z', os: 'linux', displays: null, machine: null, processes: null }),
    );
    const requests = [
      ['lockdown:engage', { sessionId: 's1', policy: {}, translator: 'google' }],
      ['lockdown:release', { sessionId: 's1' }],
      ['translator:setVisible', { visible: true }],
    ] as const;
    for (const [channel, request] of requests) {
      const result = await dispatch(handlers, channel, request, log);
      expect(result.ok ? null : result.error.code).toBe('unsupported');
    }
  });

  it('validates lockdown requests before any service sees them', async () => {
    const handlers = realHandlers('web');
    const badTranslator = await dispatch(handlers, 'lockdown:engage', { sessionId: 's1', policy: {}, translator: 'deepl' }, log);
    expect(badTranslator.ok ? null : badTranslator.error.code).toBe('invalid_request');
    const tooWide = await dispatch(handlers, 'translator:setVisible', { visible: true, widthFraction: 0.9 }, log);
    expect(tooWide.ok ? null : tooWide.error.code).toBe('invalid_request');
  });

  it('journals an answer end to end: open, append, pending, ack', async () => {
    const handlers = realHandlers();
    expect(await dispatch(handlers, 'answers:open', { sessionId: 's1', serverMaxSequence: 4 }, log)).toEqual(ok({ nextSequence: 5, pending: 0 }));
    expect(await dispatch(handlers, 'answers:append', answer, log)).toEqual(ok({ ...answer, sequence: 5 }));
    expect(await dispatch(handlers, 'answers:pending', { sessionId: 's1' }, log)).toEqual(ok({ entries: [{ ...answer, sequence: 5 }] }));
    expect(await dispatch(handlers, 'answers:ack', { sessionId: 's1', sequences: [5] }, log)).toEqual(ok({ pending: 0 }));
  });

  it('records a take end to end and maps recording failures to host codes', async () => {
    const handlers = realHandlers();
    expect(await dispatch(handlers, 'recording:startTake', { sessionId: 's1', startedAt: '2026-01-05T09:00:00.000Z' }, log)).toEqual(ok({ take: 0, nextChunk: 0 }));
    const appended = await dispatch(handlers, 'recording:appendChunk', { sessionId: 's1', take: 0, data: new Uint8Array([1, 2, 3]) }, log);
    expect(appended).toMatchObject(ok({ chunk: 0, segment: 0 }));
    const wrongTake = await dispatch(handlers, 'recording:appendChunk', { sessionId: 's1', take: 5, data: new Uint8Array([1]) }, log);
    expect(wrongTake.ok ? null : wrongTake.error.code).toBe('not_found');
    const notBytes = await dispatch(handlers, 'recording:appendChunk', { sessionId: 's1', take: 0, data: [1, 2, 3] }, log);
    expect(notBytes.ok ? null : notBytes.error.code).toBe('invalid_request');
    free = 0;
    const full = await dispatch(handlers, 'recording:appendChunk', { sessionId: 's1', take: 0, data: new Uint8Array([4]) }, log);
    expect(full.ok ? null : full.error.code).toBe('disk_full');
    expect(await dispatch(handlers, 'recording:checkDisk', { requiredBytes: 1 }, log)).toEqual(ok({ freeBytes: 0, enough: false }));
    expect(await dispatch(handlers, 'recording:endTake', { sessionId: 's1', take: 0, reason: 'disk_full', endedAt: '2026-01-05T09:00:09.000Z' }, log)).toEqual(ok({}));
    const status = await dispatch(handlers, 'uploads:status', { sessionId: 's1' }, log);
    expect(status).toMatchObject(ok({ sessionId: 's1', state: 'needs_authorization', pendingSegments: 1, pendingBytes: 3, safeToClose: false }));
    const listed = await dispatch(handlers, 'uploads:list', {}, log);
    expect(listed).toMatchObject(ok({ sessions: [{ sessionId: 's1', pendingSegments: 1 }] }));
  });

  it('answers not_found for a journal that was never opened and invalid_request for an unsafe session id', async () => {
    const handlers = realHandlers();
    const early = await dispatch(handlers, 'answers:pending', { sessionId: 's1' }, log);
    expect(early.ok ? null : early.error.code).toBe('not_found');
    const unsafe = await dispatch(handlers, 'answers:open', { sessionId: '../x', serverMaxSequence: 0 }, log);
    expect(unsafe.ok ? null : unsafe.error.code).toBe('invalid_request');
  });
});

describe('dispatch', () => {
  it('refuses an unknown channel, including inherited object keys', async () => {
    for (const channel of ['answers:delete', 'toString', '__proto__']) {
      const result = await dispatch(realHandlers(), channel, {}, log);
      expect(result.ok ? null : result.error.code).toBe('unknown_channel');
    }
  });

  it('refuses an invalid request and names the field', async () => {
    const result = await dispatch(realHandlers(), 'answers:append', { ...answer, clientSavedAt: 'yesterday' }, log);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_request');
      expect(result.error.message).toMatch(/^clientSavedAt: /);
    }
  });

  it('turns a reply that breaks its schema into internal, logged without the payload', async () => {
    const broken: Handlers = { ...realHandlers(), 'settings:get': async () => ok({ serverUrl: 'not a url' }) };
    const result = await dispatch(broken, 'settings:get', {}, log);
    expect(result.ok ? null : result.error.code).toBe('internal');
    expect(logged).toEqual([{ msg: 'host reply failed its schema', fields: { channel: 'settings:get', issue: expect.any(String) } }]);
  });

  it('maps thrown errors to stable codes and never logs the request', async () => {
    const throwing = (error: unknown): Handlers => ({
      ...realHandlers(),
      'answers:append': async () => {
        throw error;
      },
    });
    const diskFull = Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' });
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const codes = [];
    for (const error of [diskFull, denied, new TypeError('bug')]) {
      const result = await dispatch(throwing(error), 'answers:append', answer, log);
      codes.push(result.ok ? null : result.error.code);
    }
    expect(codes).toEqual(['disk_full', 'io_error', 'internal']);
    expect(logged.map((entry) => entry.fields?.channel)).toEqual(['answers:append', 'answers:append', 'answers:append']);
    expect(JSON.stringify(logged)).not.toContain('optionIds');
  });
});

describe('buildHostApi (the preload surface)', () => {
  it('has exactly one method per contract entry plus on()', () => {
    const api = buildHostApi(async () => null, () => () => undefined);
    expect(Object.keys(api).sort()).toEqual([...channels, 'on'].sort());
  });

  it('sends each method over its own channel and returns the host result', async () => {
    const calls: [string, unknown][] = [];
    const api = buildHostApi(
      async (channel, request) => {
        calls.push([channel, request]);
        return ok({ pending: 0 });
      },
      () => () => undefined,
    );
    expect(await api['answers:ack']({ sessionId: 's1', sequences: [1] })).toEqual(ok({ pending: 0 }));
    expect(calls).toEqual([['answers:ack', { sessionId: 's1', sequences: [1] }]]);
  });

  it('turns a transport failure into a host_unavailable result instead of a rejection', async () => {
    const api: InvigilHost = buildHostApi(
      async () => {
        throw new Error("No handler registered for 'invigil:settings:get'");
      },
      () => () => undefined,
    );
    const result = await api['settings:get']({});
    expect(result.ok ? null : result.error.code).toBe('host_unavailable');
  });

  it('delivers only valid event payloads and unsubscribes', () => {
    const listeners = new Map<string, (payload: unknown) => void>();
    const api = buildHostApi(
      async () => null,
      (event, listener) => {
        listeners.set(event, listener);
        return () => listeners.delete(event);
      },
    );
    const seen: unknown[] = [];
    const off = api.on('power:onChange', (payload) => seen.push(payload.state));
    const deliver = listeners.get('power:onChange');
    deliver?.({ state: 'resume' });
    deliver?.({ state: 'exploded' });
    deliver?.('resume');
    expect(seen).toEqual(['resume']);
    off();
    expect(listeners.size).toBe(0);
    expect(eventNames).toEqual(['power:onChange', 'uploads:onProgress', 'lockdown:onObservation']);
    expect(() => api.on('nope:onThing' as 'power:onChange', () => undefined)).toThrow(TypeError);
  });
});
