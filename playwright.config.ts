import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser (this machine and CI have no internet).
const chromiumPath = process.env.INVIGIL_CHROMIUM ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// The fake webcam: Chromium loops this clip (../shared is beside the checkout, here and in CI).
const cameraClip = resolve(process.env.INVIGIL_FAKE_CAMERA ?? '../shared/fixtures/camera/face_alone.mjpeg');
if (!existsSync(cameraClip)) throw new Error(`fake camera clip not found: ${cameraClip} (../shared must sit beside the checkout)`);
const cameraArgs = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${cameraClip}`];

export default defineConfig({
  testDir: 'test',
  outputDir: 'test-results/output',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: chromiumPath, args: [...chromiumArgs, ...cameraArgs] },
  },
  projects: [
    { name: 'browser', testMatch: 'e2e/**/*.e2e.ts' },
    { name: 'electron', testMatch: 'electron/**/*.e2e.ts' },
  ],
});
