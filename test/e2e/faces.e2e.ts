// The real FaceApiService (face-api, tfjs wasm backend) in Debian Chromium, built by Vite and served with
// the renderer's CSP (test/harness/face), on the public-domain portraits and the fake-camera clips in
// ../shared/fixtures. Each clip needs its own browser: Chromium takes the fake camera's file at launch.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, chromium, expect, type Page, test } from '@playwright/test';
import type { HarnessTransform } from '../harness/face/api';
import { type FaceHarness, startFaceHarness } from '../harness/face/server';
import { chromiumArgs, chromiumPath, chromiumWithCamera } from '../../scripts/chromium';

const fixtures = resolve('../shared/fixtures');
const PORTRAITS = ['hopper', 'biden', 'collins', 'obama'] as const;
const SAME_PERSON = 0.6; // faceService.ts SAME_PERSON_DISTANCE

test.describe.configure({ mode: 'serial', timeout: 120_000 });

let harness: FaceHarness;
const browsers: Browser[] = [];

test.beforeAll(async () => {
  test.setTimeout(60_000);
  harness = await startFaceHarness();
});

test.afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await harness?.close();
});

async function harnessPage(clip?: string): Promise<Page> {
  const browser = await chromium.launch(clip ? chromiumWithCamera(clip) : { executablePath: chromiumPath, args: [...chromiumArgs] });
  browsers.push(browser);
  const page = await browser.newPage();
  await page.goto(harness.url);
  await expect(page).toHaveTitle('Face harness ready');
  const warm = await page.evaluate(() => window.faceHarness.warm());
  expect(warm).toMatchObject({ ok: true, value: { backend: 'wasm' } });
  return page;
}

const portrait = (name: string) => `data:image/jpeg;base64,${readFileSync(resolve(fixtures, 'faces', `${name}.jpg`)).toString('base64')}`;

async function describeOne(page: Page, name: string, transform?: HarnessTransform): Promise<number[]> {
  const result = await page.evaluate(([src, t]) => window.faceHarness.detectImage(src, { withDescriptor: true, transform: t }), [portrait(name), transform] as const);
  expect(result.ok, `${name} ${JSON.stringify(transform)}`).toBe(true);
  if (!result.ok) throw new Error('unreachable');
  expect(result.faces, `faces in ${name} ${JSON.stringify(transform)}`).toHaveLength(1);
  const descriptor = result.faces[0]!.descriptor!;
  expect(descriptor).toHaveLength(128);
  return descriptor;
}

const distance = (a: number[], b: number[]) => Math.sqrt(a.reduce((sum, x, i) => sum + (x - b[i]!) ** 2, 0));

test('every portrait is found once, with a box around the face in the image’s pixels', async () => {
  const page = await harnessPage();
  for (const name of PORTRAITS) {
    for (const withDescriptor of [false, true]) {
      const result = await page.evaluate(([src, d]) => window.faceHarness.detectImage(src, { withDescriptor: d }), [portrait(name), withDescriptor] as const);
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      expect(result.faces, `${name} (withDescriptor: ${withDescriptor})`).toHaveLength(1);
      const { box } = result.faces[0]!;
      // The portraits are 360×460 head-and-shoulders crops: the face is a large part of the picture, upper middle.
      expect([result.width, result.height]).toEqual([360, 460]);
      expect(box.width / result.width, `${name} face width`).toBeGreaterThan(0.3);
      expect(box.width / result.width, `${name} face width`).toBeLessThan(0.95);
      expect(box.height / box.width, `${name} face shape`).toBeGreaterThan(0.7);
      expect(box.height / box.width, `${name} face shape`).toBeLessThan(1.5);
      const cx = (box.x + box.width / 2) / result.width;
      const cy = (box.y + box.height / 2) / result.height;
      expect(cx, `${name} face centre x`).toBeGreaterThan(0.25);
      expect(cx, `${name} face centre x`).toBeLessThan(0.75);
      expect(cy, `${name} face centre y`).toBeGreaterThan(0.15);
      expect(cy, `${name} face centre y`).toBeLessThan(0.7);
      expect(box.x + box.width).toBeLessThanOrEqual(result.width);
      expect(box.y + box.height).toBeLessThanOrEqual(result.height);
      expect(result.faces[0]!.descriptor === null).toBe(!withDescriptor);
    }
  }
});

