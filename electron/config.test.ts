import { describe, expect, it } from 'vitest';
import { serverUrlOverride } from './config';

describe('serverUrlOverride', () => {
  it('prefers the flag, then the environment, else leaves it to the settings file', () => {
    const env = { INVIGIL_SERVER_URL: 'http://env.example:8080' };
    expect(serverUrlOverride(['electron', '.', '--server-url=https://flag.example'], env)).toBe('https://flag.example');
    expect(serverUrlOverride(['electron', '.'], env)).toBe('http://env.example:8080');
    expect(serverUrlOverride(['electron', '.'], {})).toBeUndefined();
  });
  it('refuses something that is not an http(s) URL', () => {
    expect(() => serverUrlOverride(['--server-url=file:///etc'], {})).toThrow(/not an http/);
  });
});
