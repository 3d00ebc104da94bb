import { describe, expect, it } from 'vitest';
import { api, buildPath } from './routes';

describe('api route table', () => {
  it('has one route per method and path', () => {
    const keys = Object.values(api).map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('declares a params schema for every path parameter', () => {
    for (const [name, r] of Object.entries(api)) {
      const hasParams = /:[A-Za-z]/.test(r.path);
      expect(hasParams, name).toBe('params' in r);
    }
  });

  it('builds paths with encoded parameters', () => {
    expect(buildPath('/api/sessions/:sessionId', { sessionId: 'a/b' })).toBe('/api/sessions/a%2Fb');
    expect(() => buildPath('/api/sessions/:sessionId', {})).toThrow(/sessionId/);
  });
});
