// `npm run package:app`: builds the desktop app and packs it into dist/package/app.asar offline, then
// prints its release key — the value a deployment lists in INVIGIL_RELEASE_KEYS so the server accepts
// this build for finals. `npm run package:app -- --key-of <path/to/app.asar>` prints the key of an asar
// built elsewhere (an installer's resources/app.asar), which is the one that must be listed.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageApp, releaseKeyOfBuiltAsar } from './package/appPackage';
import { repoRoot } from './processes';

function main(): Promise<void> | void {
  const args = process.argv.slice(2);
  const keyOf = args.indexOf('--key-of');
  if (keyOf !== -1) {
    const asar = args[keyOf + 1];
    if (!asar) throw new Error('--key-of needs the path of an app.asar');
    const { releaseKey, integrity } = releaseKeyOfBuiltAsar(asar);
    process.stdout.write(`${JSON.stringify({ asar, releaseKey, asarIntegrity: { algorithm: 'SHA256', hash: integrity } })}\n`);
    return;
  }
  if (!args.includes('--no-build')) {
    const built = spawnSync(process.execPath, [join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: repoRoot, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('the build failed (see above)');
  }
  return packageApp({ root: repoRoot, dest: join(repoRoot, 'dist/package') }).then((app) => {
    process.stdout.write(`packed ${app.asar} (${(app.bytes / 1024 / 1024).toFixed(1)} MiB, ${app.packages.length} npm packages: ${app.packages.join(', ')})\n`);
    process.stdout.write(`release key: ${app.releaseKey}\nlist it in the server's INVIGIL_RELEASE_KEYS to accept this build for finals.\n`);
    process.stdout.write(`${JSON.stringify({ releaseKey: app.releaseKey, asarIntegrity: app.asarIntegrity, bytes: app.bytes, version: app.version })}\n`);
  });
}

Promise.resolve()
  .then(main)
  .catch((error: unknown) => {
    process.stderr.write(`package:app: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
