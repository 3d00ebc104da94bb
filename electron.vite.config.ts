import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { viteStaticCopy } from 'vite-plugin-static-copy';

// Offline assets the renderer loads at run time, copied from their npm packages into `vendor/` (never
// from a CDN): tesseract.js's worker and LSTM cores, its English data, face-api's models and the tfjs
// wasm binaries. Renderer code finds them through `renderer/src/services/vendorAssets.ts`.
const vendor = [
  { src: 'node_modules/tesseract.js/dist/worker.min.js', dest: 'vendor/tesseract' },
  { src: 'node_modules/tesseract.js-core/tesseract-core*-lstm.{js,wasm,wasm.js}', dest: 'vendor/tesseract-core' },
  { src: 'node_modules/@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz', dest: 'vendor/tessdata' },
  {
    src: 'node_modules/@vladmandic/face-api/model/{tiny_face_detector,face_landmark_68,face_landmark_68_tiny,face_recognition}_model*',
    dest: 'vendor/face-models',
  },
  { src: 'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm', dest: 'vendor/tfjs' },
];

// Builds the three parts of the desktop app into out/: main (ESM), preload (CommonJS: sandboxed
// preloads cannot be modules) and the renderer, which the web host also serves.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // original-fs is Electron's built-in unpatched fs (it reads app.asar as a file), not an npm package.
      rollupOptions: { input: { main: resolve(__dirname, 'electron/main.ts') }, external: ['original-fs'] },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only 'electron' (and a few Node shims): zod must be bundled in.
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: resolve(__dirname, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    base: './',
    plugins: [react(), viteStaticCopy({ targets: vendor.map((t) => ({ ...t, src: resolve(__dirname, t.src).replaceAll('\\', '/') })) })],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
