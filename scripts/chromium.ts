import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Debian's Chromium, never a downloaded browser (this machine and CI have no internet), with the
 * switches it needs here, and the fake webcam. One place for the e2e config, the e2e files that
 * pick their own clip, and the benchmarks.
 */
export const chromiumPath = process.env.INVIGIL_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A fixture clip of `../shared/fixtures/camera` by name (`face_alone`), or a clip file's path. */
export function cameraClip(clip: string): string {
  const file = clip.endsWith('.mjpeg') || clip.endsWith('.y4m') ? resolve(clip) : resolve('../shared/fixtures/camera', `${clip}.mjpeg`);
  if (!existsSync(file)) throw new Error(`fake camera clip not found: ${file} (../shared must sit beside the checkout)`);
  return file;
}

/** Chromium's fake camera and microphone, looping `clip`; permission prompts answered yes. */
export function cameraArgs(clip: string): string[] {
  return ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${cameraClip(clip)}`];
}

/** Launch options for Playwright: Debian Chromium with the fake camera showing `clip`. */
export function chromiumWithCamera(clip: string, extraArgs: readonly string[] = []) {
  return { executablePath: chromiumPath, args: [...chromiumArgs, ...extraArgs, ...cameraArgs(clip)] };
}
