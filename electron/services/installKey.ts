import { createPrivateKey, createPublicKey, generateKeyPairSync, createHash, randomUUID, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { challengeMessage, type ChallengePurpose } from '../../shared/domain/attestation';
import type { Logger } from '../log';
import { codeOf, writeFileAtomically } from './durableFs';

/**
 * Encrypts the install's private key at rest. On the desktop this is Electron's safeStorage (the
 * macOS Keychain, Windows DPAPI, or the Linux secret service); `protection` says whether the OS
 * really protects it (`none`: Linux without a keyring, where safeStorage falls back to a fixed key).
 */
export interface SecretBox {
  readonly protection: 'os' | 'none';
  seal(plain: Buffer): Promise<Buffer>;
  open(sealed: Buffer): Promise<Buffer>;
}

export interface InstallIdentity {
  readonly installId: string;
  /** base64 DER (SubjectPublicKeyInfo). */
  readonly publicKey: string;
  readonly keyProtection: 'os' | 'none';
}

export interface ChallengeToSign {
  readonly purpose: ChallengePurpose;
  readonly sessionId: string;
  readonly sectionId: string | null;
  readonly nonce: string;
}

/** What the renderer may ask of the install key: its public identity, and a signature over a server challenge (never arbitrary bytes). */
export interface ClientAttestation {
  identity(): Promise<InstallIdentity>;
  sign(challenge: ChallengeToSign): Promise<{ installId: string; signature: string }>;
}

const KeyFile = z.object({
  version: z.literal(1),
  publicKey: z.string(),
  /** base64 of the sealed PKCS#8 DER private key. */
  sealedPrivateKey: z.string(),
});

export const INSTALL_KEY_FILE = 'install-key.json';

export function installIdOf(publicKeyDer: Buffer): string {
  return createHash('sha256').update(publicKeyDer).digest('hex').slice(0, 32);
}

interface LoadedKey {
  readonly identity: InstallIdentity;
  readonly privateKey: KeyObject;
}

/**
 * The install's Ed25519 key pair, made on first use and kept in the app's data folder with the
 * private key sealed by the OS. A file that cannot be read or opened (another user's keychain, a
 * corrupted file) is replaced by a new pair: the learner's next sign-in enrols it.
 */
export class FsInstallKey implements ClientAttestation {
  private loaded: Promise<LoadedKey> | null = null;

  constructor(private readonly o: { dataDir: string; box: SecretBox; log: Logger }) {}

  async identity(): Promise<InstallIdentity> {
    return (await this.key()).identity;
  }

  async sign(challenge: ChallengeToSign): Promise<{ installId: string; signature: string }> {
    const { identity, privateKey } = await this.key();
    const signature = sign(null, Buffer.from(challengeMessage(challenge), 'utf8'), privateKey).toString('base64');
    return { installId: identity.installId, signature };
  }

  private key(): Promise<LoadedKey> {
    this.loaded ??= this.loadOrCreate().catch((error: unknown) => {
      this.loaded = null;
      throw error;
    });
    return this.loaded;
  }

  private get path(): string {
    return join(this.o.dataDir, INSTALL_KEY_FILE);
  }

  private async loadOrCreate(): Promise<LoadedKey> {
    const existing = await this.load();
    if (existing) return existing;
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const der = publicKey.export({ format: 'der', type: 'spki' });
    const sealed = await this.o.box.seal(privateKey.export({ format: 'der', type: 'pkcs8' }));
    const file: z.infer<typeof KeyFile> = { version: 1, publicKey: der.toString('base64'), sealedPrivateKey: sealed.toString('base64') };
    await writeFileAtomically(this.path, JSON.stringify(file), randomUUID());
    const identity = { installId: installIdOf(der), publicKey: file.publicKey, keyProtection: this.o.box.protection };
    this.o.log.info('install key created', { installId: identity.installId, keyProtection: identity.keyProtection });
    return { identity, privateKey };
  }

  private async load(): Promise<LoadedKey | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return null;
      throw error;
    }
    try {
      const file = KeyFile.parse(JSON.parse(text));
      const privateKey = createPrivateKey({ key: await this.o.box.open(Buffer.from(file.sealedPrivateKey, 'base64')), format: 'der', type: 'pkcs8' });
      const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
      if (der.toString('base64') !== file.publicKey) throw new Error('the public key does not belong to the private key');
      return { identity: { installId: installIdOf(der), publicKey: file.publicKey, keyProtection: this.o.box.protection }, privateKey };
    } catch (error) {
      this.o.log.warn('install key unusable; making a new one', { error: error instanceof Error ? error.name : typeof error });
      return null;
    }
  }
}
