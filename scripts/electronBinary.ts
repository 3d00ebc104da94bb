import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './processes';

const electronPackage = join(repoRoot, 'node_modules/electron');

/**
 * Electron's own binary if it is installed, else null. Electron downloads it lazily (there is no
 * install script), which machines without internet access, such as this project's CI, cannot do.
 */
export function installedElectronBinary(): string | null {
  const pathFile = join(electronPackage, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronPackage, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

export const electronInstallScript = join(electronPackage, 'install.js');
