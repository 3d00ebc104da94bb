import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHAIN_GENESIS, chainNext, chainOver, hexToBytes } from './hashChain';

const sha256: (parts: readonly Uint8Array[]) => string = (parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};
const bytes = (s: string) => new TextEncoder().encode(s);

describe('hash chain', () => {
  it('is sha256 of the previous head (as bytes) followed by the chunk', () => {
    const expected = createHash('sha256').update(Buffer.alloc(32)).update('abc').digest('hex');
    expect(chainNext(sha256, CHAIN_GENESIS, bytes('abc'))).toBe(expected);
  });

  it('detects a reordered or altered chunk', () => {
    const straight = chainOver(sha256, CHAIN_GENESIS, [bytes('a'), bytes('b')]);
    expect(chainOver(sha256, CHAIN_GENESIS, [bytes('b'), bytes('a')])).not.toBe(straight);
    expect(chainOver(sha256, CHAIN_GENESIS, [bytes('a'), bytes('c')])).not.toBe(straight);
  });

  it('continues across segments: the head of one is the start of the next', () => {
    const whole = chainOver(sha256, CHAIN_GENESIS, [bytes('1'), bytes('2'), bytes('3')]);
    const first = chainOver(sha256, CHAIN_GENESIS, [bytes('1')]);
    expect(chainOver(sha256, first, [bytes('2'), bytes('3')])).toBe(whole);
  });

  it('refuses malformed hex', () => {
    expect(() => hexToBytes('ABC')).toThrow();
  });
});
