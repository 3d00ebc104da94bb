import { describe, expect, it } from 'vitest';
import { isSameOrigin } from './appOrigin';
import { contentSecurityPolicy } from './csp';

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const));

describe('contentSecurityPolicy', () => {
  it('allows only the app and the review server (HTTP and WebSocket) to be reached', () => {
    const csp = directives(contentSecurityPolicy({ serverUrl: 'http://127.0.0.1:8080/api/' }));
    expect(csp.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:8080', 'ws://127.0.0.1:8080']);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    // The review server's playback links: takes and ID images for proctors.
    expect(csp.get('media-src')).toEqual(["'self'", 'blob:', 'mediastream:', 'http://127.0.0.1:8080']);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'http://127.0.0.1:8080']);
    for (const locked of ['object-src', 'base-uri', 'frame-ancestors', 'form-action']) expect(csp.get(locked)).toEqual(["'none'"]);
  });

  it('uses wss for an https server and adds extra sources once', () => {
    const csp = directives(
      contentSecurityPolicy({ serverUrl: 'https://exams.example.edu', extraConnect: ['ws://127.0.0.1:5180', 'ws://127.0.0.1:5180'] }),
    );
    expect(csp.get('connect-src')).toEqual(["'self'", 'https://exams.example.edu', 'wss://exams.example.edu', 'ws://127.0.0.1:5180']);
  });

  it('never allows inline script or eval', () => {
    const csp = contentSecurityPolicy({ serverUrl: 'http://localhost:8080' });
    expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*/);
  });
});

describe('isSameOrigin', () => {
  it('matches the app origin by scheme and host', () => {
    expect(isSameOrigin('app://invigil/index.html')).toBe(true);
    expect(isSameOrigin('app://invigil')).toBe(true);
    expect(isSameOrigin('app://invigil.evil/index.html')).toBe(false);
    expect(isSameOrigin('app://user@invigil/')).toBe(false);
    expect(isSameOrigin('https://invigil/')).toBe(false);
    expect(isSameOrigin('not a url')).toBe(false);
  });
});
