import type { Browser, Page } from '@playwright/test';
import type { SessionView } from '../../shared/api/sessions';
import { chromiumWithCamera } from '../../scripts/chromium';
import { demoProctor, getSession, postJson, sessionIdFromUrl, signInApi } from '../helpers/api';
import { demoLearner, expect, shot, signIn, test, type Stack } from '../helpers/fixtures';
import { beginExam, openSection } from '../helpers/flows';

// The SFU's ICE candidates are on 127.0.0.1 here, which Chromium drops unless told to keep them.
test.use({ live: true, launchOptions: chromiumWithCamera(process.env.INVIGIL_FAKE_CAMERA ?? 'face_alone', ['--allow-loopback-in-peer-connection']) });
test.describe.configure({ timeout: 240_000 });

const TRIAL = 'Sample Proctored Trial Test';

async function proctorOnLive(browser: Browser, stack: Stack): Promise<Page> {
  const proctor = await (await browser.newContext()).newPage();
  await proctor.goto(stack.webHost.url + '/');
  await proctor.getByLabel('Email').fill(demoProctor.email);
  await proctor.getByLabel('Password').fill(demoProctor.password);
  await proctor.getByRole('button', { name: 'Sign in' }).click();
  await expect(proctor.getByRole('heading', { level: 1, name: 'Review queue' })).toBeVisible();
  await proctor.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Live' }).click();
  await expect(proctor.getByRole('heading', { level: 1, name: 'Live' })).toBeVisible();
  return proctor;
}

const openDeadline = (view: SessionView): number => Date.parse(view.sections.find((s) => s.state === 'open')!.deadline!);

test('a proctor messages, pauses, resumes and ends a live attempt; the learner sees each, the server stops the time and the attempt reaches review with the reason', async ({
  page,
  stack,
  browser,
}) => {
  await signIn(page, stack);
  await beginExam(page, TRIAL);
  await openSection(page);
  await expect(page.locator('.live-indicator')).toContainText('your proctor can see and hear you', { timeout: 30_000 });
  const sessionId = sessionIdFromUrl(page.url());
  const learnerToken = await signInApi(stack.server.url, demoLearner.email, demoLearner.password);

  const proctor = await proctorOnLive(browser, stack);
  await proctor.getByRole('button', { name: demoLearner.fullName, exact: true }).click();
  const focused = proctor.getByRole('dialog', { name: demoLearner.fullName });
  await expect(focused).toBeVisible({ timeout: 20_000 });

  // Message → the learner reads it in an alert dialog and confirms → the proctor sees it was read.
  await focused.getByLabel('Message to the learner').fill('Please keep your face in view of the camera.');
  await focused.getByRole('button', { name: 'Send message' }).click();
  await expect(focused.getByRole('status').filter({ hasText: 'Message sent.' })).toBeVisible();
  const message = page.getByRole('alertdialog', { name: 'Message from your proctor' });
  await expect(message).toBeVisible({ timeout: 10_000 });
  await expect(message).toContainText('Please keep your face in view of the camera.');
  await expect(message.getByRole('button', { name: 'I have read this' })).toBeFocused();
  await page.screenshot({ path: shot('live-control-message'), fullPage: true });
  await message.getByRole('button', { name: 'I have read this' }).click();
  await expect(message).toBeHidden();
  await expect(focused.getByText('Message read')).toBeVisible({ timeout: 10_000 });

  // Pause → blocking screen, answers refused by the server; resume → the deadline moved by the pause.
  const before = openDeadline(await getSession(stack.server.url, learnerToken, sessionId));
  await focused.getByLabel('Reason for pausing (optional)').fill('Checking the room');
  await focused.getByRole('button', { name: 'Pause' }).click();
  const pausedAt = Date.now();
  const blocked = page.getByRole('alertdialog', { name: 'Your exam is paused' });
  await expect(blocked).toBeVisible({ timeout: 10_000 });
  await expect(blocked).toContainText('Your proctor has paused your exam. Your time is stopped.');
  await expect(page.getByRole('radio')).toHaveCount(0);
  await page.screenshot({ path: shot('live-control-paused'), fullPage: true });
  const refused = await postJson(stack.server.url, learnerToken, `/api/sessions/${sessionId}/answers`, {
    answers: [{ sectionId: 'none', questionId: 'none', value: { kind: 'text', text: 'x' }, sequence: 100_000, clientSavedAt: new Date().toISOString() }],
  });
  expect(refused.status).toBe(409);
  expect((refused.json as { error: { code: string } }).error.code).toBe('session_paused');
  await page.waitForTimeout(4_000);
  await focused.getByRole('button', { name: 'Resume' }).click();
  await expect(focused.getByRole('status').filter({ hasText: 'Exam resumed.' })).toBeVisible();
  const pausedMs = Date.now() - pausedAt;
  await expect(blocked).toBeHidden({ timeout: 10_000 });
  await expect(page.getByRole('radio').first()).toBeVisible();
  const after = openDeadline(await getSession(stack.server.url, learnerToken, sessionId));
  expect(Math.abs(after - before - pausedMs)).toBeLessThanOrEqual(1_000);

  // End with a reason → the learner sees it with their receipt; the attempt is in review with the flag.
  await focused.getByRole('button', { name: 'End exam…' }).click();
  const confirm = proctor.getByRole('alertdialog', { name: /exam\?$/ });
  await confirm.getByLabel('Reason (required)').fill('A phone was in use during the exam.');
  await confirm.getByRole('button', { name: 'End exam' }).click();
  await expect(page.getByText('Your proctor ended this exam: A phone was in use during the exam.')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('Receipt code')).toBeVisible();
  await page.screenshot({ path: shot('live-control-ended'), fullPage: true });

  const proctorToken = await signInApi(stack.server.url, demoProctor.email, demoProctor.password);
  await expect
    .poll(async () => {
      const queue = await postJson(stack.server.url, proctorToken, '/api/review/queue', {});
      return (queue.json as { entries: { sessionId: string }[] }).entries.some((e) => e.sessionId === sessionId);
    })
    .toBe(true);
  const events = await fetch(`${stack.server.url}/api/sessions/${sessionId}/events`, { headers: { authorization: `Bearer ${proctorToken}` } });
  const flags = ((await events.json()) as { events: { kind: string; severity: string; reason: string }[] }).events;
  expect(flags).toContainEqual(expect.objectContaining({ kind: 'proctor_ended', severity: 'high', reason: 'A phone was in use during the exam.' }));
  // The learner has left the grid; the focused view says so until it is closed.
  await expect(focused.getByText('This learner is no longer sitting an exam.')).toBeVisible({ timeout: 20_000 });
  await focused.getByRole('button', { name: 'Close' }).click();
  await proctor.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Review queue' }).click();
  await expect(proctor.getByRole('link', { name: sessionId })).toBeVisible({ timeout: 20_000 });
  await proctor.context().close();
});
