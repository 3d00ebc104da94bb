// npm run --silent bench:capture — Chromium with the fake camera, 60 s each: the camera preview
// alone (the Begin step, after consent, system check, identity and translator), then the exam player:
// preview + recording + face detection + voice activity + journal + upload to a local server.
// CPU of all Chromium processes plus the host (web host) from /proc. faceMsPerFrame: the monitor's
// own timing of each frame detection (performance.measure `invigil.face-frame`, read here with a
// PerformanceObserver; the app keeps no buffer of them).
// Env: BENCH_SECONDS (60) per phase; `--smoke`: 3 s per phase (scripts/bench/smoke.ts).
// Last line JSON: {"previewCorePct","recordingCorePct","overheadCorePct","kbps","faceMsPerFrame",...}.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumWithCamera } from '../chromium';
import { startServer, startWebHost, tempDir } from '../processes';
import { measureCorePct } from './procCpu';
import { throughChecks } from '../../test/helpers/flows';
import { sizeFromEnv, smokeMark } from './smoke';

const SECONDS = sizeFromEnv('BENCH_SECONDS', 60, 3);
const clip = process.env.INVIGIL_FAKE_CAMERA ?? 'face_alone';
const log = (line: string) => process.stderr.write(`[bench:capture] ${line}\n`);

async function main() {
  const work = tempDir('bench-capture');
  const server = await startServer({ dataDir: join(work, 'server') });
  const webHost = await startWebHost({ serverUrl: server.url, dataDir: join(work, 'webhost') });
  // launchServer, not launch: only the server side exposes the browser's process (for /proc accounting).
  const browserServer = await chromium.launchServer(chromiumWithCamera(clip));

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
    await page.getByRole('button', { name: 'Continue to the checks' }).click();
    await throughChecks(page);
    await page.getByLabel('Your camera preview').waitFor();
    await page.waitForFunction(() => {
      const video = document.querySelector('video');
      return video !== null && video.readyState >= 2 && !video.paused;
    });

    log(`preview only, ${SECONDS} s…`);
    const previewCorePct = await measureCorePct(roots, SECONDS);

    await page.getByRole('button', { name: 'Begin' }).click();
    await page.getByText(/^\W*Recording( ·|$)/).first().waitFor({ timeout: 30_000 });
    await page.evaluate(() => {
      const w = window as unknown as { benchFaceMs: number[] };
      w.benchFaceMs = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.name === 'invigil.face-frame') w.benchFaceMs.push(e.duration);
      }).observe({ type: 'measure' });
    });
    // The models load and the wasm kernels compile on the first detections: not what an exam hour costs.
    await page.waitForTimeout(5000);
    await page.evaluate(() => void ((window as unknown as { benchFaceMs: number[] }).benchFaceMs.length = 0));
    log(`preview + recording + face detection + voice activity + journal + upload, ${SECONDS} s…`);
    const startedAt = Date.now();
    const recordingCorePct = await measureCorePct(roots, SECONDS);
    const recordedMs = Date.now() - startedAt;
    const faceMs = await page.evaluate(() => [...(window as unknown as { benchFaceMs: number[] }).benchFaceMs]);
    if (faceMs.length === 0) throw new Error('no face detections were measured during the recording (is the monitor running?)');
    faceMs.sort((a, b) => a - b);
    const faceMsPerFrame = Math.round((faceMs.reduce((a, b) => a + b, 0) / faceMs.length) * 10) / 10;
    const faceP95Ms = Math.round(faceMs[Math.floor(faceMs.length * 0.95)]! * 10) / 10;
    const detectionsPerSecond = Math.round((faceMs.length / (recordedMs / 1000)) * 100) / 100;
    log(`face detection: ${faceMs.length} frames, mean ${faceMsPerFrame} ms, p95 ${faceP95Ms} ms, ${detectionsPerSecond}/s`);

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
        faceMsPerFrame,
        faceP95Ms,
        detectionsPerSecond,
        ...smokeMark,
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
