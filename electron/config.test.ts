import { describe, expect, it } from 'vitest';
import { checkServerUrl, serverUrlOverride, serverUrlOverrideRequested } from './config';

describe('serverUrlOverride', () => {
  const dev = { packaged: false };
  it('prefers the flag, then the environment, else leaves it to the deployment settings (development builds)', () => {
    const env = { INVIGIL_SERVER_URL: 'http://127.0.0.1:8080' };
    expect(serverUrlOverride(['electron', '.', '--server-url=https://flag.example'], env, dev)).toBe('https://flag.example');
    expect(serverUrlOverride(['electron', '.'], env, dev)).toBe('http://127.0.0.1:8080');
    expect(serverUrlOverride(['electron', '.'], {}, dev)).toBeUndefined();
  });
  it('is never honoured by an installed (packaged) app: the learner owns its command line and environment', () => {
    const argv = ['Invigil.exe', '--server-url=https://evil.example'];
    const env = { INVIGIL_SERVER_URL: 'https://evil.example' };
    expect(serverUrlOverride(argv, env, { packaged: true })).toBeUndefined();
    expect(serverUrlOverrideRequested(argv, {})).toBe(true);
    expect(serverUrlOverrideRequested([], env)).toBe(true);
    expect(serverUrlOverrideRequested([], {})).toBe(false);
  });
  it('refuses something that is not an acceptable server URL, saying where it came from', () => {
    expect(() => serverUrlOverride(['--server-url=file:///etc'], {}, dev)).toThrow(/--server-url.*not an http/);
    expect(() => serverUrlOverride(['--server-url=http://exams.example.edu'], {}, dev)).toThrow(/plain http/);
  });
});

describe('checkServerUrl', () => {
  it('accepts https anywhere and plain http only on this computer', () => {
    for (const ok of ['https://exams.example.edu', 'https://10.0.0.5:8443/base', 'http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080']) {
      expect(checkServerUrl(ok)).toBe(ok);
    }
    for (const bad of ['http://exams.example.edu', 'http://10.0.0.5:8080', 'http://127.0.0.1.example.com', 'ws://127.0.0.1:8080', 'not a url']) {
      expect(() => checkServerUrl(bad)).toThrow();
    }
  });
  it('refuses credentials in the URL', () => {
    expect(() => checkServerUrl('https://user:pw@exams.example.edu')).toThrow(/user name or password/);
  });
});
