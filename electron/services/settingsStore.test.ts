import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { FsSettingsStore } from './settingsStore';

let dir: string;
let file: string;
const defaults = { serverUrl: 'http://127.0.0.1:8080' };
const save = (value: unknown) => writeFile(file, typeof value === 'string' ? value : JSON.stringify(value));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'invigil-settings-'));
  file = join(dir, 'invigil-settings.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FsSettingsStore', () => {
  it('uses the built-in defaults when the deployment ships no settings file', async () => {
    expect(await new FsSettingsStore({ file, defaults, log: silentLogger }).get()).toEqual(defaults);
  });

  it("uses the deployment's file when there is one, read once per run", async () => {
    await save({ serverUrl: 'https://exams.example.edu' });
    const store = new FsSettingsStore({ file, defaults, log: silentLogger });
    expect(await store.get()).toEqual({ serverUrl: 'https://exams.example.edu' });
    await save({ serverUrl: 'https://elsewhere.example' });
    // The CSP was fixed at start: the page must keep seeing the same server.
    expect(await store.get()).toEqual({ serverUrl: 'https://exams.example.edu' });
  });

  it('fails with a sentence naming the file when it is damaged or invalid (a deployment mistake, shown at start-up)', async () => {
    await save('{"serverUrl": "https://exams.example.edu"');
    await expect(new FsSettingsStore({ file, defaults, log: silentLogger }).get()).rejects.toThrow(/invigil-settings\.json is not valid JSON/);
    await save({ serverUrl: 'nope' });
    await expect(new FsSettingsStore({ file, defaults, log: silentLogger }).get()).rejects.toThrow(/must hold \{"serverUrl"/);
  });

  it('refuses a plain-http server on another computer', async () => {
    await save({ serverUrl: 'http://exams.example.edu' });
    await expect(new FsSettingsStore({ file, defaults, log: silentLogger }).get()).rejects.toThrow(/serverUrl in .*invigil-settings\.json.*plain http/);
  });

  it('lets a development override win over the file for this run', async () => {
    await save({ serverUrl: 'https://saved.example' });
    const store = new FsSettingsStore({ file, defaults, overrides: { serverUrl: 'http://127.0.0.1:9999' }, log: silentLogger });
    expect(await store.get()).toEqual({ serverUrl: 'http://127.0.0.1:9999' });
  });

  it('reads settings.json in a data folder (the web host)', async () => {
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ serverUrl: 'https://exams.example.edu' }));
    expect(await new FsSettingsStore({ dataDir: dir, defaults, log: silentLogger }).get()).toEqual({ serverUrl: 'https://exams.example.edu' });
  });
});
