import { describe, expect, it } from 'vitest';
import { meetsMinimum, readServerVersion } from './version';

describe('app versions', () => {
  it('compares major, minor and patch as numbers', () => {
    expect(meetsMinimum('0.1.0', '0.1.0')).toBe(true);
    expect(meetsMinimum('0.10.0', '0.9.9')).toBe(true);
    expect(meetsMinimum('1.0.0', '0.99.99')).toBe(true);
    expect(meetsMinimum('0.9.9', '0.10.0')).toBe(false);
    expect(meetsMinimum('0.1.0', '0.1.1')).toBe(false);
  });

  it('counts a pre-release as its version and refuses what it cannot read', () => {
    expect(meetsMinimum('0.2.0-beta.1', '0.2.0')).toBe(true);
    expect(meetsMinimum('0.2.0+build.7', '0.2.0')).toBe(true);
    expect(meetsMinimum('dev', '0.1.0')).toBe(false);
    expect(meetsMinimum('1.2', '0.1.0')).toBe(false);
  });

  it('reads the server version from server/package.json', async () => {
    expect(await readServerVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
