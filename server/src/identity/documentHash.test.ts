import { describe, expect, it } from 'vitest';
import { deriveIdentitySecret, documentHash, normaliseDocumentNumber } from './documentHash';

describe('document number hash', () => {
  it('normalises to upper-case letters and digits, and has nothing to hash without them', () => {
    expect(normaliseDocumentNumber(' e8258 543-4<<')).toBe('E82585434');
    expect(normaliseDocumentNumber('<<< --')).toBeNull();
    expect(normaliseDocumentNumber(null)).toBeNull();
    expect(documentHash('k'.repeat(32), '<<<')).toBeNull();
  });

  it('is the same for two spellings of one number, and depends on the key', () => {
    const key = 'k'.repeat(32);
    expect(documentHash(key, 'e8258 5434')).toBe(documentHash(key, 'E82585434'));
    expect(documentHash(key, 'E82585434')).not.toBe(documentHash(key, 'E82585435'));
    expect(documentHash('j'.repeat(32), 'E82585434')).not.toBe(documentHash(key, 'E82585434'));
  });

  it('derives the key from the JWT secret the same way every time (so links survive a restart)', () => {
    const jwt = 'test-secret-test-secret-test-secret-0123';
    expect(deriveIdentitySecret(jwt)).toBe(deriveIdentitySecret(jwt));
    expect(deriveIdentitySecret(jwt)).not.toBe(deriveIdentitySecret(`${jwt}x`));
    expect(deriveIdentitySecret(jwt)).not.toContain(jwt);
    expect(Buffer.from(deriveIdentitySecret(jwt), 'base64url')).toHaveLength(32);
  });
});
