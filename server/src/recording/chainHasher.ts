import { createHash, type Hash } from 'node:crypto';
import type { Sha256Hex } from '../../../shared/domain/hashChain';

/** node:crypto behind the shared chain's injected digest. */
export const sha256Hex: Sha256Hex = (parts) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

/**
 * The shared hash chain (`h_n = sha256(h_{n-1} ‖ chunk_n)`) computed over a byte stream that arrives
 * in arbitrary pieces, cut into chunks by the declared sizes: a segment is verified while it streams
 * from disk, never held in memory whole.
 */
export class ChainHasher {
  private head: string;
  private index = 0;
  private current: Hash | null = null;
  private remaining = 0;
  private overflow = false;

  constructor(
    start: string,
    private readonly sizes: readonly number[],
  ) {
    this.head = start;
    this.openChunk();
  }

  update(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length) {
      if (!this.current) {
        this.overflow = true;
        return;
      }
      const take = Math.min(this.remaining, bytes.length - at);
      this.current.update(bytes.subarray(at, at + take));
      at += take;
      this.remaining -= take;
      if (this.remaining === 0) {
        this.head = this.current.digest('hex');
        this.index += 1;
        this.openChunk();
      }
    }
  }

  /** The head after the last chunk, or null when the bytes did not match the declared sizes. */
  finish(): string | null {
    return this.current || this.overflow ? null : this.head;
  }

  private openChunk(): void {
    this.current = null;
    // A zero-length chunk still advances the chain: h = sha256(h_prev).
    while (this.index < this.sizes.length && this.sizes[this.index] === 0) {
      this.head = createHash('sha256').update(Buffer.from(this.head, 'hex')).digest('hex');
      this.index += 1;
    }
    const size = this.sizes[this.index];
    if (size === undefined) return;
    this.current = createHash('sha256').update(Buffer.from(this.head, 'hex'));
    this.remaining = size;
  }
}
