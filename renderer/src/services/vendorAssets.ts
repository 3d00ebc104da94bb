/**
 * Where the offline run-time assets live in the built renderer (copied there by
 * `electron.vite.config.ts`). Relative to the page, so the same paths work from `app://invigil/`
 * and from the web host. Nothing is fetched from a CDN.
 */
const base = new URL('./vendor/', document.baseURI);

export const vendorAssets = {
  /** tesseract.js's worker script (`dist/worker.min.js`). */
  tesseractWorker: new URL('tesseract/worker.min.js', base).href,
  /** Folder with the tesseract.js-core LSTM builds; tesseract.js picks the SIMD variant it can run. */
  tesseractCore: new URL('tesseract-core', base).href,
  /** Folder with `eng.traineddata.gz` (4.0.0_best_int, LSTM only). */
  tessdata: new URL('tessdata', base).href,
  /** face-api models: tiny face detector, 68-point landmarks (full and tiny), 128-D recognition. */
  faceModels: new URL('face-models', base).href,
  /** tfjs wasm backend binaries, for `setWasmPaths` (trailing slash required). */
  tfjsWasm: new URL('tfjs/', base).href,
} as const;
