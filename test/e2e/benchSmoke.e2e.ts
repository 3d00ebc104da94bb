import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { repoRoot } from '../helpers/processes';

// Benchmarks are scripts, not timed tests (README "Benchmarks"): each prints its figures and a last
// line of JSON. Here every `npm run bench:*` runs in smoke mode (`-- --smoke`, scripts/bench/smoke.ts:
// the same code path with tiny sizes), two at a time (the project's two workers), so that none of them
// rots. Only the exit status and the shape of the JSON line are checked, never the figures.

/** Longest a smoke run may take (the capture bench, under a loaded 2-core machine, needs about a minute). */
const RUN_TIMEOUT_MS = 8 * 60_000;

type Json = Record<string, unknown>;

interface Expected {
  /** Keys that must hold a finite number. */
  readonly numbers: readonly string[];
  /** Keys that hold a number, or null when the machine lacks a tool and `missing` says so (a string). */
  readonly optional?: { readonly keys: readonly string[]; readonly missing: string };
  readonly strings?: readonly string[];
}

const benches: Record<string, Expected> = {
  'bench:upload': { numbers: ['uploadMBps', 'putMBps', 'ratio', 'resentBytes', 'chunkBytes'] },
  'bench:queue': {
    numbers: ['sqliteClaimsPerSec', 'sqliteP99Ms'],
    optional: { keys: ['pgClaimsPerSec', 'pgP99Ms'], missing: 'pgMissing' },
  },
  'bench:ocr': {
    numbers: ['medianMs', 'cpuMedianMs', 'nameExact'],
    optional: { keys: ['nativeMedianMs', 'ratio', 'nativeOneThreadMedianMs', 'ratioOneThread'], missing: 'nativeMissing' },
  },
  'bench:face': { numbers: ['faceMsPerFrame', 'faceP95Ms', 'descriptorMs'], strings: ['backend'] },
  'bench:capture': {
    numbers: ['previewCorePct', 'recordingCorePct', 'overheadCorePct', 'kbps', 'faceMsPerFrame', 'faceP95Ms', 'detectionsPerSecond'],
  },
  'bench:live': {
    numbers: [
      'streams',
      'workerCpuPercent',
      'cpuPercentPerStream',
      'streamsPerCore',
      'deliveredRatio',
      'senderCpuPercent',
      'goalStreamsPerCore',
      'gridCpuPercent',
      'gridTilesPlaying',
    ],
  },
};

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** `npm run --silent <script> -- --smoke` in its own process group, killed whole if it outlives RUN_TIMEOUT_MS. */
function runSmoke(script: string): Promise<Run> {
  // Size overrides meant for full runs (BENCH_UPLOAD_MB, BENCH_SECONDS, …) would defeat the smoke sizes.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('BENCH_')));
  const started = performance.now();
  const child = spawn('npm', ['run', '--silent', script, '--', '--smoke'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stderr += `\n[benchSmoke] ${script} still running after ${RUN_TIMEOUT_MS} ms: killed`;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, RUN_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

const tail = (text: string, lines = 40) => text.trimEnd().split('\n').slice(-lines).join('\n');

test.describe.configure({ mode: 'parallel', timeout: RUN_TIMEOUT_MS + 60_000 });

test('every bench script in package.json has a smoke run here', () => {
  const scripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  expect(Object.keys(scripts).filter((name) => name.startsWith('bench:')).sort()).toEqual(Object.keys(benches).sort());
});

for (const [script, expected] of Object.entries(benches)) {
  test(`${script} -- --smoke exits 0 and ends with its JSON line`, async () => {
    const run = await runSmoke(script);
    const output = `stdout:\n${tail(run.stdout)}\nstderr:\n${tail(run.stderr)}`;
    test.info().annotations.push({ type: 'smoke run', description: `${script}: ${(run.ms / 1000).toFixed(1)} s` });
    expect(run.code, `${script} exited with ${run.code ?? run.signal}\n${output}`).toBe(0);

    const last = run.stdout.trimEnd().split('\n').at(-1) ?? '';
    let json: Json;
    try {
      json = JSON.parse(last) as Json;
    } catch {
      throw new Error(`${script}: the last stdout line is not JSON: ${last}\n${output}`);
    }
    expect(json.smoke, `${script} did not run in smoke mode: ${last}`).toBe(true);
    for (const key of expected.numbers) {
      expect(Number.isFinite(json[key]), `${script}: "${key}" is not a number in ${last}`).toBe(true);
    }
    for (const key of expected.strings ?? []) {
      expect(typeof json[key], `${script}: "${key}" is not a string in ${last}`).toBe('string');
    }
    if (expected.optional) {
      const { keys, missing } = expected.optional;
      const absent = typeof json[missing] === 'string';
      for (const key of keys) {
        if (absent) expect(json[key], `${script}: "${key}" should be null when ${missing} says so: ${last}`).toBeNull();
        else expect(Number.isFinite(json[key]), `${script}: "${key}" is not a number in ${last}`).toBe(true);
      }
      if (absent) console.log(`${script}: ${String(json[missing])}`);
    }
  });
}
