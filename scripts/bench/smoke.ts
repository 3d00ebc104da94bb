// Smoke mode of the benchmarks: `--smoke` on the command line (`npm run --silent bench:x -- --smoke`)
// or INVIGIL_BENCH_SMOKE=1. Each bench runs its own code path with tiny sizes, in seconds, and still
// prints its last line of JSON (with `"smoke": true`); `npm test` runs every bench this way
// (test/e2e/benchSmoke.e2e.ts) so none of them can rot. Figures from a smoke run are not measurements.

export const smoke = process.argv.includes('--smoke') || process.env.INVIGIL_BENCH_SMOKE === '1';

/** The bench's own command-line arguments: without npm's `--` and the smoke flag. */
export const benchArgs: readonly string[] = process.argv.slice(2).filter((a) => a !== '--' && a !== '--smoke');

/** A number from the environment, else the smoke or the full-run default. */
export function sizeFromEnv(name: string, full: number, smokeValue: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? (smoke ? smokeValue : full) : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return value;
}

/** Merged into a bench's JSON line so a smoke run's figures are never mistaken for a measurement. */
export const smokeMark: { readonly smoke?: true } = smoke ? { smoke: true } : {};
