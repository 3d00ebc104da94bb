import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { installedElectronBinary } from '../../scripts/electronBinary';
import { repoRoot, startServer, tempDir, type Running } from '../helpers/processes';
import { demoLearner } from '../helpers/fixtures';
import { answerEveryQuestion, beginExam, expectAllSaved, openSection, submitExam } from '../helpers/flows';

// The desktop client's own end-to-end tests. They need Electron's binary, which cannot be downloaded
// where there is no internet (this project's CI), and a display (on Linux without one, run them under
// `xvfb-run -a`). Without either they skip and say why. See docs/desktop-smoke-test.md.
const binary = installedElectronBinary();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const reason = !binary
  ? 'Electron binary not installed (node_modules/electron/path.txt missing: it cannot be downloaded here). ' +
    'Run `node node_modules/electron/install.js` where the network allows, then `npx playwright test --project electron`.'
  : noDisplay
    ? 'No display (DISPLAY and WAYLAND_DISPLAY are unset): run `xvfb-run -a npx playwright test --project electron`.'
    : null;
if (reason !== null) console.warn(`[electron e2e] skipped: ${reason}`);

test.describe('desktop client', () => {
  test.skip(reason !== null, reason ?? '');
  let server: Running;

  test.beforeAll(async () => {
    server = await startServer({ dataDir: tempDir('electron-server') });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  /**
   * The unpackaged app as Playwright's `_electron` starts it. `_electron` adds `--inspect=0
   * --remote-debugging-port=0`, which the app treats as a debugging launch (the lockdown refuses to
   * engage) unless INVIGIL_DEV_ALLOW_DEBUGGING=1, honoured by unpackaged builds only. The electron
   * project's metadata carries Chromium's fake camera switches (playwright.config.ts).
   * `--no-sandbox` is for CI containers running as root; an installed app never gets it.
   */
  const launch = (electronArgs: readonly string[]): Promise<ElectronApplication> =>
    electron.launch({
      executablePath: binary!,
      args: [repoRoot, `--server-url=${server.url}`, '--no-sandbox', ...electronArgs],
      env: { ...process.env, INVIGIL_USER_DATA: tempDir('electron-user'), INVIGIL_DEV_ALLOW_DEBUGGING: '1' },
    });
  const argsOf = (metadata: Record<string, unknown>): readonly string[] => (metadata.electronArgs as string[] | undefined) ?? [];

  test('a learner sits the trial test in the desktop app', async () => {
    const app = await launch(argsOf(test.info().project.metadata));
    try {
      const page = await app.firstWindow();
      await expect(page.getByRole('heading', { name: 'Sign in to Invigil' })).toBeVisible();
      // The desktop host exposes only the contract, never Node or raw IPC.
      expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => Object.keys((window as unknown as { invigil: object }).invigil).length)).toBeGreaterThan(3);

      await page.getByLabel('Email').fill(demoLearner.email);
      await page.getByLabel('Password').fill(demoLearner.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await beginExam(page, 'Sample Proctored Trial Test');
      // Locked down: kiosk, so the debugging launch was allowed for this test only.
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isKiosk())).toBe(true);
      await openSection(page);
      await answerEveryQuestion(page);
      await expectAllSaved(page);
      await submitExam(page);
      await expect(page.getByRole('heading', { name: 'Trial test submitted' })).toBeVisible();
    } finally {
      await app.close();
    }
  });

  test('a crashed exam page is reloaded and the exam stays locked down', async () => {
    const app = await launch(argsOf(test.info().project.metadata));
    try {
      const page = await app.firstWindow();
      // The second demo learner: the first one's trial test is submitted by the test above.
      await page.getByLabel('Email').fill('learner2@invigil.test');
      await page.getByLabel('Password').fill('learner-demo-2');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await beginExam(page, 'Sample Proctored Trial Test', 'Start');
      await openSection(page);
      await answerEveryQuestion(page);
      await expectAllSaved(page);

      // Waits for the reload crash recovery starts, then kills the page's renderer process.
      const reloaded = app.evaluate(
        ({ BrowserWindow }) => new Promise<void>((resolve) => BrowserWindow.getAllWindows()[0]!.webContents.once('did-finish-load', () => resolve())),
      );
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.forcefullyCrashRenderer());
      await reloaded;
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.isCrashed())).toBe(false);

      const again = app.windows()[0]!;
      await expect(again.getByRole('button', { name: 'Submit exam' })).toBeVisible({ timeout: 30_000 });
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isKiosk())).toBe(true);
      await expectAllSaved(again);
      await submitExam(again);
      await expect(again.getByRole('heading', { name: 'Trial test submitted' })).toBeVisible();
    } finally {
      await app.close();
    }
  });
});
