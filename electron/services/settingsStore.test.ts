import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { FsSettingsStore } from './settingsStore';

let dataDir: string;
const defaults = { serverUrl: 'http://127.0.0.1:8080' };

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'invigil-settings-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('FsSettingsStore', () => {
  it('starts from the defaults and remembers an update across instances', async () => {
    const store = new FsSettingsStore({ dataDir, defaults, log: silentLogger });
    expect(await store.get()).toEqual(defaults);
    expect(await store.update({ serverUrl: 'https://exams.example.edu' })).toEqual({ serverUrl: 'https://exams.example.edu' });
    const again = new FsSettingsStore({ dataDir, defaults, log: silentLogger });
    expect(await again.get()).toEqual({ serverUrl: 'https://exams.example.edu' });
  });

  it('falls back to the defaults when the file is damaged, and an update repairs it', async () => {
    await writeFile(join(dataDir, 'settings.json'), '{"serverUrl": "not a url"');
    const store = new FsSettingsStore({ dataDir, defaults, log: silentLogger });
    expect(await store.get()).toEqual(defaults);
    await store.update({ serverUrl: 'http://10.0.0.5:8080' });
    expect(JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'))).toEqual({ serverUrl: 'http://10.0.0.5:8080' });
  });

  it('lets a command-line override win without saving it', async () => {
    const store = new FsSettingsStore({ dataDir, defaults, overrides: { serverUrl: 'http://127.0.0.1:9999' }, log: silentLogger });
    expect(await store.update({ serverUrl: 'http://saved.example:8080' })).toEqual({ serverUrl: 'http://127.0.0.1:9999' });
    expect(await new FsSettingsStore({ dataDir, defaults, log: silentLogger }).get()).toEqual({ serverUrl: 'http://saved.example:8080' });
  });

  it('rejects an invalid update and keeps the saved value', async () => {
    const store = new FsSettingsStore({ dataDir, defaults, log: silentLogger });
    await store.update({ serverUrl: 'http://good.example' });
    await expect(store.update({ serverUrl: 'nope' })).rejects.toThrow();
    expect(await store.get()).toEqual({ serverUrl: 'http://good.example' });
  });
});