test('descriptors: the same portrait changed stays under 0.6, different people are over 0.6', async () => {
  const page = await harnessPage();
  const changes: Record<string, HarnessTransform> = {
    'scaled 0.6': { scale: 0.6 },
    'scaled 1.6': { scale: 1.6 },
    'cropped tighter': { crop: { x: 36, y: 23, width: 288, height: 368 } },
    darker: { brightness: 0.7 },
    brighter: { brightness: 1.3 },
  };
  const originals = new Map<string, number[]>();
  const rows: string[] = [];
  for (const name of PORTRAITS) {
    const original = await describeOne(page, name);
    originals.set(name, original);
    const cells: string[] = [];
    for (const [label, change] of Object.entries(changes)) {
      const d = distance(original, await describeOne(page, name, change));
      cells.push(`${label} ${d.toFixed(3)}`);
      expect(d, `${name} ${label}`).toBeLessThan(SAME_PERSON);
    }
    rows.push(`${name}: ${cells.join(', ')}`);
  }
  const matrix = [`${''.padEnd(8)}${PORTRAITS.map((n) => n.padStart(8)).join('')}`];
  for (const a of PORTRAITS) {
    const cells = PORTRAITS.map((b) => distance(originals.get(a)!, originals.get(b)!));
    matrix.push(`${a.padEnd(8)}${cells.map((d) => d.toFixed(3).padStart(8)).join('')}`);
    for (const [i, b] of PORTRAITS.entries()) if (a !== b) expect(cells[i], `${a} vs ${b}`).toBeGreaterThan(SAME_PERSON);
  }
  const report = ['same portrait, changed:', ...rows, 'different portraits:', ...matrix].join('\n');
  console.log(report);
  await test.info().attach('descriptor distances', { body: report, contentType: 'text/plain' });
});

for (const [clip, faces] of [
  ['face_alone', 1],
  ['two_faces', 2],
  ['no_face', 0],
] as const) {
  test(`fake camera ${clip}: ${faces} face(s) in every frame`, async () => {
    const page = await harnessPage(clip);
    expect(await page.evaluate(() => window.faceHarness.startCamera())).toEqual({ width: 640, height: 480 });
    await page.evaluate(() => window.faceHarness.cameraFrames(3)); // first frames compile the wasm kernels
    const tensorsBefore = await page.evaluate(() => window.faceHarness.tensors());
    const frames = await page.evaluate(() => window.faceHarness.cameraFrames(24));
    const counts = frames.map((f) => (f.ok ? f.faces.length : f.code));
    expect(counts).toEqual(Array(24).fill(faces));
    for (const frame of frames) {
      if (!frame.ok) continue;
      for (const { box } of frame.faces) {
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(640);
        expect(box.y + box.height).toBeLessThanOrEqual(480);
        expect(box.width).toBeGreaterThan(60); // a face at webcam distance, not a speck
      }
      const areas = frame.faces.map((f) => f.box.width * f.box.height);
      expect(areas).toEqual([...areas].sort((a, b) => b - a));
      if (clip === 'two_faces') {
        // The clip shows two portraits side by side: one face in each half of the frame.
        const centres = frame.faces.map((f) => f.box.x + f.box.width / 2).sort((a, b) => a - b);
        expect(centres[0]).toBeLessThan(320);
        expect(centres[1]).toBeGreaterThan(320);
      }
    }
    // Monitoring runs for hours: a detection must not leave tensors behind.
    expect(await page.evaluate(() => window.faceHarness.tensors())).toBe(tensorsBefore);
  });
}

test('models that cannot be loaded give model_unavailable, not an exception', async () => {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
  browsers.push(browser);
  const page = await browser.newPage();
  await page.goto(harness.url);
  await expect(page).toHaveTitle('Face harness ready');
  const warm = await page.evaluate(() => window.faceHarness.warm({ modelUrl: new URL('./no-such-models', document.baseURI).href }));
  expect(warm).toMatchObject({ ok: false, error: { code: 'model_unavailable' } });
  const detect = await page.evaluate((src) => window.faceHarness.detectImage(src), portrait('hopper'));
  expect(detect).toMatchObject({ ok: false, code: 'model_unavailable' });
});
