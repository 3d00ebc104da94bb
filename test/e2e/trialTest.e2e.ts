import { mkdirSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
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

/** Presses Tab until `target` has focus (at most 60 times), as a keyboard user would. */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 60 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(target).toBeFocused();
}

test('a learner sits the trial test with the keyboard alone', async ({ page, stack }) => {
  await page.goto(stack.webHost.url + '/');
  await expect(page.getByRole('heading', { name: 'Sign in to Invigil' })).toBeVisible();
  await page.getByLabel('Email').focus();
  await page.keyboard.type(demoLearner.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(demoLearner.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Your exams' })).toBeVisible();

  await tabTo(page, page.getByRole('article').filter({ has: page.getByRole('heading', { name: TRIAL }) }).getByRole('button', { name: /^Start/ }));
  await page.keyboard.press('Enter');
  const begin = page.getByRole('button', { name: 'Begin' });
  await expect(begin).toBeEnabled({ timeout: 20_000 });
  await tabTo(page, begin);
  await page.keyboard.press('Enter');

  await tabTo(page, page.getByRole('button', { name: 'Open section' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toBeVisible();
  await tabTo(page, page.getByRole('dialog').getByRole('button', { name: 'Open section' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('timer')).toBeVisible();

  // A radio group: Tab into it, arrows choose.
  const firstQuestion = page.getByRole('group', { name: /^Question 1/ });
  await tabTo(page, firstQuestion.getByRole('radio').first());
  await page.keyboard.press('ArrowDown');
  await expect(firstQuestion.getByRole('radio').nth(1)).toBeChecked();
  await expectAllSaved(page);

  await tabTo(page, page.getByRole('button', { name: 'Submit exam' }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('dialog').getByRole('button', { name: 'Submit exam' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Trial test submitted' })).toBeVisible();
});

test('a wrong password is explained and nothing else happens', async ({ page, stack }) => {
  await page.goto(stack.webHost.url + '/');
  await page.getByLabel('Email').fill(demoLearner.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sign in to Invigil' })).toBeVisible();
});
