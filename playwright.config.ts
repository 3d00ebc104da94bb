import { defineConfig } from '@playwright/test';
import { cameraArgs, chromiumWithCamera } from './scripts/chromium';

// The fake webcam: Chromium loops this clip (../shared is beside the checkout, here and in CI).
const camera = process.env.INVIGIL_FAKE_CAMERA ?? 'face_alone';

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
    launchOptions: chromiumWithCamera(camera),
  },
  projects: [
    { name: 'browser', testMatch: 'e2e/**/*.e2e.ts', testIgnore: 'e2e/benchSmoke.e2e.ts' },
    // The benches' smoke runs load both cores (capture records video, ocr reads IDs): they run after
    // the browser tests, so timing-sensitive tests (recording durations, flag thresholds) never share
    // the machine with them.
    { name: 'benches', testMatch: 'e2e/benchSmoke.e2e.ts', dependencies: ['browser'] },
    // The desktop app, through Playwright's _electron (test/electron): the same fake camera, as
    // switches on Electron's command line (launchOptions apply to browsers only).
    { name: 'electron', testMatch: 'electron/**/*.e2e.ts', metadata: { electronArgs: cameraArgs(camera) } },
  ],
});
