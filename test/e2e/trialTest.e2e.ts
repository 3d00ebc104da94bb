import { mkdirSync } from 'node:fs';
import { getSession, sessionIdFromUrl, signInApi } from '../helpers/api';
import { demoLearner, expect, shot, signIn, test } from '../helpers/fixtures';
import {
  answerEveryQuestion,
  beginExam,
  expectAllSaved,
  expectAnswersShown,
  openSection,
  secondsLeft,
  submitExam,
} from '../helpers/flows';

const TRIAL = 'Sample Proctored Trial Test';

test.beforeAll(() => mkdirSync('test-results/screenshots', { recursive: true }));

test('a learner sits the trial test: answers every kind, reloads mid-section, submits and gets a receipt', async ({ page, stack }) => {
  await page.goto(stack.webHost.url + '/');
  await expect(page.getByRole('heading', { name: 'Sign in to Invigil' })).toBeVisible();
  await page.screenshot({ path: shot('sign-in') });
  await signIn(page, stack);
  await page.screenshot({ path: shot('exam-list') });

  await beginExam(page, TRIAL);
  await openSection(page);
  const given = await answerEveryQuestion(page);
  expect(given.map((g) => g.kind).sort()).toEqual(['checkbox', 'input', 'input', 'radio', 'textarea']);
  await expectAllSaved(page);
  await page.screenshot({ path: shot('exam-player'), fullPage: true });

  // Reload mid-section: answers and remaining time come back from the server and the journal.
  const before = await secondsLeft(page);
  await page.reload();
  await expect(page.getByRole('timer')).toBeVisible();
  await expectAnswersShown(page, given);
  const after = await secondsLeft(page);
  expect(after).toBeLessThanOrEqual(before);
  expect(after).toBeGreaterThan(before - 30);

  const sessionId = sessionIdFromUrl(page.url());
  await submitExam(page);
  await expect(page.getByRole('heading', { name: 'Trial test submitted' })).toBeVisible();
  await page.screenshot({ path: shot('receipt'), fullPage: true });

  // What the server holds, checked from outside the UI.
  const token = await signInApi(stack.server.url, demoLearner.email, demoLearner.password);
  const session = await getSession(stack.server.url, token, sessionId);
  expect(session.status).toBe('submitted');
  expect(session.answers).toHaveLength(5);
  await expect(page.getByText(/5 of 5/)).toBeVisible();
});

test('the sign-in form and the exam list work with the keyboard alone', async ({ page, stack }) => {
  await page.goto(stack.webHost.url + '/');
  await expect(page.getByRole('heading', { name: 'Sign in to Invigil' })).toBeVisible();
  await page.getByLabel('Email').focus();
  await page.keyboard.type(demoLearner.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(demoLearner.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Your exams' })).toBeVisible();

  // Tab until the trial test's Start button has focus, then press Enter.
  const start = page.getByRole('article').filter({ has: page.getByRole('heading', { name: TRIAL }) }).getByRole('button', { name: 'Start' });
  for (let i = 0; i < 40 && !(await start.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(start).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Begin' })).toBeVisible();
});

test('a wrong password is explained and nothing else happens', async ({ page, stack }) => {
  await page.goto(stack.webHost.url + '/');
  await page.getByLabel('Email').fill(demoLearner.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sign in to Invigil' })).toBeVisible();
});
