import { describe, expect, it } from 'vitest';
import { contentTypeOf, resolveStaticPath } from './staticFiles';

describe('resolveStaticPath', () => {
  const root = '/srv/renderer';
  it('maps / to index.html and nested paths inside the folder', () => {
    expect(resolveStaticPath(root, '/')).toBe('/srv/renderer/index.html');
    expect(resolveStaticPath(root, '/assets/index-abc.js')).toBe('/srv/renderer/assets/index-abc.js');
  });
  it.each(['/../etc/passwd', '/assets/../../etc/passwd', '/%2e%2e/etc/passwd', '/..%2fetc/passwd', '/a%5c..%5c..%5cx', '/%00', '/%E0%A4%A'])(
    'refuses %s',
    (path) => {
      expect(resolveStaticPath(root, path)).toBeNull();
    },
  );
});

describe('contentTypeOf', () => {
  it('knows what the renderer build contains', () => {
    expect(contentTypeOf('a.js')).toMatch(/^text\/javascript/);
    expect(contentTypeOf('a.css')).toMatch(/^text\/css/);
    expect(contentTypeOf('a.svg')).toBe('image/svg+xml');
    expect(contentTypeOf('a.woff2')).toBe('font/woff2');
    expect(contentTypeOf('a.wasm')).toBe('application/wasm');
    expect(contentTypeOf('a.unknown')).toBe('application/octet-stream');
  });
});
