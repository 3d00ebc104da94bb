import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { RELEASE_KEY_CONTEXT } from '../../shared/domain/attestation';

/**
 * The release key: what the server checks to know a request comes from an official desktop build.
 *
 * A packaged app's key is derived from its `app.asar` header. The header lists every file with its
 * size and SHA-256 integrity (@electron/asar writes them), and Electron's own asar integrity check
 * (the EnableEmbeddedAsarIntegrityValidation fuse, on Windows and macOS) is the SHA-256 of exactly
 * this header string. So any change to any file inside the asar changes the key.
 */

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** Reads `length` bytes at `offset` of a file (the main process passes Electron's original-fs, which sees an asar as a file). */
export type ReadRange = (path: string, offset: number, length: number) => Promise<Buffer>;

/**
 * A ReadRange over an `fs.promises`-like module: Node's own in tests and scripts, Electron's
 * original-fs in the packaged app.
 */
export function readRangeWith(fs: { open(path: string, flags: 'r'): Promise<{ read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>; close(): Promise<void> }> }): ReadRange {
  return async (path, offset, length) => {
    const handle = await fs.open(path, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  };
}

/** An asar larger than this header is not one of ours (the app's header is tens of kilobytes). */
const MAX_HEADER_BYTES = 64 * 1024 * 1024;

/**
 * The JSON header string of an asar archive. The archive starts with two Chromium pickles: one whose
 * payload is the header pickle's size, then the header pickle, whose payload is a length-prefixed string.
 */
export async function asarHeaderString(archive: string, read: ReadRange): Promise<string> {
  const sizePickle = await read(archive, 0, 8);
  if (sizePickle.length < 8 || sizePickle.readUInt32LE(0) !== 4) throw new Error(`${archive} is not an asar archive`);
  const headerPickleSize = sizePickle.readUInt32LE(4);
  if (headerPickleSize < 8 || headerPickleSize > MAX_HEADER_BYTES) throw new Error(`${archive} has an implausible asar header size (${headerPickleSize})`);
  const headerPickle = await read(archive, 8, headerPickleSize);
  const length = headerPickle.readInt32LE(4);
  if (length < 0 || 8 + length > headerPickle.length) throw new Error(`${archive} has a truncated asar header`);
  return headerPickle.subarray(8, 8 + length).toString('utf8');
}

/** Electron's asar integrity value: SHA-256 of the header string, hex. */
export function asarIntegrity(headerString: string): string {
  return sha256Hex(headerString);
}

/** The release key of a packaged build, from its asar integrity hash. */
export function releaseKeyFromIntegrity(integrity: string): string {
  return sha256Hex(`${RELEASE_KEY_CONTEXT}\n${integrity}`);
}

export async function releaseKeyOfAsar(archive: string, read: ReadRange): Promise<string> {
  return releaseKeyFromIntegrity(asarIntegrity(await asarHeaderString(archive, read)));
}

/**
 * The key of an unpackaged development build (`out/`): the same derivation over a listing of every
 * file's path and SHA-256. `npm start` registers it with a server on loopback only; a deployment
 * accepts only packaged builds' keys.
 */
export async function releaseKeyOfDirectory(dir: string): Promise<string> {
  const files: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  await walk(dir);
  const names = files.map((path) => ({ path, name: relative(dir, path).split(sep).join('/') })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const listing: string[] = [];
  for (const { path, name } of names) listing.push(`${name}\0${sha256Hex(await readFile(path))}`);
  return releaseKeyFromIntegrity(sha256Hex(`development-build\n${listing.join('\n')}`));
}

/** `hex(sha256(url ‖ releaseKey))`, the value of the attestation header for one request. */
export function attestationDigest(url: string, releaseKey: string): string {
  return createHash('sha256').update(url, 'utf8').update(releaseKey, 'utf8').digest('hex');
}
