import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoProctor, getManifest, type Manifest, sessionIdFromUrl, signInApi } from '../helpers/api';
import { demoLearner, expect, signIn, type Stack, test } from '../helpers/fixtures';
import { beginExam, openSection, recordingIndicator, submitExam } from '../helpers/flows';
import { probe, unplugCameraScript } from '../helpers/media';
import { tempDir } from '../helpers/processes';
import type { Page } from '@playwright/test';

// The camera is Chromium's fake device looping ../shared/fixtures/camera/face_alone.mjpeg (playwright.config.ts).
const TRIAL = 'Sample Proctored Trial Test';
const SAFE_TO_CLOSE = 'Your recording has been uploaded. It is safe to close Invigil.';

test.describe.configure({ timeout: 240_000 });

async function startRecordedTrial(page: Page, stack: Stack): Promise<string> {
  await signIn(page, stack);
  await beginExam(page, TRIAL);
  await expect(recordingIndicator(page)).toBeVisible({ timeout: 20_000 });
  await openSection(page);
  return sessionIdFromUrl(page.url());
}

async function submitAndWaitForUpload(page: Page): Promise<void> {
  await submitExam(page);
  await expect(page.getByRole('heading', { name: 'Trial test submitted' })).toBeVisible();
  await expect(page.getByText(SAFE_TO_CLOSE)).toBeVisible({ timeout: 120_000 });
}

/** The server's manifest once every take it expects is finished and remuxed. */
async function settledManifest(stack: Stack, sessionId: string, takes: number): Promise<Manifest> {
  const token = await signInApi(stack.server.url, demoLearner.email, demoLearner.password);
  let manifest = await getManifest(stack.server.url, token, sessionId);
  for (let i = 0; i < 60 && !(manifest.takes.length >= takes && manifest.takes.every((t) => t.playable)); i++) {
    await new Promise((r) => setTimeout(r, 500));
    manifest = await getManifest(stack.server.url, token, sessionId);
  }
  return manifest;
}

const seconds = (from: string, to: string | null) => (Date.parse(to ?? from) - Date.parse(from)) / 1000;

test('a recorded session of over 60 s arrives whole, verified, with a duration and cues, and seeks by range', async ({ page, stack }) => {
  const sessionId = await startRecordedTrial(page, stack);
  await page.waitForTimeout(62_000); // the learner works for a minute while the camera records
  await submitAndWaitForUpload(page);

  const manifest = await settledManifest(stack, sessionId, 1);
  expect(manifest.verified).toBe(true);
  expect(manifest.takes).toHaveLength(1);
  expect(manifest.gaps).toEqual([]);
  const take = manifest.takes[0]!;
  expect(take.endReason).toBe('submitted');
  expect(take.playable).toBe(true);
  const recorded = seconds(take.startedAt, take.endedAt);
  expect(recorded).toBeGreaterThanOrEqual(60);

  // A proctor fetches the take as the review screen will: by HTTP range.
  const proctor = await signInApi(stack.server.url, demoProctor.email, demoProctor.password);
  const url = `${stack.server.url}/api/sessions/${sessionId}/recording/takes/0`;
  const whole = await fetch(url, { headers: { authorization: `Bearer ${proctor}` } });
  expect(whole.status).toBe(200);
  const bytes = Buffer.from(await whole.arrayBuffer());
  const ranged = await fetch(url, { headers: { authorization: `Bearer ${proctor}`, range: 'bytes=1000-1999' } });
  expect(ranged.status).toBe(206);
  expect(Buffer.from(await ranged.arrayBuffer())).toEqual(bytes.subarray(1000, 2000));

  const file = join(tempDir('take'), 'take-0.webm');
  writeFileSync(file, bytes);
  const probed = probe(file);
  expect(probed.hasCues).toBe(true);
  expect(Math.abs(probed.durationS - recorded) / recorded).toBeLessThanOrEqual(0.02);

  // The learner may read the manifest but not the video.
  const learner = await signInApi(stack.server.url, demoLearner.email, demoLearner.password);
  expect((await fetch(url, { headers: { authorization: `Bearer ${learner}` } })).status).toBe(403);
});

test('the server stopped mid-upload and restarted: the recording still arrives whole and verified', async ({ page, stack }) => {
  const sessionId = await startRecordedTrial(page, stack);
  await page.waitForTimeout(20_000);
  await stack.stopServer();
  await page.waitForTimeout(40_000); // a segment closes (30 s) while the server is away
  await stack.startServerAgain();
  await page.waitForTimeout(5_000);
  await submitAndWaitForUpload(page);

  const manifest = await settledManifest(stack, sessionId, 1);
  expect(manifest.verified).toBe(true);
  expect(manifest.takes).toHaveLength(1);
  expect(manifest.gaps).toEqual([]);
  expect(seconds(manifest.takes[0]!.startedAt, manifest.takes[0]!.endedAt)).toBeGreaterThan(60);
});

/** Chunks the web host has journaled for the session so far, from its index files. */
function journaledChunks(stack: Stack, sessionId: string): number {
  const dir = join(stack.webHostDataDir, 'recordings', sessionId);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.idx'))
    .reduce((n, f) => n + readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.includes('"offset"')).length, 0);
}

test('the web host killed mid-recording: every chunk written before the kill arrives, the chain verifies, the gap is recorded', async ({ page, stack }) => {
  const sessionId = await startRecordedTrial(page, stack);
  await page.waitForTimeout(12_000);
  const beforeKill = journaledChunks(stack, sessionId);
  expect(beforeKill).toBeGreaterThan(0);
  await stack.crashAndRestartWebHost();
  // The learner starts Invigil again: the page reloads and recording resumes in a new take.
  await page.reload();
  await expect(recordingIndicator(page)).toBeVisible({ timeout: 30_000 });
  await page.waitForTimeout(8_000);
  await submitAndWaitForUpload(page);

  const manifest = await settledManifest(stack, sessionId, 2);
  expect(manifest.verified).toBe(true);
  expect(manifest.takes.length).toBeGreaterThanOrEqual(2);
  expect(manifest.takes[0]!.endReason).toBe('interrupted');
  expect(manifest.takes[0]!.chunks).toBeGreaterThanOrEqual(beforeKill);
  expect(manifest.gaps[0]).toMatchObject({ afterTake: 0, reason: 'interrupted' });
});

test('a camera lost mid-exam warns the learner, recording continues in a new take, and the gap is recorded', async ({ page, stack }) => {
  const sessionId = await startRecordedTrial(page, stack);
  await page.waitForTimeout(8_000);
  await page.evaluate(unplugCameraScript);
  await expect(page.getByRole('alert').filter({ hasText: 'Your camera stopped.' })).toBeVisible();
  // Chromium's fake camera is there again at once: the app reopens it and starts a new take.
  await expect(page.getByRole('alert').filter({ hasText: 'Your camera stopped.' })).toHaveCount(0, { timeout: 30_000 });
  await page.waitForTimeout(6_000);
  await submitAndWaitForUpload(page);

  const manifest = await settledManifest(stack, sessionId, 2);
  expect(manifest.verified).toBe(true);
  expect(manifest.takes).toHaveLength(2);
  expect(manifest.takes[0]!.endReason).toBe('camera_lost');
  expect(manifest.gaps).toHaveLength(1);
  expect(manifest.gaps[0]).toMatchObject({ afterTake: 0, reason: 'camera_lost' });
});
