import { describe, expect, it } from 'vitest';
import { findInvalidText } from './text';

describe('findInvalidText', () => {
  it('finds NULs and lone surrogates in strings and keys, first in document order, with the path', () => {
    expect(findInvalidText({ a: 'fine', b: ['ok', 'x\u0000y'], c: '\ud800' }, ['body'])).toEqual({ path: 'body.b.1', message: expect.stringContaining('NUL') });
    expect(findInvalidText({ a: { ['k\udc00']: 1 } })).toEqual({ path: 'a', message: expect.stringMatching(/^has a field name that .*surrogate/) });
    expect(findInvalidText(['\udbff'])).toEqual({ path: '0', message: expect.stringContaining('lone UTF-16 surrogate') });
    expect(findInvalidText('high then high \ud83d\ud83d\udcaf')?.message).toContain('surrogate');
  });

  it('accepts well-formed text, pairs included, and values that hold no text', () => {
    expect(findInvalidText({ emoji: '📷 \ud83d\udcf7', n: 1, b: true, z: null, list: [{ deep: 'ü' }] })).toBeNull();
    expect(findInvalidText(undefined)).toBeNull();
  });

  it('walks any nesting without running out of stack', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 200_000; i += 1) deep = [deep];
    expect(findInvalidText(deep)?.message).toContain('NUL');
  });
});
