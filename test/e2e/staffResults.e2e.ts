import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { getSession, sessionIdFromUrl, signInApi } from '../helpers/api';
import { demoLearner, expect, shot, signIn, type Stack, test } from '../helpers/fixtures';
import { beginExam, examCard, expectAllSaved, openSection, questionGroups, submitExam } from '../helpers/flows';

// The camera is Chromium's fake device looping ../shared/fixtures/camera/face_alone.mjpeg (playwright.config.ts).
const TRIAL = 'Sample Proctored Trial Test';
const SAFE_TO_CLOSE = 'Your recording has been uploaded. It is safe to close Invigil.';
const SHORT_ANSWER = 'Running faster than demand only builds inventory, which ties up cash and hides problems. Pacing to takt keeps a steady flow.';
const proctor = { email: 'proctor@invigil.test', password: 'proctor-demo-1' };
const admin = { email: 'admin@invigil.test', password: 'admin-demo-1' };

test.describe.configure({ timeout: 300_000 });
test.beforeAll(() => mkdirSync('test-results/screenshots', { recursive: true }));

async function signInStaff(browser: Browser, stack: Stack, who: { email: string; password: string }, landing: string): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(stack.webHost.url + '/');
  await expect(page.getByRole('heading', { name: 'Sign in to Invigil' })).toBeVisible();
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: landing })).toBeVisible();
  return page;
}

/** The trial's questions answered right (10 automatic points of 15), and its short answer (5 points) for staff. */
async function answerTrial(page: Page): Promise<void> {
  const groups = questionGroups(page);
  await expect(groups).toHaveCount(5);
  await groups.nth(0).getByLabel('30 seconds per unit').check();
  for (const waste of ['Overproduction', 'Waiting', 'Excess inventory', 'Unnecessary motion']) await groups.nth(1).getByLabel(waste).check();
  await groups.nth(2).locator('input').first().fill('83.8');
  await groups.nth(2).locator('input').first().blur();
  await groups.nth(3).locator('input').first().fill('kanban');
  await groups.nth(3).locator('input').first().blur();
  await groups.nth(4).locator('textarea').fill(SHORT_ANSWER);
}

