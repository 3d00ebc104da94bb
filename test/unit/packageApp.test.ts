import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFile, listPackage, uncacheAll } from '@electron/asar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fsPromises from 'node:fs/promises';
import { readRangeWith, releaseKeyOfAsar } from '../../electron/services/releaseKey';
import { packageApp, runtimeImports } from '../../scripts/package/appPackage';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'invigil-package-'));
});
afterEach(async () => {
  uncacheAll();
  await rm(root, { recursive: true, force: true });
});

async function write(path: string, text: string): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), text);
}

const readRange = readRangeWith(fsPromises);

/** A project as the build leaves it: out/ plus node_modules with runtime and renderer-only packages. */
async function project(mainCode: string): Promise<void> {
  await write('package.json', JSON.stringify({ name: 'invigil', version: '9.9.9', type: 'module', main: 'out/main/main.js', dependencies: { zod: '4.6.7', react: '19' } }));
  await write('out/main/main.js', mainCode);
  await write('out/preload/preload.cjs', 'module.exports = {};');
  await write('out/renderer/index.html', '<!doctype html>');
  await write('node_modules/zod/package.json', JSON.stringify({ name: 'zod', dependencies: { 'tiny-dep': '1' } }));
  await write('node_modules/zod/index.js', 'export const z = 1;');
  await write('node_modules/tiny-dep/package.json', JSON.stringify({ name: 'tiny-dep' }));
  await write('node_modules/react/package.json', JSON.stringify({ name: 'react' }));
}

const MAIN = 'import { app } from "electron";\nimport fs from "original-fs";\nimport { join } from "node:path";\nimport { z } from "zod";\n';

describe('packageApp', () => {
  it('finds the npm packages the bundled main process imports, and nothing built in', () => {
    expect(runtimeImports(MAIN + 'const x = require("tus-js-client/lib/node");\nimport("@scope/pkg/deep");\nimport "./local.js";')).toEqual([
      '@scope/pkg',
      'tus-js-client',
      'zod',
    ]);
  });

  it('packs out/ and only the main process’s packages (with their dependencies) into app.asar, and reports its release key', async () => {
    await project(MAIN);
    const app = await packageApp({ root, dest: join(root, 'dist') });
    const files = listPackage(app.asar, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    expect(files).toEqual(expect.arrayContaining(['/out/main/main.js', '/out/preload/preload.cjs', '/out/renderer/index.html', '/node_modules/zod/index.js', '/node_modules/tiny-dep/package.json']));
    expect(files.some((f) => f.startsWith('/node_modules/react'))).toBe(false);
    expect(app.packages).toEqual(['tiny-dep', 'zod']);
    expect(JSON.parse(extractFile(app.asar, 'package.json').toString())).toMatchObject({ main: 'out/main/main.js', version: '9.9.9', dependencies: { zod: '4.6.7' } });
    // The key the running app computes from its own asar is the one printed for the deployment.
    expect(await releaseKeyOfAsar(app.asar, readRange)).toBe(app.releaseKey);
  });

  it('changes the release key when any file inside changes', async () => {
    await project(MAIN);
    const first = await packageApp({ root, dest: join(root, 'dist-1') });
    await write('out/renderer/index.html', '<!doctype html><script>alert(1)</script>');
    const second = await packageApp({ root, dest: join(root, 'dist-2') });
    expect(second.releaseKey).not.toBe(first.releaseKey);
  });

  it('stops with a clear message when the app was not built', async () => {
    await expect(packageApp({ root, dest: join(root, 'dist') })).rejects.toThrow(/build the app first/);
  });
});
