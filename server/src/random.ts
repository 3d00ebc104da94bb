/** Source of randomness, injected so tests can make ids and codes predictable. */
export type RandomBytes = (size: number) => Uint8Array;

/** A url-safe random id (128 bits by default). */
export function randomId(random: RandomBytes, bytes = 16): string {
  return Buffer.from(random(bytes)).toString('base64url');
}

/** Crockford-like alphabet without 0/O, 1/I/L: easy to read aloud to staff. */
const RECEIPT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export function receiptCode(random: RandomBytes, length = 10): string {
  // 256 is not a multiple of 31: reject the top values so every symbol is equally likely.
  const limit = 256 - (256 % RECEIPT_ALPHABET.length);
  let out = '';
  while (out.length < length) {
    for (const byte of random(length * 2)) {
      if (byte < limit && out.length < length) out += RECEIPT_ALPHABET[byte % RECEIPT_ALPHABET.length];
    }
  }
  return out;
}
