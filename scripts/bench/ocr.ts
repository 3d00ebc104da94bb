// npm run --silent bench:ocr [-- IMAGE...] — the ID reader's speed against the native engine, on the
// dev set by default (../shared/fixtures/ids/dev). Per image, in turn: the product (the id:read code
// path: `readIdFile` on one long-lived tesseract.js worker) and Debian's `tesseract img stdout` on the
// whole frame with default settings (OpenMP on); also `OMP_THREAD_LIMIT=1`, since on two busy cores
// OpenMP costs the native engine more than it gains. Interleaving keeps load from other processes
// from favouring either side. Names are scored by the shared scorer (../shared/tools/score-ids.mjs).
// Last line JSON: {"medianMs","nativeMedianMs","ratio","nameExact",…}.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot, tempDir } from '../processes';
import { createIdWorker, readIdFile } from '../idRead';

const devDir = resolve(repoRoot, '../shared/fixtures/ids/dev');
const scorer = resolve(repoRoot, '../shared/tools/score-ids.mjs');
const log = (line: string) => process.stderr.write(`[bench:ocr] ${line}\n`);

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
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const images = args.length > 0 ? args : readdirSync(join(devDir, 'images')).filter((f) => f.endsWith('.jpg')).sort().map((f) => join(devDir, 'images', f));
  if (images.length === 0) throw new Error('no images');
  if (spawnSync('tesseract', ['--version']).status !== 0) throw new Error('the native `tesseract` CLI is missing (apt-get install tesseract-ocr)');
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
      native.push(nativeMs(file, process.env));
      nativeOneThread.push(nativeMs(file, { ...process.env, OMP_THREAD_LIMIT: '1' }));
      if ((i + 1) % 10 === 0) log(`${i + 1}/${images.length}`);
    }
  } finally {
    await worker.terminate();
  }
  const predictions = join(tempDir('bench-ocr'), 'predictions.jsonl');
  writeFileSync(predictions, `${lines.join('\n')}\n`);
  let nameExact: number | null = null;
  const byDocType: Record<string, number> = {};
  const truth = join(devDir, 'truth.json');
  if (args.length === 0 && existsSync(truth)) {
    const scored = spawnSync(process.execPath, [scorer, truth, predictions, '--json'], { encoding: 'utf8' });
    if (scored.status !== 0) throw new Error(`scorer failed: ${scored.stderr}`);
    const score = JSON.parse(scored.stdout) as Record<string, { nameExact: number }>;
    nameExact = score.all!.nameExact;
    for (const [k, v] of Object.entries(score)) if (k.startsWith('docType=')) byDocType[k.slice(8)] = v.nameExact;
  }
  const medianMs = Math.round(median(product));
  const nativeMedianMs = Math.round(median(native));
  const nativeOneThreadMedianMs = Math.round(median(nativeOneThread));
  console.log(`images ${images.length}; load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`);
  console.log(`product (id:read path)        median ${medianMs} ms, CPU median ${Math.round(median(productCpu))} ms`);
  console.log(`native tesseract (default)    median ${nativeMedianMs} ms`);
  console.log(`native tesseract (one thread) median ${nativeOneThreadMedianMs} ms`);
  if (nameExact !== null) console.log(`name exact ${nameExact} (${Object.entries(byDocType).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  console.log(
    JSON.stringify({
      medianMs,
      nativeMedianMs,
      ratio: Number((medianMs / nativeMedianMs).toFixed(3)),
      nameExact,
      nativeOneThreadMedianMs,
      ratioOneThread: Number((medianMs / nativeOneThreadMedianMs).toFixed(3)),
      cpuMedianMs: Math.round(median(productCpu)),
      nameExactByDocType: byDocType,
    }),
  );
}

await main();
