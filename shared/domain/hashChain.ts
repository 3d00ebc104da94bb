/**
 * The recording's hash chain: h_0 = GENESIS, h_n = sha256(h_{n-1} ‖ chunk_n), over every chunk of
 * a session in order, across segments and takes. The client journals it; the server recomputes it
 * from the bytes it receives, so a removed, reordered or altered chunk is detected. The digest is
 * injected (node:crypto on both sides) because shared/ sees neither Node nor the DOM.
 */

export const CHAIN_GENESIS = '0'.repeat(64);

/** SHA-256 over the concatenation of the parts, as lower-case hex. */
export type Sha256Hex = (parts: readonly Uint8Array[]) => string;

export function hexToBytes(hex: string): Uint8Array {
  if (!/^([0-9a-f]{2})*$/.test(hex)) throw new Error('not lower-case hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function chainNext(sha256: Sha256Hex, previous: string, chunk: Uint8Array): string {
  return sha256([hexToBytes(previous), chunk]);
}

/** Recomputes the chain over consecutive chunks; returns the head after the last one. */
export function chainOver(sha256: Sha256Hex, start: string, chunks: Iterable<Uint8Array>): string {
  let head = start;
  for (const chunk of chunks) head = chainNext(sha256, head, chunk);
  return head;
}
