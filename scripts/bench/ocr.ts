// npm run --silent bench:ocr [-- IMAGE...] — the ID reader's speed against the native engine, on the
// dev set by default (../shared/fixtures/ids/dev). Per image, in turn: the product (the id:read code
// path: `readIdFile` on one long-lived tesseract.js worker) and Debian's `tesseract img stdout` on the
// whole frame with default settings (OpenMP on); also `OMP_THREAD_LIMIT=1`, since on two busy cores
// OpenMP costs the native engine more than it gains. Interleaving keeps load from other processes
// from favouring either side. Names are scored by the shared scorer (../shared/tools/score-ids.mjs).
// `--smoke`: the first 3 dev images, scored against their own truth entries; without the `tesseract`
// CLI it reports the product's figures and says the native ones are missing instead of failing
// (scripts/bench/smoke.ts).
// Last line JSON: {"medianMs","nativeMedianMs","ratio","nameExact",…}.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot, tempDir } from '../processes';
import { createIdWorker, readIdFile } from '../idRead';
import { benchArgs, smoke, smokeMark } from './smoke';

const devDir = resolve(repoRoot, '../shared/fixtures/ids/dev');
const scorer = resolve(repoRoot, '../shared/tools/score-ids.mjs');
const log = (line: string) => process.stderr.write(`[bench:ocr] ${line}\n`);
const SMOKE_IMAGES = 3;
const NATIVE_MISSING = 'the native `tesseract` CLI is missing (apt-get install tesseract-ocr)';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function nativeMs(file: string, env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const run = spawnSync('tesseract', [file, 'stdout'], { env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`tesseract failed on ${file}: ${run.stderr || run.error?.message}`);
  return ms;
}

async function main() {
  const args = benchArgs;
  const devImages = readdirSync(join(devDir, 'images')).filter((f) => f.endsWith('.jpg')).sort().map((f) => join(devDir, 'images', f));
  const images = args.length > 0 ? [...args] : smoke ? devImages.slice(0, SMOKE_IMAGES) : devImages;
  if (images.length === 0) throw new Error('no images');
  const hasNative = spawnSync('tesseract', ['--version']).status === 0;
  if (!hasNative && !smoke) throw new Error(NATIVE_MISSING);
  if (!hasNative) log(`${NATIVE_MISSING}: the product's figures only`);
  const loadBefore = loadavg()[0]!;
  const worker = await createIdWorker();
  const product: number[] = [];
  const productCpu: number[] = [];
  const native: number[] = [];
  const nativeOneThread: number[] = [];
  const lines: string[] = [];
  try {
    // One read before timing, as the app warms its worker during the system check.
    await readIdFile(worker, images[0]!);
    for (const [i, file] of images.entries()) {
      const cpu = process.cpuUsage();
      const { line } = await readIdFile(worker, file);
      const used = process.cpuUsage(cpu);
      product.push(line.ms);
      productCpu.push((used.user + used.system) / 1000);
      lines.push(JSON.stringify(line));
      if (hasNative) {
        native.push(nativeMs(file, process.env));
        nativeOneThread.push(nativeMs(file, { ...process.env, OMP_THREAD_LIMIT: '1' }));
      }
      if ((i + 1) % 10 === 0) log(`${i + 1}/${images.length}`);
    }
  } finally {
    await worker.terminate();
  }
  const work = tempDir('bench-ocr');
  const predictions = join(work, 'predictions.jsonl');
  writeFileSync(predictions, `${lines.join('\n')}\n`);
  let nameExact: number | null = null;
  const byDocType: Record<string, number> = {};
  let truth = join(devDir, 'truth.json');
  if (args.length === 0 && existsSync(truth)) {
    if (images.length < devImages.length) {
      // The scorer counts every truth entry without a prediction as wrong: score against the images read.
      const read = new Set(images.map((file) => basename(file)));
      const entries = (JSON.parse(readFileSync(truth, 'utf8')) as { file: string }[]).filter((t) => read.has(t.file));
      truth = join(work, 'truth.json');
      writeFileSync(truth, JSON.stringify(entries));
    }
    const scored = spawnSync(process.execPath, [scorer, truth, predictions, '--json'], { encoding: 'utf8' });
    if (scored.status !== 0) throw new Error(`scorer failed: ${scored.stderr}`);
    const score = JSON.parse(scored.stdout) as Record<string, { nameExact: number }>;
    nameExact = score.all!.nameExact;
    for (const [k, v] of Object.entries(score)) if (k.startsWith('docType=')) byDocType[k.slice(8)] = v.nameExact;
  }
  rmSync(work, { recursive: true, force: true });
  const medianMs = Math.round(median(product));
  const nativeMedianMs = hasNative ? Math.round(median(native)) : null;
  const nativeOneThreadMedianMs = hasNative ? Math.round(median(nativeOneThread)) : null;
  const ratioTo = (nativeMedian: number | null) => (nativeMedian === null ? null : Number((medianMs / nativeMedian).toFixed(3)));
  console.log(`images ${images.length}; load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`);
  console.log(`product (id:read path)        median ${medianMs} ms, CPU median ${Math.round(median(productCpu))} ms`);
  if (hasNative) {
    console.log(`native tesseract (default)    median ${nativeMedianMs} ms`);
    console.log(`native tesseract (one thread) median ${nativeOneThreadMedianMs} ms`);
  } else {
    console.log(`native tesseract: not measured, ${NATIVE_MISSING}`);
  }
  if (nameExact !== null) console.log(`name exact ${nameExact} (${Object.entries(byDocType).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  console.log(
    JSON.stringify({
      medianMs,
      nativeMedianMs,
      ratio: ratioTo(nativeMedianMs),
      nameExact,
      nativeOneThreadMedianMs,
      ratioOneThread: ratioTo(nativeOneThreadMedianMs),
      cpuMedianMs: Math.round(median(productCpu)),
      nameExactByDocType: byDocType,
      ...(hasNative ? {} : { nativeMissing: NATIVE_MISSING }),
      ...smokeMark,
    }),
  );
}

await main();
