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

/** Consent, system check, identity (unverified: the clip shows no ID) and translator, by keyboard. */
async function checksByKeyboard(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Consent to recording' })).toBeFocused();
  for (const box of await page.getByRole('checkbox').all()) {
    await tabTo(page, box);
    await page.keyboard.press('Space');
  }
  await tabTo(page, page.getByRole('button', { name: 'I agree' }));
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: 'System check' })).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: /System check finished/ })).toHaveCount(1, { timeout: 30_000 });
  await tabTo(page, page.getByRole('button', { name: 'Continue', exact: true }));
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: 'Identity check', level: 2 })).toBeVisible();
  const capture = page.getByRole('button', { name: 'Capture now' });
  const idStage = page.getByRole('heading', { name: /Step 2 of 2: your ID/ });
  for (let i = 0; i < 8 && !(await idStage.isVisible()); i++) {
    // Take photo waits for the camera's first frame.
    await expect(page.getByRole('button', { name: 'Take photo' })).toBeEnabled({ timeout: 20_000 });
    await tabTo(page, page.getByRole('button', { name: 'Take photo' }));
    await page.keyboard.press('Enter');
    const use = page.getByRole('button', { name: 'Use this photo' });
    await expect(use.or(page.getByRole('button', { name: 'Retake' })).first()).toBeVisible({ timeout: 30_000 });
    const accepted = await use.isVisible();
    await tabTo(page, accepted ? use : page.getByRole('button', { name: 'Retake' }));
    await page.keyboard.press('Enter');
    if (accepted) await expect(idStage).toBeFocused();
  }
  await tabTo(page, capture);
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: 'Use this photo' }));
  await page.keyboard.press('Enter');
  const flagged = page.getByRole('button', { name: 'Continue — a proctor will verify my ID' });
  await expect(flagged).toBeVisible({ timeout: 60_000 });
  await tabTo(page, flagged);
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: 'Choose a translator' })).toBeFocused();
  await tabTo(page, page.getByRole('radio').first());
  await page.keyboard.press('Space');
  await tabTo(page, page.getByRole('button', { name: /^Use / }));
  await page.keyboard.press('Enter');
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
  await tabTo(page, page.getByRole('button', { name: 'Continue to the checks' }));
  await page.keyboard.press('Enter');
  await checksByKeyboard(page);
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
