import { createHash } from 'node:crypto';

/**
 * A UUID (RFC 9562 version 8, "custom") derived from a key, so an event the server raises for one
 * reason (this session, that other account, that recording gap) has one id however often it recurs.
 */
export function uuidFromKey(key: string): string {
  const b = createHash('sha256').update(key).digest();
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Whether an id is in the server's id space: every version-8 UUID, whatever its key. The app makes
 * random (version 4) ids, so refusing these keeps every id the server will derive out of its reach.
 */
export function isServerEventId(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
