import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { FsSettingsStore } from './settingsStore';

let dataDir: string;
const defaults = { serverUrl: 'http://127.0.0.1:8080' };
const save = (value: unknown) => writeFile(join(dataDir, 'settings.json'), typeof value === 'string' ? value : JSON.stringify(value));

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'invigil-settings-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('FsSettingsStore', () => {
  it('uses the defaults until a deployment writes settings.json, then the file', async () => {
    const store = new FsSettingsStore({ dataDir, defaults, log: silentLogger });
    expect(await store.get()).toEqual(defaults);
    await save({ serverUrl: 'https://exams.example.edu' });
    expect(await store.get()).toEqual({ serverUrl: 'https://exams.example.edu' });
  });

  it('falls back to the defaults when the file is damaged or invalid', async () => {
    const store = new FsSettingsStore({ dataDir, defaults, log: silentLogger });
    await save('{"serverUrl": "not a url"');
    expect(await store.get()).toEqual(defaults);
    await save({ serverUrl: 'nope' });
    expect(await store.get()).toEqual(defaults);
  });

  it('lets a command-line override win over the file for this run', async () => {
    await save({ serverUrl: 'http://saved.example:8080' });
    const store = new FsSettingsStore({ dataDir, defaults, overrides: { serverUrl: 'http://127.0.0.1:9999' }, log: silentLogger });
    expect(await store.get()).toEqual({ serverUrl: 'http://127.0.0.1:9999' });
  });
});
