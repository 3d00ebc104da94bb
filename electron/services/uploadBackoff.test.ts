import { describe, expect, it } from 'vitest';
import { backoffDelay, classifyFailure, DEFAULT_BACKOFF } from './uploadBackoff';

describe('backoffDelay', () => {
  it('starts at about a second, doubles, and never waits more than a minute', () => {
    const low = [0, 1, 2, 3, 4, 5, 6, 7, 20, 1000].map((attempt) => backoffDelay(attempt, 0));
    const high = [0, 1, 2, 3, 4, 5, 6, 7, 20, 1000].map((attempt) => backoffDelay(attempt, 0.999999));
    expect(low).toEqual([1000, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
    expect(high).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]);
    for (const delay of [...low, ...high]) {
      expect(delay).toBeGreaterThanOrEqual(DEFAULT_BACKOFF.initialMs);
      expect(delay).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxMs);
    }
  });

  it('spreads clients that failed together', () => {
    const delays = new Set([0.1, 0.3, 0.5, 0.7, 0.9].map((r) => backoffDelay(5, r)));
    expect(delays.size).toBe(5);
  });
});

describe('classifyFailure', () => {
  it('retries network failures and passing conditions, asks for a token on 401/403, gives up on other client errors', () => {
    const cases = [undefined, 500, 502, 503, 409, 423, 429, 401, 403, 404, 410, 400, 413, 460];
    expect(cases.map(classifyFailure)).toEqual([
      'transient',
      'transient',
      'transient',
      'transient',
      'transient',
      'transient',
      'transient',
      'unauthorized',
      'unauthorized',
      'gone',
      'gone',
      'permanent',
      'permanent',
      'permanent',
    ]);
  });
});
