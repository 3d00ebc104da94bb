import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { SystemCheckReport } from '../../shared/api/checks';
import { getSession, sessionIdFromUrl, signInApi } from '../helpers/api';
import { demoLearner, expect, signIn, test } from '../helpers/fixtures';
import { examCard } from '../helpers/flows';

const TRIAL = 'Sample Proctored Trial Test';
/** Screenshots to look at by eye; not compared. */
const SHOTS = process.env.INVIGIL_SHOTS_DIR ?? 'test-results/screenshots';

test.beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

const check = (page: Page, id: string) => page.locator(`[data-check="${id}"]`);

async function listSystemChecks(serverUrl: string, sessionId: string): Promise<SystemCheckReport[]> {
  const token = await signInApi(serverUrl, demoLearner.email, demoLearner.password);
  const res = await fetch(`${serverUrl}/api/sessions/${sessionId}/system-checks`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`system-checks: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { reports: SystemCheckReport[] }).reports;
}

test('in a browser, a learner consents and runs the system check; what a browser cannot see is "not supported", and the report is stored', async ({ page, stack }) => {
  await signIn(page, stack);
  await examCard(page, TRIAL).getByRole('button', { name: 'Start' }).click();
  await page.getByRole('button', { name: 'Continue to the checks' }).click();

  // Consent: keyboard only, starting from the focused heading.
  const consentHeading = page.getByRole('heading', { name: 'Consent to recording' });
  await expect(consentHeading).toBeFocused();
  await expect(page.getByRole('button', { name: 'I agree' })).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/consent.png`, fullPage: true });
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
  }
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'I agree' })).toBeFocused();
  await page.keyboard.press('Enter');

  // System check.
  const started = Date.now();
  await expect(page.getByRole('heading', { name: 'System check' })).toBeFocused();
  const finished = page.getByRole('status').filter({ hasText: /System check finished/ });
  await expect(finished).toHaveCount(1, { timeout: 30_000 });
  const checkMs = Date.now() - started;

  for (const id of ['camera', 'microphone', 'bandwidth', 'disk', 'app_version', 'fullscreen']) {
    await expect(check(page, id), id).toContainText('Passed');
  }
  // The browser's one fact about screens decides the displays item.
  const extended = await page.evaluate(() => (screen as Screen & { isExtended?: boolean }).isExtended ?? null);
  await expect(check(page, 'displays')).toContainText(extended === null ? 'Not supported here' : extended ? 'Failed' : 'Passed');
  for (const id of ['virtual_machine', 'processes']) {
    await expect(check(page, id)).toContainText('Not supported here');
    await expect(check(page, id)).toContainText('Use the Invigil desktop app for finals.');
    await expect(check(page, id)).not.toContainText('Passed');
  }
  await expect(page.getByRole('meter', { name: 'Microphone level' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Continue' })).toBeEnabled();
  await page.screenshot({ path: `${SHOTS}/system-check.png`, fullPage: true });

  // What the server stored for the proctor, read from outside the UI.
  const sessionId = sessionIdFromUrl(page.url());
  const reports = await listSystemChecks(stack.server.url, sessionId);
  expect(reports).toHaveLength(1);
  const report = reports[0]!;
  const status = Object.fromEntries(report.items.map((i) => [i.id, i.status]));
  expect(status).toMatchObject({
    camera: 'pass',
    microphone: 'pass',
    bandwidth: 'pass',
    disk: 'pass',
    app_version: 'pass',
    virtual_machine: 'unsupported',
    processes: 'unsupported',
  });
  expect(report.hostKind).toBe('web');
  expect(report.observations).toMatchObject({ machine: null, processes: null });
  const figures = Object.fromEntries(report.items.map((i) => [i.id, i.figures]));
  expect(figures.camera).toMatchObject({ width: 640, height: 480 });
  expect(Number(figures.camera?.meanLuminance)).toBeGreaterThan(12);
  expect(Number(figures.bandwidth?.kbps)).toBeGreaterThan(1000);
  // Figures for the report (the README's "measured" numbers come from here).
  console.log(
    JSON.stringify({
      checkMs,
      bandwidth: figures.bandwidth,
      camera: figures.camera,
      microphone: figures.microphone,
      disk: figures.disk,
      ocr: figures.ocr_engine,
      displays: { extended, status: status.displays },
    }),
  );

  // Check again stores a second report.
  await page.getByRole('button', { name: 'Check again' }).click();
  await expect(page.getByRole('button', { name: 'Continue' })).toBeDisabled();
  await expect(finished).toHaveCount(1, { timeout: 30_000 });
  await expect.poll(async () => (await listSystemChecks(stack.server.url, sessionId)).length).toBe(2);

  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'System check' })).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/after-system-check.png`, fullPage: true });
});

test('on an exam without the ID check, the learner chooses one translator with the keyboard and the choice is recorded', async ({ page, stack }) => {
  await signIn(page, stack);
  await examCard(page, 'E2E timing check').getByRole('button', { name: 'Start' }).click();
  await page.getByRole('button', { name: 'Continue to the checks' }).click();
  await expect(page.getByRole('heading', { name: 'Consent to recording' })).toBeFocused();
  await expect(page.getByRole('checkbox')).toHaveCount(3);
  for (const box of await page.getByRole('checkbox').all()) await box.check();
  await page.getByRole('button', { name: 'I agree' }).click();
  await expect(page.getByRole('status').filter({ hasText: /System check finished/ })).toHaveCount(1, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Continue' }).click();

  const heading = page.getByRole('heading', { name: 'Choose a translator' });
  await expect(heading).toBeFocused();
  await expect(page.getByRole('radio')).toHaveCount(3);
  await expect(page.getByRole('group', { name: 'Translator' })).toContainText('Copy and paste work only between the exam and this translator.');
  // Tab into the radio group, arrow to the second card, Tab to the button, Enter.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio').nth(1)).toBeChecked();
  await page.screenshot({ path: `${SHOTS}/translator.png`, fullPage: true });
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(heading).toBeHidden();

  const sessionId = sessionIdFromUrl(page.url());
  const token = await signInApi(stack.server.url, demoLearner.email, demoLearner.password);
  const session = await getSession(stack.server.url, token, sessionId);
  expect(session.checks).toMatchObject({ consent: true, systemCheck: 'passed', translator: 'youdao' });
});
