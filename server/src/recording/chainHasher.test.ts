import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHAIN_GENESIS, chainOver } from '../../../shared/domain/hashChain';
import { ChainHasher, sha256Hex } from './chainHasher';

function chunksOf(bytes: Buffer, sizes: readonly number[]): Buffer[] {
  let at = 0;
  return sizes.map((size) => bytes.subarray(at, (at += size)));
}

describe('ChainHasher', () => {
  const sizes = [1000, 0, 4096, 1, 7000];
  const bytes = randomBytes(sizes.reduce((a, b) => a + b, 0));
  const expected = chainOver(sha256Hex, CHAIN_GENESIS, chunksOf(bytes, sizes));

  it('gives the shared chain whatever pieces the bytes arrive in', () => {
    for (const piece of [1, 7, 999, 4096, 65536]) {
      const hasher = new ChainHasher(CHAIN_GENESIS, sizes);
      for (let at = 0; at < bytes.length; at += piece) hasher.update(bytes.subarray(at, at + piece));
      expect(hasher.finish()).toBe(expected);
    }
  });

  it('continues a chain from any head', () => {
    const head = chainOver(sha256Hex, CHAIN_GENESIS, [Buffer.from('earlier chunk')]);
    const hasher = new ChainHasher(head, sizes);
    hasher.update(bytes);
    expect(hasher.finish()).toBe(chainOver(sha256Hex, head, chunksOf(bytes, sizes)));
  });

  it('reports bytes that do not fill the declared chunks exactly', () => {
    const short = new ChainHasher(CHAIN_GENESIS, sizes);
    short.update(bytes.subarray(1));
    expect(short.finish()).toBeNull();
    const long = new ChainHasher(CHAIN_GENESIS, sizes);
    long.update(Buffer.concat([bytes, Buffer.from([0])]));
    expect(long.finish()).toBeNull();
  });

  it('detects one flipped byte', () => {
    const altered = Buffer.from(bytes);
    altered[5000] = altered[5000]! ^ 1;
    const hasher = new ChainHasher(CHAIN_GENESIS, sizes);
    hasher.update(altered);
    expect(hasher.finish()).not.toBe(expected);
  });
});
