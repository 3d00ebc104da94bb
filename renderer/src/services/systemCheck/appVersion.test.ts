import { describe, expect, it } from 'vitest';
import { compareVersions, meetsMinimum, parseVersion } from './appVersion';

const cmp = (a: string, b: string) => compareVersions(parseVersion(a)!, parseVersion(b)!);

describe('app version comparison', () => {
  it('orders by major, minor, then patch as numbers, not text', () => {
    expect(cmp('1.10.0', '1.9.9')).toBe(1);
    expect(cmp('2.0.0', '10.0.0')).toBe(-1);
    expect(cmp('0.1.0', '0.1.0')).toBe(0);
    expect(cmp('v1.2.3', '1.2.3')).toBe(0);
  });

  it('puts pre-releases before their release, in semver order', () => {
    const ordered = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
    for (let i = 0; i + 1 < ordered.length; i++) {
      expect(cmp(ordered[i]!, ordered[i + 1]!)).toBe(-1);
      expect(cmp(ordered[i + 1]!, ordered[i]!)).toBe(1);
    }
  });

  it('ignores build metadata', () => {
    expect(cmp('1.2.3+build.7', '1.2.3')).toBe(0);
  });

  it('refuses what is not a version', () => {
    for (const bad of ['', '1', '1.2', '1.2.3.4', '01.2.3', '1.2.x', 'latest', '1.2.3-']) expect(parseVersion(bad)).toBeNull();
  });

  it('says whether an app meets the server minimum, or null when it cannot tell', () => {
    expect(meetsMinimum('0.1.0', '0.1.0')).toBe(true);
    expect(meetsMinimum('0.2.0', '0.1.5')).toBe(true);
    expect(meetsMinimum('0.1.0', '0.2.0')).toBe(false);
    expect(meetsMinimum('1.0.0-rc.1', '1.0.0')).toBe(false);
    expect(meetsMinimum('dev', '1.0.0')).toBeNull();
  });
});
