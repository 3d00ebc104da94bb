import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { FsInstallKey, INSTALL_KEY_FILE, type SecretBox } from './installKey';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'invigil-install-key-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const box = (mask: number, protection: 'os' | 'none' = 'os'): SecretBox => ({
  protection,
  seal: async (plain) => Buffer.from(plain.map((b) => b ^ mask)),
  open: async (sealed) => Buffer.from(sealed.map((b) => b ^ mask)),
});

const challenge = { purpose: 'start_session', sessionId: 's1', sectionId: null, nonce: 'a'.repeat(43) } as const;

describe('FsInstallKey', () => {
  it('keeps one key pair across restarts, with the private key sealed on disk', async () => {
    const first = await new FsInstallKey({ dataDir, box: box(0x33), log: silentLogger }).identity();
    const again = await new FsInstallKey({ dataDir, box: box(0x33), log: silentLogger }).identity();
    expect(again).toEqual(first);
    expect(first.installId).toMatch(/^[0-9a-f]{32}$/);
    const file = await readFile(join(dataDir, INSTALL_KEY_FILE), 'utf8');
    expect(file).not.toContain('PRIVATE KEY');
    // PKCS#8 DER of an Ed25519 key starts 30 2e 02 01 00: sealed, those bytes are not there.
    const sealed = Buffer.from((JSON.parse(file) as { sealedPrivateKey: string }).sealedPrivateKey, 'base64');
    expect(sealed.subarray(0, 3).equals(Buffer.from([0x30, 0x2e, 0x02]))).toBe(false);
  });

  it('makes a new pair when the sealed key cannot be opened (another keychain) or the file is damaged', async () => {
    const first = await new FsInstallKey({ dataDir, box: box(0x33), log: silentLogger }).identity();
    const otherKeychain = await new FsInstallKey({ dataDir, box: box(0x44), log: silentLogger }).identity();
    expect(otherKeychain.installId).not.toBe(first.installId);
    await writeFile(join(dataDir, INSTALL_KEY_FILE), '{not json');
    const repaired = await new FsInstallKey({ dataDir, box: box(0x44), log: silentLogger }).identity();
    expect(repaired.installId).not.toBe(otherKeychain.installId);
  });

  it('reports when the OS does not protect the key', async () => {
    expect((await new FsInstallKey({ dataDir, box: box(0x33, 'none'), log: silentLogger }).identity()).keyProtection).toBe('none');
  });

  it('signs with the key it reports', async () => {
    const key = new FsInstallKey({ dataDir, box: box(0x33), log: silentLogger });
    const [identity, signed] = await Promise.all([key.identity(), key.sign(challenge)]);
    expect(signed.installId).toBe(identity.installId);
    expect(Buffer.from(signed.signature, 'base64')).toHaveLength(64);
  });
});
