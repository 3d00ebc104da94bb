import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Settings } from '../shared/ipc/contract';
import { checkServerUrl, DEPLOYMENT_SETTINGS_FILE } from './config';

// electron-builder cannot build installers here (it downloads Electron), but its own schema validator
// runs offline: this is the check that electron-builder.yml is a configuration it will accept.
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean }): Promise<void>;
};

type Config = Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  mac: { hardenedRuntime: boolean; entitlements: string; extendInfo: Record<string, string> };
  nsis: { oneClick: boolean; perMachine: boolean };
  linux: { target: string[]; category: string };
};

/** Every .ts file under `dir`, the host's own code (tests included; the check skips them). */
async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

const configPath = fileURLToPath(new URL('../electron-builder.yml', import.meta.url));
const loadConfig = async () => yaml.load(await readFile(configPath, 'utf8')) as Config;
const validate = (config: unknown) => validateConfiguration(config, { isEnabled: false });

describe('electron-builder.yml', () => {
  it("passes electron-builder's own configuration validator", async () => {
    await expect(validate(await loadConfig())).resolves.toBeUndefined();
  }, 30_000);

  it('fails that validator when a key is wrong (so the check above means something)', async () => {
    const config = await loadConfig();
    await expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNodee: false } })).rejects.toThrow(/configuration.electronFuses/);
    await expect(validate({ ...config, nsis: { ...config.nsis, oneClick: 'no' } })).rejects.toThrow(/oneClick/);
  }, 30_000);

  it('locks the Electron binary down with fuses', async () => {
    expect((await loadConfig()).electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('asks macOS for camera and microphone with sentences a learner understands', async () => {
    const config = await loadConfig();
    expect(config.appId).toBe('edu.invigil.client');
    expect(config.asar).toBe(true);
    expect(config.mac.hardenedRuntime).toBe(true);
    const entitlements = await readFile(fileURLToPath(new URL(`../${config.mac.entitlements}`, import.meta.url)), 'utf8');
    expect(entitlements).toContain('com.apple.security.device.camera');
    expect(entitlements).toContain('com.apple.security.device.audio-input');
    expect(config.mac.extendInfo.NSCameraUsageDescription).toMatch(/camera/);
    expect(config.mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/microphone/);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false });
    // The deb only: an AppImage cannot set up Chromium's sandbox on Ubuntu 24.04 (see electron-builder.yml).
    expect(config.linux).toMatchObject({ target: ['deb'], category: 'Education' });
  });

  it('never turns the Chromium sandbox off in what ships: the packaging, the desktop host and the script that builds it', async () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const isTest = (file: string) => file.endsWith('.test.ts') || file.split(sep).includes('test');
    const shipped = [
      fileURLToPath(new URL('../electron-builder.yml', import.meta.url)),
      fileURLToPath(new URL('../package.json', import.meta.url)),
      fileURLToPath(new URL('../scripts/packageApp.ts', import.meta.url)),
      ...(await sourceFiles(here)).filter((file) => !isTest(relative(here, file))),
    ];
    expect(shipped.length).toBeGreaterThan(20);
    for (const file of shipped) expect(await readFile(file, 'utf8'), file).not.toContain('--no-sandbox');
  });

  it("ships the deployment's settings beside app.asar, where the learner cannot write, with a server the client accepts", async () => {
    const config = await loadConfig();
    expect(config.extraResources).toEqual([{ from: 'assets/deployment/invigil-settings.json', to: DEPLOYMENT_SETTINGS_FILE }]);
    const shipped = JSON.parse(await readFile(fileURLToPath(new URL('../assets/deployment/invigil-settings.json', import.meta.url)), 'utf8')) as unknown;
    const settings = Settings.parse(shipped);
    expect(checkServerUrl(settings.serverUrl)).toBe(settings.serverUrl);
  });
});
