import { expect, type Locator, type Page } from '@playwright/test';

/** Steps a learner takes, written once for the browser and the Electron end-to-end tests. */

export interface GivenAnswer {
  readonly question: string;
  readonly kind: 'radio' | 'checkbox' | 'input' | 'textarea';
  readonly labels: readonly string[];
  readonly text?: string;
}

export function examCard(page: Page, title: string): Locator {
  return page.getByRole('article').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
}

export async function beginExam(page: Page, title: string, button: 'Start' | 'Resume' | 'Take again' = 'Start'): Promise<void> {
  await examCard(page, title).getByRole('button', { name: button }).click();
  await page.getByRole('button', { name: 'Begin' }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
}

export async function openSection(page: Page, name?: string): Promise<void> {
  if (name) await page.getByRole('navigation').getByText(name).first().click();
  await page.getByRole('button', { name: 'Open section' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Open section' }).click();
  await expect(page.getByRole('timer')).toBeVisible();
}

export function questionGroups(page: Page): Locator {
  return page.getByRole('group', { name: /^Question \d+/ });
}

/** Answers every question on the page with something valid for its kind, and says what it gave. */
export async function answerEveryQuestion(page: Page, textPrefix = 'e2e'): Promise<GivenAnswer[]> {
  const groups = questionGroups(page);
  const count = await groups.count();
  expect(count).toBeGreaterThan(0);
  const given: GivenAnswer[] = [];
  for (let i = 0; i < count; i++) {
    const group = groups.nth(i);
    const question = (await group.locator('legend').first().innerText()).trim();
    const radios = group.getByRole('radio');
    const checkboxes = group.getByRole('checkbox');
    const textarea = group.locator('textarea');
    const input = group.locator('input[type="text"], input:not([type])');
    if ((await radios.count()) > 0) {
      const choice = radios.nth(1);
      await choice.check();
      given.push({ question, kind: 'radio', labels: [await accessibleLabel(choice)] });
    } else if ((await checkboxes.count()) > 0) {
      await checkboxes.nth(0).check();
      await checkboxes.nth(1).check();
      given.push({ question, kind: 'checkbox', labels: [await accessibleLabel(checkboxes.nth(0)), await accessibleLabel(checkboxes.nth(1))] });
    } else if ((await textarea.count()) > 0) {
      const text = `${textPrefix}: takt time paces the line to demand, so each station works to the same beat.`;
      await textarea.first().fill(text);
      given.push({ question, kind: 'textarea', labels: [], text });
    } else {
      const numeric = (await input.first().getAttribute('inputmode')) === 'decimal';
      const text = numeric ? '42.5' : `${textPrefix} answer`;
      await input.first().fill(text);
      await input.first().blur();
      given.push({ question, kind: 'input', labels: [], text });
    }
  }
  return given;
}

async function accessibleLabel(control: Locator): Promise<string> {
  const id = await control.getAttribute('id');
  const label = id ? control.page().locator(`label[for="${id}"]`) : null;
  if (label && (await label.count()) > 0) return (await label.first().innerText()).trim();
  return (await control.locator('xpath=ancestor::label[1]').innerText()).trim();
}

/** Checks every answer given is on the page again (after a reload or an outage). */
export async function expectAnswersShown(page: Page, given: readonly GivenAnswer[]): Promise<void> {
  for (const answer of given) {
    const group = page.getByRole('group', { name: answer.question });
    if (answer.kind === 'radio' || answer.kind === 'checkbox') {
      for (const label of answer.labels) await expect(group.getByLabel(label, { exact: true })).toBeChecked();
    } else if (answer.kind === 'textarea') {
      await expect(group.locator('textarea').first()).toHaveValue(answer.text ?? '');
    } else {
      await expect(group.locator('input[type="text"], input:not([type])').first()).toHaveValue(answer.text ?? '');
    }
  }
}

export const saveStatus = (page: Page): Locator => page.getByRole('status').filter({ hasText: /saved|Saving|Offline/ });

export async function expectAllSaved(page: Page): Promise<void> {
  await expect(saveStatus(page)).toHaveText(/All answers saved/, { timeout: 20_000 });
}

/** Seconds left on the section timer, read as the learner reads it. */
export async function secondsLeft(page: Page): Promise<number> {
  const text = (await page.getByRole('timer').innerText()).trim();
  const parts = /(\d+:)?(\d+):(\d+)/.exec(text);
  if (!parts) throw new Error(`timer shows "${text}"`);
  return Number(parts[1]?.replace(':', '') ?? 0) * 3600 + Number(parts[2]) * 60 + Number(parts[3]);
}

export async function submitExam(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Submit exam' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Submit exam' }).click();
}

/** The footer's recording indicator while recording ("● Recording" or "● Recording · 2.4 MB waiting to upload"). */
export const recordingIndicator = (page: Page): Locator => page.getByText(/^\W*Recording( ·|$)/).first();
