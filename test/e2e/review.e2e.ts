import { randomUUID } from 'node:crypto';
import type { Browser, Page } from '@playwright/test';
import { demoProctor, getManifest, getSession, postJson, sessionIdFromUrl, signInApi } from '../helpers/api';
import { demoLearner, expect, shot, signIn, type Stack, test } from '../helpers/fixtures';
import { beginExam, openSection, recordingIndicator, submitExam } from '../helpers/flows';

// The camera is Chromium's fake device looping ../shared/fixtures/camera/face_alone.mjpeg (playwright.config.ts).
const TRIAL = 'Sample Proctored Trial Test';
const SAFE_TO_CLOSE = 'Your recording has been uploaded. It is safe to close Invigil.';
/** The second proctor of the seed: suspicion needs another proctor's review. */
const secondProctor = { email: 'proctor2@invigil.test', password: 'proctor-demo-2' };

test.describe.configure({ timeout: 240_000 });

async function signInStaff(browser: Browser, stack: Stack, who: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(stack.webHost.url + '/');
  await expect(page.getByRole('heading', { name: 'Sign in to Invigil' })).toBeVisible();
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Staff land on the review queue, not on an exam list.
  await expect(page.getByRole('heading', { level: 1, name: 'Review queue' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Review queue' })).toHaveAttribute('aria-current', 'page');
  return page;
}

/** Posts flags as the learner's client would, at known moments of the recording. */
async function postFlags(stack: Stack, sessionId: string, flags: { kind: string; severity: string; at: number; reason: string }[]): Promise<void> {
  const token = await signInApi(stack.server.url, demoLearner.email, demoLearner.password);
  const events = flags.map((f) => ({
    id: randomUUID(),
    kind: f.kind,
    severity: f.severity,
    startedAt: new Date(f.at).toISOString(),
    endedAt: new Date(f.at + 2000).toISOString(),
    reason: f.reason,
    confidence: null,
    thumbnail: null,
    detail: {},
  }));
  const posted = await postJson(stack.server.url, token, `/api/sessions/${sessionId}/events`, { events });
  expect(posted.status).toBe(200);
}

test('a recorded trial test with flags is reviewed, seeked, commented, decided suspicious and confirmed; the learner is kept out', async ({ page, stack, browser }) => {
  // The learner sits the trial test; two flags are raised while the camera records.
  await signIn(page, stack);
  await beginExam(page, TRIAL);
  await expect(recordingIndicator(page)).toBeVisible({ timeout: 20_000 });
  await openSection(page);
  const sessionId = sessionIdFromUrl(page.url());
  await page.waitForTimeout(6_000);
  const focusAt = Date.now() - 3_000;
  await page.waitForTimeout(6_000);
  const facesAt = Date.now() - 2_000;
  await postFlags(stack, sessionId, [
    { kind: 'focus_lost', severity: 'medium', at: focusAt, reason: 'The exam window lost focus for 2 s.' },
    { kind: 'multiple_faces', severity: 'high', at: facesAt, reason: 'Two faces were in view for 2 s.' },
  ]);
  await page.waitForTimeout(3_000);
  await submitExam(page);
  await expect(page.getByRole('heading', { name: 'Trial test submitted' })).toBeVisible();
  await expect(page.getByText(SAFE_TO_CLOSE)).toBeVisible({ timeout: 120_000 });

  const proctorToken = await signInApi(stack.server.url, demoProctor.email, demoProctor.password);
  let manifest = await getManifest(stack.server.url, proctorToken, sessionId);
  for (let i = 0; i < 60 && !(manifest.takes.length > 0 && manifest.takes.every((t) => t.playable)); i++) {
    await new Promise((r) => setTimeout(r, 500));
    manifest = await getManifest(stack.server.url, proctorToken, sessionId);
  }
  expect(manifest.takes[0]?.playable).toBe(true);
  const takeStart = Date.parse(manifest.takes[0]!.startedAt);

  // The proctor signs in, sees the session in the queue, and claims it.
  const proctor = await signInStaff(browser, stack, demoProctor);
  const row = proctor.getByRole('row').filter({ has: proctor.getByRole('link', { name: sessionId }) });
  await expect(row).toBeVisible();
  await expect(proctor.locator('.review-counts > div', { hasText: 'Waiting' }).locator('dd')).toHaveText(/^[1-9]\d*$/);
  await proctor.screenshot({ path: shot('review-queue'), fullPage: true });
  await proctor.getByRole('button', { name: 'Claim next' }).click();
  await expect(proctor.getByRole('heading', { level: 1, name: `Review: ${TRIAL}` })).toBeVisible();
  await expect(proctor.getByText('Claimed by you')).toBeVisible();

  // Seek to the high flag from the timeline: the video moves to it.
  const video = proctor.locator('video');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  const faces = proctor.getByRole('button', { name: /^High: Several faces at / });
  await faces.click();
  const expected = (facesAt - takeStart) / 1000;
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(expected - 1.5);
  expect(await video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeLessThan(expected + 1.5);
  // [ goes back to the earlier flag.
  await proctor.locator('body').press('[');
  const focusExpected = (focusAt - takeStart) / 1000;
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeLessThan(focusExpected + 1.5);
  expect(await video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(focusExpected - 1.5);

  // M marks a comment at the playhead.
  await faces.click();
  await proctor.locator('body').press('m');
  const text = proctor.getByLabel('Comment', { exact: true });
  await expect(text).toBeFocused();
  await text.fill('A second face appears at the left edge.');
  await proctor.getByRole('button', { name: 'Add comment' }).click();
  await expect(proctor.getByRole('status').filter({ hasText: 'Comment added.' })).toBeVisible();
  await expect(proctor.getByText('A second face appears at the left edge.')).toBeVisible();
  await proctor.screenshot({ path: shot('review-screen'), fullPage: true });

  // Decide suspicious with a reason, confirmed in a dialog.
  await proctor.getByRole('radio', { name: /Suspicious/ }).check();
  await proctor.getByRole('checkbox', { name: 'Multiple faces' }).check();
  await proctor.getByLabel('Notes').fill('Second person visible for about two seconds.');
  await proctor.getByRole('button', { name: 'Record decision…' }).click();
  await proctor.getByRole('dialog').getByRole('button', { name: 'Record decision' }).click();
  await expect(proctor.getByRole('status').filter({ hasText: /Decision recorded: suspicious/ })).toBeVisible();
  expect((await getSession(stack.server.url, proctorToken, sessionId)).status).toBe('second_review_required');

  // A second proctor claims it and confirms.
  const second = await signInStaff(browser, stack, secondProctor);
  await second.getByLabel('Status').selectOption('second_review');
  await expect(second.getByRole('row').filter({ has: second.getByRole('link', { name: sessionId }) })).toBeVisible();
  await second.getByRole('button', { name: 'Claim next' }).click();
  await expect(second.getByRole('heading', { level: 1, name: `Review: ${TRIAL}` })).toBeVisible();
  await expect(second.getByText('Second review', { exact: true })).toBeVisible();
  await expect(second.getByText(/First review: suspicious/)).toBeVisible();
  await second.getByRole('radio', { name: /Suspicious/ }).check();
  await second.getByRole('checkbox', { name: 'Multiple faces' }).check();
  await second.getByRole('button', { name: 'Record decision…' }).click();
  await second.getByRole('dialog').getByRole('button', { name: 'Record decision' }).click();
  await expect(second.getByRole('status').filter({ hasText: /Decision recorded: suspicious\. The attempt is now rejected/ })).toBeVisible();
  expect((await getSession(stack.server.url, proctorToken, sessionId)).status).toBe('rejected');

  // The learner reaches neither the review screens nor the media.
  await page.goto(`${stack.webHost.url}/#/review`);
  await expect(page.getByRole('heading', { level: 1, name: 'Not available' })).toBeVisible();
  const learnerToken = await signInApi(stack.server.url, demoLearner.email, demoLearner.password);
  const asLearner = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.server.url}${path}`, { ...init, headers: { authorization: `Bearer ${learnerToken}`, 'content-type': 'application/json' } });
  expect((await asLearner('/api/review/queue', { method: 'POST', body: '{}' })).status).toBe(403);
  expect((await asLearner('/api/review/claims', { method: 'POST', body: '{}' })).status).toBe(403);
  expect((await asLearner(`/api/review/sessions/${sessionId}/playback`, { method: 'POST', body: '{}' })).status).toBe(403);
  expect((await asLearner(`/api/sessions/${sessionId}/recording/takes/0`)).status).toBe(403);
  // A proctor's playback link works; with the learner's token in its place, or without one, it is refused.
  const grant = await postJson(stack.server.url, proctorToken, `/api/review/sessions/${sessionId}/playback`, {});
  expect(grant.status).toBe(200);
  const link = `${stack.server.url}${(grant.json as { takes: { url: string }[] }).takes[0]!.url}`;
  expect(link).toContain('?playback=');
  expect((await fetch(link, { headers: { range: 'bytes=0-99' } })).status).toBe(206);
  expect((await fetch(link.replace(/playback=[^&]+/, `playback=${learnerToken}`))).status).toBe(401);
  expect((await fetch(link.replace(/\?playback=[^&]+/, ''))).status).toBe(401);
});
