// npm run --silent bench:face — the app's FaceApiService (face-api, tfjs wasm backend) in Debian
// Chromium on the face_alone fake camera (640×480, 30 fps), built and served by test/harness/face.
// Frame detection: median and p95 over BENCH_FRAMES (≥ 100) frames after a warm-up. Descriptor:
// the extra cost of tiny landmarks + the 128-D descriptor for the one face, on top of detection;
// the whole still path (two detector passes + descriptor) is logged too.
// Env: BENCH_FRAMES (150, at least 100); `--smoke`: 3 warm-up frames, 10 timed, 5 for each of the
// still-path and descriptor figures (scripts/bench/smoke.ts).
// Last line JSON: {"faceMsPerFrame","faceP95Ms","descriptorMs","backend"}.
import { loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { chromiumWithCamera } from '../chromium';
import { startFaceHarness } from '../../test/harness/face/server';
import { smoke, smokeMark } from './smoke';

const FRAMES = smoke ? 10 : Math.max(100, Number(process.env.BENCH_FRAMES ?? 150));
const WARM_UP = smoke ? 3 : 20;
/** Frames per still-path and descriptor figure, and the warm-up before each. */
const STILL_FRAMES = smoke ? 5 : 30;
const STILL_WARM_UP = smoke ? 2 : 5;
const clip = process.env.INVIGIL_FAKE_CAMERA ?? 'face_alone';
const log = (line: string) => process.stderr.write(`[bench:face] ${line}\n`);

const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const round1 = (n: number) => Math.round(n * 10) / 10;

async function main() {
  const harness = await startFaceHarness();
  const browser = await chromium.launch(chromiumWithCamera(clip));

  try {
    const page = await browser.newPage();
    await page.goto(harness.url);
    await page.waitForFunction(() => document.title === 'Face harness ready');
    const warm = await page.evaluate(() => window.faceHarness.warm());
    if (!warm.ok) throw new Error(`warm failed: ${warm.error.code}`);
    const { backend } = warm.value;
    log(`backend ${backend}, models loaded in ${warm.value.ms} ms; load average ${loadavg()[0]!.toFixed(1)} on 2 cores`);
    const camera = await page.evaluate(() => window.faceHarness.startCamera());
    log(`camera ${camera.width}×${camera.height}, ${WARM_UP} warm-up frames, then ${FRAMES}`);

    const run = async (count: number, withDescriptor: boolean) => {
      const frames = await page.evaluate(([n, d]) => window.faceHarness.cameraFrames(n, { withDescriptor: d }), [count, withDescriptor] as const);
      const bad = frames.filter((f) => !f.ok || f.faces.length !== 1).length;
      if (bad > 0) log(`${bad} of ${count} frames did not give exactly one face`);
      return frames.map((f) => f.ms);
    };
    await run(WARM_UP, false);
    const detectMs = await run(FRAMES, false);
    const faceMsPerFrame = round1(quantile(detectMs, 0.5));
    const faceP95Ms = round1(quantile(detectMs, 0.95));
    log(`detection: median ${faceMsPerFrame} ms, p95 ${faceP95Ms} ms, min ${round1(Math.min(...detectMs))} ms`);

    // The still path the app uses for comparisons (frame pass + 608 pass + landmarks + descriptor).
    await run(STILL_WARM_UP, true);
    const stillMs = quantile(await run(STILL_FRAMES, true), 0.5);
    log(`still path with descriptor (two detector passes): median ${round1(stillMs)} ms`);

    // Descriptor alone: one detector pass with and without landmarks + descriptor.
    const single = await page.evaluate(() => window.faceHarness.warm({ stillDetectors: [{ inputSize: 192, scoreThreshold: 0.4 }] }));
    if (!single.ok) throw new Error('warm failed');
    await run(STILL_WARM_UP, true);
    const withDescriptor = quantile(await run(STILL_FRAMES, true), 0.5);
    const detectOnly = quantile(await run(STILL_FRAMES, false), 0.5);
    const descriptorMs = round1(withDescriptor - detectOnly);
    log(`one pass with descriptor: median ${round1(withDescriptor)} ms (detection ${round1(detectOnly)} ms, descriptor ${descriptorMs} ms)`);

    console.log(JSON.stringify({ faceMsPerFrame, faceP95Ms, descriptorMs, backend, ...smokeMark }));
  } finally {
    await browser.close();
    await harness.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
