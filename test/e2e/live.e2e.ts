import type { Locator } from '@playwright/test';
import { chromiumWithCamera } from '../../scripts/chromium';
import { demoProctor } from '../helpers/api';
import { demoLearner, expect, shot, signIn, test } from '../helpers/fixtures';
import { beginExam, submitExam } from '../helpers/flows';

// The SFU's ICE candidates are on 127.0.0.1 here, which Chromium drops unless told to keep them.
const camera = process.env.INVIGIL_FAKE_CAMERA ?? 'face_alone';
test.use({ live: true, launchOptions: chromiumWithCamera(camera, ['--allow-loopback-in-peer-connection']) });
test.describe.configure({ timeout: 240_000 });

const TRIAL = 'Sample Proctored Trial Test';

const videoWidth = (video: Locator) => video.evaluate((v: HTMLVideoElement) => v.videoWidth);
const currentTime = (video: Locator) => video.evaluate((v: HTMLVideoElement) => v.currentTime);

/** The video shows frames and keeps playing: a width, and a playhead that moves within 5 s. */
async function expectPlaying(video: Locator): Promise<void> {
  await expect.poll(() => videoWidth(video), { timeout: 30_000 }).toBeGreaterThan(0);
  const start = await currentTime(video);
  await expect.poll(() => currentTime(video), { timeout: 5_000 }).toBeGreaterThan(start);
}

test('a proctor watches a learner sitting the trial test live, sees the raised hand, focuses the tile with sound, and the tile goes when the learner submits', async ({ page, stack, browser }) => {
  await signIn(page, stack);
  await beginExam(page, TRIAL);
  const indicator = page.locator('.live-indicator');
  await expect(indicator).toContainText('your proctor can see and hear you', { timeout: 30_000 });

  const proctorContext = await browser.newContext();
  const proctor = await proctorContext.newPage();
  await proctor.goto(stack.webHost.url + '/');
  await proctor.getByLabel('Email').fill(demoProctor.email);
  await proctor.getByLabel('Password').fill(demoProctor.password);
  await proctor.getByRole('button', { name: 'Sign in' }).click();
  await expect(proctor.getByRole('heading', { level: 1, name: 'Review queue' })).toBeVisible();
  await proctor.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Live' }).click();
  await expect(proctor.getByRole('heading', { level: 1, name: 'Live' })).toBeVisible();

  const tile = proctor.getByRole('button', { name: demoLearner.fullName, exact: true });
  await expect(tile).toBeVisible({ timeout: 20_000 });
  await expect(tile).toHaveAccessibleDescription(new RegExp(`${demoLearner.fullName} ${TRIAL}`));
  // The tile's name changes with the hand; its list item stays.
  const small = proctor.getByRole('listitem').filter({ hasText: demoLearner.fullName }).locator('video');
  await expectPlaying(small);
  const smallWidth = await videoWidth(small);
  await proctor.screenshot({ path: shot('live-grid'), fullPage: true });

  await page.getByRole('button', { name: 'Raise hand' }).click();
  await expect(page.getByRole('button', { name: 'Raise hand' })).toHaveAttribute('aria-pressed', 'true');
  const raised = proctor.getByRole('button', { name: `${demoLearner.fullName}, hand raised` });
  await expect(raised).toBeVisible({ timeout: 10_000 });
  await expect(raised).toContainText('Hand raised');

  // Focused: the large layer, and the learner's sound.
  await raised.click();
  const dialog = proctor.getByRole('dialog', { name: demoLearner.fullName });
  await expect(dialog).toBeVisible();
  const large = dialog.getByLabel(`Camera of ${demoLearner.fullName}`);
  await expectPlaying(large);
  await expect.poll(() => videoWidth(large), { timeout: 30_000 }).toBeGreaterThan(smallWidth);
  await expect(dialog.getByText('You are hearing this learner.')).toBeVisible({ timeout: 20_000 });
  const audioTracks = () => dialog.locator('audio').evaluate((a: HTMLAudioElement) => (a.srcObject as MediaStream | null)?.getAudioTracks().length ?? 0);
  await expect.poll(audioTracks).toBe(1);
  await proctor.screenshot({ path: shot('live-focused'), fullPage: true });

  // Escape: back to the grid, the small layer, no sound.
  await proctor.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(raised).toBeFocused();
  await expect(proctor.locator('audio')).toHaveCount(0);
  await expectPlaying(small);

  // The learner's exam and recording went on all along; submitting ends live for them.
  await submitExam(page);
  await expect(page.getByRole('heading', { name: 'Trial test submitted' })).toBeVisible({ timeout: 30_000 });
  await expect(proctor.getByText('No learners are sitting an exam right now.')).toBeVisible({ timeout: 20_000 });
  await proctorContext.close();
});
