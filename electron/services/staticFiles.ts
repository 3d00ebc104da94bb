import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { codeOf } from './durableFs';

/**
 * Serving the built renderer from disk, shared by the desktop `app://` protocol and the web host:
 * URL path → file inside the renderer folder (never outside it), and its content type.
 */

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.gz': 'application/gzip',
  '.webm': 'video/webm',
};

export const contentTypeOf = (path: string): string =>
  CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';

/**
 * Maps a URL pathname to a file under `rootDir`, or null when it would leave the folder
 * (`..`, encoded `%2e%2e`, backslashes, NUL, absolute paths). `/` is `index.html`.
 */
export function resolveStaticPath(rootDir: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null; // malformed percent-encoding is never a file we serve
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relativePath = decoded.replace(/^\/+/, '') || 'index.html';
  const segments = relativePath.split('/');
  if (segments.some((segment) => segment === '..')) return null;
  const root = resolve(rootDir);
  const candidate = resolve(root, join(...segments));
  const inside = relative(root, candidate);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return null;
  return candidate;
}

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly isIndex: boolean;
}

/** Reads a file for a URL path; null when there is no such file (404), so callers never see ENOENT. */
export async function readStaticFile(rootDir: string, pathname: string): Promise<StaticFile | null> {
  const path = resolveStaticPath(rootDir, pathname);
  if (path === null) return null;
  try {
    if (!(await stat(path)).isFile()) return null;
    return { body: await readFile(path), contentType: contentTypeOf(path), isIndex: path === resolve(rootDir, 'index.html') };
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}
