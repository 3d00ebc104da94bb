import { describe, expect, it } from 'vitest';
import { KeyedQueue } from './keyedQueue';

describe('KeyedQueue', () => {
  it('runs one task at a time per key, in order, and keys in parallel; a failure does not block the next', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const step = (name: string, ms: number, fail = false) => () =>
      new Promise<string>((resolve, reject) =>
        setTimeout(() => {
          log.push(name);
          if (fail) reject(new Error(name));
          else resolve(name);
        }, ms),
      );
    const a1 = queue.run('a', step('a1', 30, true));
    const a2 = queue.run('a', step('a2', 1));
    const b1 = queue.run('b', step('b1', 10));
    await expect(a1).rejects.toThrow('a1');
    expect(await a2).toBe('a2');
    expect(await b1).toBe('b1');
    expect(log).toEqual(['b1', 'a1', 'a2']);
    await queue.idle();
  });
});
