import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ATTESTATION_HEADER } from '../../shared/domain/attestation';
import { silentLogger } from '../log';
import { attachAttestationHeader, privateStoreBox, safeStorageBox } from './attestation';

type Listener = (details: { url: string; requestHeaders: Record<string, string> }, callback: (response: { requestHeaders?: Record<string, string> }) => void) => void;

function fakeSession() {
  let listener: Listener | null = null;
  let filter: unknown = null;
  return {
    session: {
      webRequest: {
        onBeforeSendHeaders: (f: unknown, l: Listener) => {
          filter = f;
          listener = l;
        },
      },
    },
    filter: () => filter,
    send(url: string): Record<string, string> {
      let sent: Record<string, string> = {};
      listener!({ url, requestHeaders: { Accept: 'application/json' } }, (response) => (sent = response.requestHeaders ?? {}));
      return sent;
    },
  };
}

const KEY = 'c3'.repeat(32);

describe('attachAttestationHeader', () => {
  it('hashes the exact URL with the release key, for the review server only', () => {
    const fake = fakeSession();
    // Electron's types want a Session; the fake has the one method used.
    attachAttestationHeader(fake.session as never, { serverOrigin: 'https://exams.example.edu', releaseKey: KEY });
    const url = 'https://exams.example.edu/api/sessions/abc/start?x=1';
    const headers = fake.send(url);
    expect(headers[ATTESTATION_HEADER]).toBe(createHash('sha256').update(url + KEY).digest('hex'));
    expect(headers['Accept']).toBe('application/json');
    for (const other of ['https://translate.google.com/', 'https://exams.example.edu.evil.test/api/me', 'http://exams.example.edu/api/me', 'not a url']) {
      expect(fake.send(other)[ATTESTATION_HEADER], other).toBeUndefined();
    }
  });
});

describe('safeStorageBox', () => {
  const storage = (backend: string) =>
    ({
      getSelectedStorageBackend: () => backend,
      encryptStringAsync: async (text: string) => Buffer.from([...text].reverse().join('')),
      decryptStringAsync: async (buffer: Buffer) => ({ shouldReEncrypt: false, result: [...buffer.toString()].reverse().join('') }),
    }) as never;

  it('round-trips bytes through safeStorage', async () => {
    const box = safeStorageBox(storage('gnome_libsecret'), 'linux', silentLogger);
    const plain = Buffer.from([0, 1, 2, 250, 255]);
    expect(await box.open(await box.seal(plain))).toEqual(plain);
    expect(box.protection).toBe('os');
  });

  it('reports no OS protection where Linux has no keyring (basic_text)', () => {
    expect(safeStorageBox(storage('basic_text'), 'linux', silentLogger).protection).toBe('none');
    expect(safeStorageBox(storage('basic_text'), 'darwin', silentLogger).protection).toBe('os');
  });
});

describe('privateStoreBox', () => {
  const storage = (backend: string, available: boolean) => {
    const calls: boolean[] = [];
    const fake = {
      calls,
      getSelectedStorageBackend: () => backend,
      isEncryptionAvailable: () => available,
      setUsePlainTextEncryption: (use: boolean) => calls.push(use),
      encryptStringAsync: async (text: string) => Buffer.from([...text].reverse().join('')),
      decryptStringAsync: async (buffer: Buffer) => ({ shouldReEncrypt: false, result: [...buffer.toString()].reverse().join('') }),
    };
    return fake;
  };

  it('switches on the basic_text fallback where Linux has no keyring, and warns', async () => {
    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (msg: string) => warnings.push(msg) };
    const fake = storage('basic_text', false);
    const box = privateStoreBox(fake as never, 'linux', log);
    expect(fake.calls).toEqual([true]);
    expect(box.protection).toBe('none');
    expect(warnings).toEqual(['private store: safeStorage has no keyring; using the basic_text fallback']);
    const plain = Buffer.from('{"descriptor":[0.1]}');
    expect(await box.open(await box.seal(plain))).toEqual(plain);
  });

  it('uses the keyring as it is where there is one', () => {
    const fake = storage('gnome_libsecret', true);
    expect(privateStoreBox(fake as never, 'linux', silentLogger).protection).toBe('os');
    expect(fake.calls).toEqual([]);
    expect(privateStoreBox(storage('unknown', true) as never, 'win32', silentLogger).protection).toBe('os');
  });
});
