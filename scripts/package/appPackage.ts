// The packaged desktop app's contents and its release key, built offline: the main process, preload
// and renderer from out/, a package.json, and only the npm packages the main process imports at run
// time (with their own dependencies), packed into app.asar with @electron/asar. Renderer-only
// packages (React, tesseract.js, face-api …) are bundled into out/renderer and stay out.
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { createPackageWithOptions, getRawHeader, uncache } from '@electron/asar';
import { asarIntegrity, releaseKeyFromIntegrity } from '../../electron/services/releaseKey';

export interface PackageOptions {
  /** The project root: its out/ (built), package.json and node_modules/. */
  readonly root: string;
  /** Where the staging folder, app.asar and release.json go (emptied first). */
  readonly dest: string;
}

export interface PackagedApp {
  readonly asar: string;
  readonly version: string;
  readonly releaseKey: string;
  readonly asarIntegrity: { readonly algorithm: 'SHA256'; readonly hash: string };
  readonly bytes: number;
  readonly packages: readonly string[];
}

const NOT_FROM_NPM = new Set(['electron', 'original-fs', ...builtinModules]);

/** Bare specifiers the bundled main process imports (`import … from "x"`, `require("x")`), as package names. */
export function runtimeImports(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"'./][^"']*)["']/g)) {
    const specifier = match[1]!;
    if (specifier.startsWith('node:')) continue;
    const parts = specifier.split('/');
    const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    if (!NOT_FROM_NPM.has(name)) names.add(name);
  }
  return [...names].sort();
}

/** `names` with their production dependencies, found in the hoisted node_modules. */
async function closure(root: string, names: readonly string[]): Promise<string[]> {
  const seen = new Set<string>();
  const queue = [...names];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    const manifest = join(root, 'node_modules', name, 'package.json');
    const pkg = JSON.parse(await readFile(manifest, 'utf8').catch(() => {
      throw new Error(`the main process imports ${name}, which is not installed in node_modules (run npm install)`);
    })) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    seen.add(name);
    queue.push(...Object.keys(pkg.dependencies ?? {}));
    // Optional dependencies are taken only where installed (platform binaries of other systems are not).
    for (const optional of Object.keys(pkg.optionalDependencies ?? {})) {
      if (await stat(join(root, 'node_modules', optional)).then(() => true, () => false)) queue.push(optional);
    }
  }
  return [...seen].sort();
}

export async function packageApp({ root, dest }: PackageOptions): Promise<PackagedApp> {
  const main = await readFile(join(root, 'out/main/main.js'), 'utf8').catch(() => {
    throw new Error('out/main/main.js is missing: build the app first (npm run build)');
  });
  const project = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    description?: string;
    type?: string;
    main: string;
    dependencies?: Record<string, string>;
  };
  const direct = runtimeImports(main);
  const packages = await closure(root, direct);

  await rm(dest, { recursive: true, force: true });
  const stage = join(dest, 'app');
  await mkdir(stage, { recursive: true });
  for (const part of ['main', 'preload', 'renderer']) await cp(join(root, 'out', part), join(stage, 'out', part), { recursive: true });
  for (const name of packages) await cp(join(root, 'node_modules', name), join(stage, 'node_modules', name), { recursive: true, dereference: true });
  const manifest = {
    name: project.name,
    version: project.version,
    description: project.description,
    type: project.type,
    main: project.main,
    dependencies: Object.fromEntries(direct.map((name) => [name, project.dependencies?.[name] ?? '*'])),
  };
  await writeFile(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const asar = join(dest, 'app.asar');
  // Native addons cannot be loaded from inside an asar; none are expected, but they would go beside it.
  await createPackageWithOptions(stage, asar, { unpack: '*.node' });
  uncache(asar);
  const hash = asarIntegrity(getRawHeader(asar).headerString);
  const packaged: PackagedApp = {
    asar,
    version: project.version,
    releaseKey: releaseKeyFromIntegrity(hash),
    asarIntegrity: { algorithm: 'SHA256', hash },
    bytes: (await stat(asar)).size,
    packages,
  };
  await writeFile(join(dest, 'release.json'), `${JSON.stringify({ ...packaged, asar: 'app.asar' }, null, 2)}\n`);
  return packaged;
}

/** The release key of an asar someone else built (an installer's resources/app.asar). */
export function releaseKeyOfBuiltAsar(asar: string): { releaseKey: string; integrity: string } {
  const integrity = asarIntegrity(getRawHeader(asar).headerString);
  return { releaseKey: releaseKeyFromIntegrity(integrity), integrity };
}

export const sha256File = async (path: string): Promise<string> => createHash('sha256').update(await readFile(path)).digest('hex');
