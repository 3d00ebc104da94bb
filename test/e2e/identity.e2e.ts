import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page, Request } from '@playwright/test';
import { sessionIdFromUrl, signInApi } from '../helpers/api';
import { expect, signIn, type Stack, test } from '../helpers/fixtures';
import { examCard, takeFacePhoto, throughChecks } from '../helpers/flows';
import { chromiumWithCamera } from '../../scripts/chromium';

// This file's fake camera shows a person, then a TD1 card held up to it (looping, 2 s);
// the other e2e files keep face_alone.mjpeg (playwright.config.ts).
const clip = resolve('../shared/fixtures/camera/id_card.mjpeg');
const truth = JSON.parse(readFileSync(resolve('../shared/fixtures/camera/id_card_truth.json'), 'utf8')) as { fullName: string };
test.use({ launchOptions: chromiumWithCamera(clip) });
test.describe.configure({ timeout: 180_000 });

const TRIAL = 'Sample Proctored Trial Test';
const kwame = { email: 'kwame@invigil.test', password: 'learner-test-kwame', fullName: 'Kwame Mensah' };
const amara = { email: 'learner@invigil.test', password: 'learner-demo-1', fullName: 'Amara Okafor' };

/** Start → consent → system check, up to the identity step (the pre-exam page's own steps). */
async function reachIdentityStep(page: Page, stack: Stack, who: typeof kwame): Promise<void> {
  await signIn(page, stack, who);
  await examCard(page, TRIAL).getByRole('button', { name: 'Start' }).click();
  await page.getByRole('button', { name: 'Continue to the checks' }).click();
  await throughChecks(page, { until: 'identity' });
  await expect(page.getByRole('heading', { name: 'Identity check', level: 2 })).toBeVisible();
}

/** Waits for the automatic capture, checks the still, starts the reading and records every request made meanwhile. */
async function captureAndRead(page: Page, attempt: number, shots: string): Promise<{ requests: string[]; readMs: number }> {
  await expect(page.getByRole('heading', { name: new RegExp(`attempt ${attempt} of 3`) })).toBeVisible();
  await page.screenshot({ path: `${shots}-guide.png` });
  const still = page.getByAltText('The photo of your ID you took');
  await expect(still).toBeVisible({ timeout: 30_000 }); // auto-capture: steady and sharp
  await expect(page.getByText(/taken automatically/)).toBeVisible();
  await page.screenshot({ path: `${shots}-still.png` });
  const requests: string[] = [];
  const record = (r: Request) => requests.push(r.url());
  page.on('request', record);
  const started = Date.now();
  await page.getByRole('button', { name: 'Use this photo' }).click();
  await expect(page.getByRole('heading', { name: `Result of attempt ${attempt}` })).toBeFocused({ timeout: 60_000 });
  const readMs = Date.now() - started;
  page.off('request', record);
  await page.screenshot({ path: `${shots}-result.png`, fullPage: true });
  return { requests, readMs };
}

function expectOnlyOwnOrigins(requests: readonly string[], stack: Stack): void {
  const allowed = new Set([new URL(stack.webHost.url).origin, new URL(stack.server.url).origin]);
  const elsewhere = requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && !allowed.has(new URL(u).origin));
  expect(elsewhere).toEqual([]);
  expect(requests.some((u) => u.includes('/identity/attempts'))).toBe(true);
}

test('a learner registered under the name on the card passes, and nothing leaves for another origin while the ID is read', async ({ page, stack }) => {
  await reachIdentityStep(page, stack, kwame);
  await takeFacePhoto(page);
  const { requests, readMs } = await captureAndRead(page, 1, '/tmp/shots/identity-kwame');
  console.log(JSON.stringify({ readMs, requests: requests.length }));
  expectOnlyOwnOrigins(requests, stack);
  await expect(page.getByRole('main').getByText('Identity check passed.', { exact: false })).toBeVisible();
  await expect(page.getByText(truth.fullName.toUpperCase(), { exact: false }).or(page.getByText(truth.fullName)).first()).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Identity check', level: 2 })).toBeHidden();
});

test('a learner registered under another name gets a mismatch, can try again, and can continue flagged for a proctor', async ({ page, stack }) => {
  await reachIdentityStep(page, stack, amara);
  await takeFacePhoto(page);
  const first = await captureAndRead(page, 1, '/tmp/shots/identity-amara-1');
  expectOnlyOwnOrigins(first.requests, stack);
  await expect(page.getByText('The name on your ID does not match your registered name.')).toBeVisible();
  await expect(page.locator('mark', { hasText: 'Amara' })).toBeVisible();

  await page.getByRole('button', { name: 'Try again (2 attempts left)' }).click();
  await captureAndRead(page, 2, '/tmp/shots/identity-amara-2');
  await expect(page.getByText('The name on your ID does not match your registered name.')).toBeVisible();

  // Keyboard only: the continue button is reached with Tab and pressed with Enter.
  const flagged = page.getByRole('button', { name: 'Continue — a proctor will verify my ID' });
  await flagged.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Identity check', level: 2 })).toBeHidden();
  const token = await signInApi(stack.server.url, amara.email, amara.password);
  const reply = await fetch(`${stack.server.url}/api/sessions/${sessionIdFromUrl(page.url())}/identity`, { headers: { authorization: `Bearer ${token}` } });
  const record = (await reply.json()) as { status: string; manualReviewReason: string | null; attempts: unknown[] };
  expect(record).toMatchObject({ status: 'manual_review', manualReviewReason: 'learner_choice' });
  expect(record.attempts).toHaveLength(2);
});