test('a verified trial attempt is graded blind, released, exported, and the learner sees the result', async ({ page, stack, browser }) => {
  // The learner sits the trial test, answering its short answer.
  await signIn(page, stack);
  await beginExam(page, TRIAL);
  await openSection(page);
  const sessionId = sessionIdFromUrl(page.url());
  await answerTrial(page);
  await expectAllSaved(page);
  await submitExam(page);
  await expect(page.getByRole('heading', { name: 'Trial test submitted' })).toBeVisible();
  // The trial shows its automatic score at once, as before; the graded result comes after release.
  await expect(page.getByText(/10 of 15 points/)).toBeVisible();
  await expect(page.getByText(SAFE_TO_CLOSE)).toBeVisible({ timeout: 120_000 });

  // A proctor verifies the attempt.
  const proctorPage = await signInStaff(browser, stack, proctor, 'Review queue');
  await proctorPage.getByRole('button', { name: 'Claim next' }).click();
  await expect(proctorPage.getByRole('heading', { level: 1, name: `Review: ${TRIAL}` })).toBeVisible();
  await proctorPage.getByRole('radio', { name: /Clean/ }).check();
  await proctorPage.getByRole('button', { name: 'Record decision…' }).click();
  await proctorPage.getByRole('dialog').getByRole('button', { name: 'Record decision' }).click();
  await expect(proctorPage.getByRole('status').filter({ hasText: /Decision recorded: clean/ })).toBeVisible();
  const learnerToken = await signInApi(stack.server.url, demoLearner.email, demoLearner.password);
  expect((await getSession(stack.server.url, learnerToken, sessionId)).status).toBe('verified');

  // Verified but not graded or released: the learner is told so.
  await page.getByRole('button', { name: 'Back to your exams' }).click();
  await expect(examCard(page, TRIAL).getByText('Results not released yet')).toBeVisible();

  // The administrator lands on the staff console and grades the short answer, blind.
  const adminPage = await signInStaff(browser, stack, admin, 'Staff console');
  await expect(adminPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff console' })).toHaveAttribute('aria-current', 'page');
  const grading = adminPage.getByRole('region', { name: 'Grading' });
  await expect(grading).toContainText(`${TRIAL} — 1 response to grade`);
  await grading.getByRole('link', { name: TRIAL }).click();
  await expect(adminPage.getByRole('heading', { level: 1, name: 'Grading' })).toBeVisible();
  const questions = adminPage.getByRole('navigation', { name: 'Questions to grade' });
  await expect(questions).toContainText('0 of 1 graded');
  await questions.getByRole('link').first().click();
  const response = adminPage.getByRole('article', { name: 'Response 1 of 1' });
  await expect(response).toContainText(SHORT_ANSWER);
  await expect(adminPage.getByRole('region', { name: 'Question' })).toContainText('Two of the three ideas clearly stated = full marks');
  await expect(adminPage.getByText(demoLearner.fullName)).toHaveCount(0);
  await expect(adminPage.getByText(sessionId)).toHaveCount(0);
  await adminPage.getByLabel('Comment (optional)').fill('Overproduction and steady flow: both ideas, briefly.');
  await adminPage.getByLabel('Points (0 to 5)').fill('4.5');
  await adminPage.screenshot({ path: shot('staff-grading'), fullPage: true });
  await adminPage.getByLabel('Points (0 to 5)').press('Enter');
  await expect(adminPage.getByRole('status').filter({ hasText: 'Saved 4.5 points. 1 of 1 graded.' })).toBeVisible();
  await expect(adminPage.getByRole('heading', { name: 'End of the list' })).toBeFocused();

  // Results: the table, release after a confirmation, and the registrar's CSV.
  await adminPage.getByRole('link', { name: 'Staff console' }).first().click();
  await adminPage.getByRole('region', { name: 'Results' }).getByRole('link', { name: TRIAL }).click();
  await expect(adminPage.getByRole('heading', { level: 1, name: 'Results' })).toBeVisible();
  const row = adminPage.getByRole('row').filter({ hasText: demoLearner.fullName });
  await expect(row).toContainText('Verified');
  await expect(row).toContainText('14.5 of 15');
  await expect(row).toContainText('96.6 %');
  await expect(row).toContainText('Pass');
  await adminPage.getByRole('button', { name: 'Release results…' }).click();
  await adminPage.getByRole('dialog').getByRole('button', { name: 'Release results' }).click();
  await expect(adminPage.getByRole('status').filter({ hasText: 'Results released. 1 verified attempt now shows pass or fail to the learner.' })).toBeVisible();
  const downloading = adminPage.waitForEvent('download');
  await adminPage.getByRole('button', { name: 'Download CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^results-TRIAL-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv).toBe(
    '\ufeffemail,full_name,exam,attempt,status,score,max_score,percent,pass\r\n' + 'learner@invigil.test,Amara Okafor,TRIAL,1,verified,14.5,15,96.6,pass\r\n',
  );
  const activity = adminPage.getByRole('list', { name: 'Activity' });
  await expect(activity).toContainText('Sam Whitfield downloaded the CSV (1 row)');
  await expect(activity).toContainText('Sam Whitfield released the results (1 verified attempt)');
  await expect(activity).toContainText('Sam Whitfield graded response');
  await adminPage.screenshot({ path: shot('staff-results'), fullPage: true });

  // The learner sees the released result on the exam card.
  await page.reload();
  await expect(examCard(page, TRIAL).getByText('Passed — 96.6 %')).toBeVisible();
  await page.screenshot({ path: shot('learner-result'), fullPage: true });
});
