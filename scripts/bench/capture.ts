// npm run --silent bench:capture — Chromium with the fake camera, 60 s each: the camera preview
// alone (the exam's start page), then preview + recording + journal + upload to a local server
// (the exam player). CPU of all Chromium processes plus the host (web host) from /proc.
// Last line JSON: {"previewCorePct","recordingCorePct","overheadCorePct","kbps","faceMsPerFrame"}.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { startServer, startWebHost, tempDir } from '../processes';
import { measureCorePct } from './procCpu';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const clip = resolve(process.env.INVIGIL_FAKE_CAMERA ?? '../shared/fixtures/camera/face_alone.mjpeg');
const log = (line: string) => process.stderr.write(`[bench:capture] ${line}\n`);

async function main() {
  const work = tempDir('bench-capture');
  const server = await startServer({ dataDir: join(work, 'server') });
  const webHost = await startWebHost({ serverUrl: server.url, dataDir: join(work, 'webhost') });
  // launchServer, not launch: only the server side exposes the browser's process (for /proc accounting).
  const browserServer = await chromium.launchServer({
    executablePath: process.env.INVIGIL_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${clip}`,
    ],
  });
  const browser = await chromium.connect(browserServer.wsEndpoint());
  try {
    const browserPid = browserServer.process().pid;
    const roots = () => [browserPid, webHost.process.pid].filter((pid): pid is number => typeof pid === 'number');
    if (roots().length < 2) throw new Error('could not find the Chromium and web host processes');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(webHost.url + '/');
    await page.getByLabel('Email').fill('learner@invigil.test');
    await page.getByLabel('Password').fill('learner-demo-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('article').filter({ hasText: 'Sample Proctored Trial Test' }).getByRole('button', { name: /^Start/ }).click();
    await page.getByLabel('Your camera preview').waitFor();
    await page.waitForFunction(() => {
      const video = document.querySelector('video');
      return video !== null && video.readyState >= 2 && !video.paused;
    });

    log(`preview only, ${SECONDS} s…`);
    const previewCorePct = await measureCorePct(roots, SECONDS);

    await page.getByRole('button', { name: 'Begin' }).click();
    await page.getByText(/^\W*Recording( ·|$)/).first().waitFor({ timeout: 30_000 });
    log(`preview + recording + journal + upload, ${SECONDS} s…`);
    const startedAt = Date.now();
    const recordingCorePct = await measureCorePct(roots, SECONDS);
    const recordedMs = Date.now() - startedAt;

    const sessionId = /#\/sessions\/([^/?]+)/.exec(page.url())?.[1];
    await page.getByRole('button', { name: 'Submit exam' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Submit exam' }).click();
    await page.getByText('It is safe to close Invigil').waitFor({ timeout: 120_000 });

    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'learner@invigil.test', password: 'learner-demo-1' }),
    });
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    const manifest = (await (
      await fetch(`${server.url}/api/sessions/${sessionId}/recording`, { headers: { authorization: `Bearer ${accessToken}` } })
    ).json()) as { bytes: number; takes: { durationMs: number | null }[] };
    const durationMs = manifest.takes.reduce((sum, t) => sum + (t.durationMs ?? 0), 0) || recordedMs;
    const kbps = Math.round((manifest.bytes * 8) / durationMs);

    console.log(
      JSON.stringify({
        previewCorePct,
        recordingCorePct,
        overheadCorePct: Math.round((recordingCorePct - previewCorePct) * 10) / 10,
        kbps,
        faceMsPerFrame: null,
      }),
    );
  } finally {
    await browser.close();
    await browserServer.close();
    await webHost.stop();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
