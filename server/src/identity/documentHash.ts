import { createHmac, hkdfSync } from 'node:crypto';

/** Upper case, letters and digits only: "ab 12-345<" and "AB12345" are the same document. */
export function normaliseDocumentNumber(raw: string | null): string | null {
  if (raw === null) return null;
  const normal = raw.normalize('NFKD').toUpperCase().replace(/[^A-Z0-9]/g, '');
  return normal.length > 0 ? normal : null;
}

/**
 * Keyed hash (HMAC-SHA256) of a document number, indexed to link accounts that present the same ID.
 * Keyed, so a copy of the database alone cannot be searched for a known number (document numbers are
 * short enough to enumerate behind a plain hash).
 */
export function documentHash(key: string, documentNumber: string | null): string | null {
  const normal = normaliseDocumentNumber(documentNumber);
  return normal === null ? null : createHmac('sha256', key).update(normal).digest('hex');
}

/** The HMAC key when none is configured: derived from the JWT secret, which persists in the data folder. */
export function deriveIdentitySecret(jwtSecret: string): string {
  return Buffer.from(hkdfSync('sha256', jwtSecret, 'invigil', 'identity document hash v1', 32)).toString('base64url');
}
