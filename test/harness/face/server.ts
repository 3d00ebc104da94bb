// Node side of the face harness: builds test/harness/face with Vite (a production bundle, as the app's
// renderer is built), puts the models and wasm files under vendor/ as electron.vite.config.ts does,
// and serves it with the renderer's Content-Security-Policy, so what passes here also passes in the app.
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { build, preview } from 'vite';
import { contentSecurityPolicy } from '../../../electron/security/csp';
import { repoRoot as repo, tempDir } from '../../../scripts/processes';

const root = resolve(repo, 'test/harness/face');

/** Models the service loads, from inside the face-api package (the app copies the same set). */
const MODELS = /^(tiny_face_detector|face_landmark_68_tiny|face_recognition)_model/;

export interface FaceHarness {
  /** The harness page; `window.faceHarness` is set once the title is 'Face harness ready'. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startFaceHarness(): Promise<FaceHarness> {
  const outDir = tempDir('face-harness');
  await build({
    configFile: false,
    root,
    base: './',
    logLevel: 'warn',
    // face-api with tfjs is one 1.3 MB module: the app loads it on demand, so its size is expected.
    build: { outDir, emptyOutDir: true, reportCompressedSize: false, chunkSizeWarningLimit: 2000 },
  });
  copyMatching(join(repo, 'node_modules/@vladmandic/face-api/model'), join(outDir, 'vendor/face-models'), MODELS);
  copyMatching(join(repo, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'), join(outDir, 'vendor/tfjs'), /\.wasm$/);
  const server = await preview({
    configFile: false,
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: {
      host: '127.0.0.1',
      port: 0,
      headers: { 'Content-Security-Policy': contentSecurityPolicy({ serverUrl: 'http://127.0.0.1:9' }) },
    },
  });
  const address = server.httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/`,
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

function copyMatching(from: string, to: string, pattern: RegExp): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from).filter((n) => pattern.test(n))) cpSync(join(from, name), join(to, name));
}
