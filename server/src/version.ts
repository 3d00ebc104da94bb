import { readFile } from 'node:fs/promises';

/** The app version every server accepts unless told otherwise (INVIGIL_MIN_APP_VERSION). */
export const DEFAULT_MIN_APP_VERSION = '0.1.0';

/** `major.minor.patch`, optionally followed by a pre-release or build suffix (`0.2.0-beta.1`). */
export const VERSION_PATTERN = /^(\d{1,9})\.(\d{1,9})\.(\d{1,9})(?:[-+][0-9A-Za-z.+-]*)?$/;

type Triple = readonly [number, number, number];

function parse(version: string): Triple | null {
  const m = VERSION_PATTERN.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/**
 * Whether an app of `version` is at least `minimum`. Pre-release suffixes are ignored (a 0.2.0-beta
 * build counts as 0.2.0: it is what developers run). A version that cannot be read is refused.
 */
export function meetsMinimum(version: string, minimum: string): boolean {
  const v = parse(version);
  const min = parse(minimum);
  if (!v || !min) return false;
  for (let i = 0; i < 3; i += 1) {
    if (v[i]! !== min[i]!) return v[i]! > min[i]!;
  }
  return true;
}

/** The server's own version, from server/package.json (read once at start-up). */
export async function readServerVersion(): Promise<string> {
  const raw = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  if (typeof raw.version !== 'string') throw new Error('server/package.json has no version');
  return raw.version;
}
