/**
 * Semantic versions as the app and the server write them (`1.4.0`, `1.5.0-beta.2`, `v2.0.1`).
 * Pre-release ordering follows semver §11: `1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-beta < 1.0.0`.
 * Build metadata (`+sha.abc`) is ignored.
 */
export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: readonly (string | number)[];
}

const PATTERN = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseVersion(text: string): Version | null {
  const m = PATTERN.exec(text.trim());
  if (!m) return null;
  const prerelease = m[4] ? m[4].split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)) : [];
  if (prerelease.some((part) => part === '')) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease };
}

/** Negative when `a` is older than `b`, zero when equal, positive when newer. */
export function compareVersions(a: Version, b: Version): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return Math.sign(core);
  // A version without a pre-release is newer than the same version with one.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return Math.sign(b.prerelease.length - a.prerelease.length);
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    // Numeric identifiers are older than alphanumeric ones.
    if (typeof x === 'number' && typeof y === 'number') return Math.sign(x - y);
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Whether `appVersion` is at least `minimum`; null when either cannot be read as a version. */
export function meetsMinimum(appVersion: string, minimum: string): boolean | null {
  const app = parseVersion(appVersion);
  const min = parseVersion(minimum);
  if (!app || !min) return null;
  return compareVersions(app, min) >= 0;
}
