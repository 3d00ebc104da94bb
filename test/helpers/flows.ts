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

/**
 * From the exam list into the exam: Start (or Resume / Take again), then every pre-exam step the
 * exam asks for — consent, system check, identity, translator — and Begin. With a camera clip that
 * shows no ID (face_alone), the identity check ends "a proctor will verify".
 */
export async function beginExam(page: Page, title: string, button: 'Start' | 'Resume' | 'Take again' = 'Start'): Promise<void> {
  await examCard(page, title).getByRole('button', { name: button }).click();
  const toChecks = page.getByRole('button', { name: 'Continue to the checks' });
  await expect(toChecks.or(page.getByRole('button', { name: 'Open section' })).first()).toBeVisible();
  if (await toChecks.isVisible()) {
    await toChecks.click();
    await throughChecks(page);
    await page.getByRole('button', { name: 'Begin' }).click();
  }
  await expect(page.getByRole('button', { name: 'Submit exam' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
}

/**
 * The pre-exam steps up to the Begin button (or up to the identity step with `until: 'identity'`),
 * whichever the exam needs and the server has not recorded yet.
 */
export async function throughChecks(page: Page, options: { readonly until?: 'identity' | 'begin' } = {}): Promise<void> {
  const consent = page.getByRole('heading', { name: 'Consent to recording', level: 2 });
  const system = page.getByRole('heading', { name: 'System check', level: 2 });
  const identity = page.getByRole('heading', { name: 'Identity check', level: 2 });
  const translator = page.getByRole('heading', { name: 'Choose a translator', level: 2 });
  const begin = page.getByRole('button', { name: 'Begin' });
  for (let step = 0; step < 6; step++) {
    await expect(consent.or(system).or(identity).or(translator).or(begin).first()).toBeVisible({ timeout: 30_000 });
    if (await begin.isVisible()) return;
    if (options.until === 'identity' && (await identity.isVisible())) return;
    if (await consent.isVisible()) {
      for (const box of await page.getByRole('checkbox').all()) await box.check();
      await page.getByRole('button', { name: 'I agree' }).click();
      await expect(consent).toBeHidden();
    } else if (await system.isVisible()) {
      await expect(page.getByRole('status').filter({ hasText: /System check finished/ })).toHaveCount(1, { timeout: 30_000 });
      await page.getByRole('button', { name: 'Continue', exact: true }).click();
      await expect(system).toBeHidden();
    } else if (await identity.isVisible()) {
      await identityUnverified(page);
    } else {
      await page.getByRole('radio').first().check();
      await page.getByRole('button', { name: /^Use / }).click();
      await expect(translator).toBeHidden();
    }
  }
  await expect(begin).toBeVisible();
}

/** The identity step's face photo: the detector may miss a frame; retake until one face is found (at most 8 tries). */
export async function takeFacePhoto(page: Page): Promise<void> {
  const idStage = page.getByRole('heading', { name: /Step 2 of 2: your ID/ });
  const use = page.getByRole('button', { name: 'Use this photo' });
  const retake = page.getByRole('button', { name: 'Retake' });
  for (let i = 0; i < 8; i++) {
    await page.getByRole('button', { name: 'Take photo' }).click();
    // The first photo loads the face models: allow for a slow machine.
    await expect(use.or(retake).first()).toBeVisible({ timeout: 30_000 });
    if (await use.isVisible()) {
      await use.click();
      await expect(idStage).toBeFocused();
      return;
    }
    await retake.click();
  }
  throw new Error('no face photo accepted in 8 tries');
}

/** The identity step with a camera that shows no ID: face photo, one ID photo, then "a proctor will verify". */
async function identityUnverified(page: Page): Promise<void> {
  const identity = page.getByRole('heading', { name: 'Identity check', level: 2 });
  await takeFacePhoto(page);
  await page.getByRole('button', { name: 'Capture now' }).click();
  await page.getByRole('button', { name: 'Use this photo' }).click();
  const flagged = page.getByRole('button', { name: 'Continue — a proctor will verify my ID' });
  await expect(flagged.or(page.getByRole('button', { name: 'Continue', exact: true })).first()).toBeVisible({ timeout: 60_000 });
  if (await flagged.isVisible()) await flagged.click();
  else await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await expect(identity).toBeHidden();
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
