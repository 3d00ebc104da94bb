import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';

/** The install's id: the first 32 hex digits of sha256(public key DER). */
export function installIdOf(publicKeyDer: Buffer): string {
  return createHash('sha256').update(publicKeyDer).digest('hex').slice(0, 32);
}

/** The Ed25519 public key in `base64` SPKI DER, or null if it is anything else. */
export function parseInstallKey(base64: string): { key: KeyObject; der: Buffer } | null {
  const der = Buffer.from(base64, 'base64');
  try {
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ed25519' ? { key, der } : null;
  } catch {
    // Not DER at all: the caller refuses the enrolment with a clear code.
    return null;
  }
}

export function verifyInstallSignature(publicKeyBase64: string, message: string, signatureBase64: string): boolean {
  const parsed = parseInstallKey(publicKeyBase64);
  const signature = Buffer.from(signatureBase64, 'base64');
  if (!parsed || signature.length !== 64) return false;
  return verify(null, Buffer.from(message, 'utf8'), parsed.key, signature);
}
