import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPackage, getRawHeader, uncacheAll } from '@electron/asar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fsPromises from 'node:fs/promises';
import { asarHeaderString, asarIntegrity, readRangeWith, releaseKeyOfAsar, releaseKeyOfDirectory } from './releaseKey';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'invigil-release-key-'));
});
afterEach(async () => {
  uncacheAll();
  await rm(root, { recursive: true, force: true });
});

const readRange = readRangeWith(fsPromises);

/** A small app folder like the packaged one: main, preload, renderer. */
async function appFolder(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const APP = {
  'package.json': '{"name":"invigil","main":"out/main/main.js"}',
  'out/main/main.js': 'console.log("main");',
  'out/preload/preload.cjs': 'module.exports = {};',
  'out/renderer/index.html': '<!doctype html><title>Invigil</title>',
};

async function pack(name: string, files: Record<string, string>): Promise<string> {
  const dir = await appFolder(name, files);
  const archive = join(root, `${name}.asar`);
  await createPackage(dir, archive);
  return archive;
}

describe('release key of a packaged app', () => {
  it('reads the same header Electron hashes for asar integrity', async () => {
    const archive = await pack('a', APP);
    const header = await asarHeaderString(archive, readRange);
    expect(header).toBe(getRawHeader(archive).headerString);
    expect(asarIntegrity(header)).toBe(createHash('sha256').update(getRawHeader(archive).headerString).digest('hex'));
  });

  it('is the same for the same files and changes when any file inside the asar changes', async () => {
    const base = await releaseKeyOfAsar(await pack('a', APP), readRange);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(await releaseKeyOfAsar(await pack('a-again', APP), readRange)).toBe(base);
    const edits: Record<string, Record<string, string>> = {
      'one byte of main': { ...APP, 'out/main/main.js': 'console.log("mail");' },
      'the renderer page': { ...APP, 'out/renderer/index.html': '<!doctype html><title>Invigil!</title>' },
      'package.json': { ...APP, 'package.json': '{"name":"invigil","main":"out/main/evil.js"}' },
      'an added file': { ...APP, 'out/main/extra.js': '' },
    };
    const keys = new Set([base]);
    for (const [what, files] of Object.entries(edits)) {
      const key = await releaseKeyOfAsar(await pack(what.replaceAll(' ', '-'), files), readRange);
      expect(keys.has(key), `changing ${what} must change the key`).toBe(false);
      keys.add(key);
    }
  });

  it('refuses a file that is not an asar archive', async () => {
    const path = join(root, 'not.asar');
    await writeFile(path, 'PK\x03\x04 a zip, not an asar');
    await expect(releaseKeyOfAsar(path, readRange)).rejects.toThrow(/not an asar/);
  });
});

describe('release key of a development build', () => {
  it('changes with any file under out/', async () => {
    const dir = await appFolder('dev', APP);
    const first = await releaseKeyOfDirectory(join(dir, 'out'));
    expect(await releaseKeyOfDirectory(join(dir, 'out'))).toBe(first);
    await writeFile(join(dir, 'out/preload/preload.cjs'), 'module.exports = { x: 1 };');
    expect(await releaseKeyOfDirectory(join(dir, 'out'))).not.toBe(first);
  });
});
