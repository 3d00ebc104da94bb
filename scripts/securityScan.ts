/**
 * `npm run security:scan`: runs Electronegativity (Doyensec's Electron security linter) over the
 * desktop host (electron/) and the renderer (renderer/), prints a summary, and exits non-zero on any
 * HIGH finding that docs/security.md has not reviewed. Runs offline: the two checks that would reach
 * the internet (translations from S3, Electron's release list from GitHub) are kept from doing so,
 * and the Electron version comes from package.json instead.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

interface Issue {
  readonly id: string;
  readonly file: string;
  readonly location: { readonly line: number; readonly column: number };
  readonly severity: { readonly name: string; readonly value: number };
  readonly confidence: { readonly name: string };
  readonly description: string;
  readonly manualReview: boolean;
}
interface ScanResult {
  readonly globalChecks: number;
  readonly atomicChecks: number;
  readonly errors: readonly { file: string; message: string; tolerable: boolean }[];
  readonly issues: readonly Issue[];
}
type Runner = (options: Record<string, unknown>, forCli: boolean) => Promise<ScanResult>;

/**
 * Findings reviewed by hand and explained in docs/security.md ("Electronegativity"). Each names the
 * check, the file and why it does not apply; anything else at HIGH fails the scan.
 */
const reviewed: readonly { id: string; file: string; why: string }[] = [];

/** Electronegativity fetches its translations at start-up; load the English strings it ships instead. */
function offlineTranslations(packageDir: string): void {
  const i18nPath = join(packageDir, 'dist', 'locales', 'i18n.js');
  const i18n = require(require.resolve('i18n', { paths: [packageDir] })) as {
    configure(options: Record<string, unknown>): void;
    setLocale(locale: string): void;
  };
  const exports = {
    __esModule: true,
    default: async () => {
      i18n.configure({ locales: ['en-US'], defaultLocale: 'en-US', directory: dirname(i18nPath), updateFiles: false, objectNotation: true, register: globalThis });
      i18n.setLocale('en-US');
    },
  };
  const Module = require('node:module') as { _cache?: Record<string, unknown> };
  const cache = (require.cache ?? Module._cache) as Record<string, unknown>;
  cache[i18nPath] = { id: i18nPath, filename: i18nPath, loaded: true, exports, children: [], paths: [] };
}

async function main(): Promise<number> {
  const started = Date.now();
  const packageDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
  offlineTranslations(packageDir);
  const run = (require('@doyensec/electronegativity') as { default?: Runner } & Runner).default ?? (require('@doyensec/electronegativity') as Runner);
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const electronVersion = pkg.devDependencies.electron?.replace(/^[^0-9]*/, '') ?? '';

  // One scan over both folders, so the app-wide checks (navigation limits, permission handler, CSP)
  // see the main process and the renderer together, as one app, the way they ship.
  const scanRoot = mkdtempSync(join(tmpdir(), 'invigil-scan-'));
  const scanned = ['electron', 'renderer'];
  for (const dir of scanned) symlinkSync(join(repoRoot, dir), join(scanRoot, dir), 'dir');
  const issues: Issue[] = [];
  let parseErrors = 0;
  try {
    const result = await run(
      {
        input: scanRoot,
        customScan: [],
        // Needs GitHub's release list; Electron upgrades are tracked through package.json instead.
        excludeFromScan: ['availablesecurityfixesglobalcheck'],
        electronVersionOverride: electronVersion,
        isRelative: false,
        parserPlugins: [],
      },
      false,
    );
    for (const error of result.errors) {
      if (!error.tolerable) parseErrors += 1;
      process.stdout.write(`  parse ${error.tolerable ? 'warning' : 'error'}: ${relative(scanRoot, error.file)}: ${error.message}\n`);
    }
    process.stdout.write(`${result.atomicChecks} file checks and ${result.globalChecks} app-wide checks over ${scanned.join('/, ')}/\n`);
    for (const issue of result.issues) issues.push({ ...issue, file: issue.file === 'N/A' ? '(app-wide)' : relative(scanRoot, issue.file) });
  } finally {
    rmSync(scanRoot, { recursive: true, force: true });
  }

  const isReviewed = (issue: Issue) => reviewed.find((r) => r.id === issue.id && r.file === issue.file);
  const order = ['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];
  issues.sort((a, b) => order.indexOf(a.severity.name) - order.indexOf(b.severity.name) || a.file.localeCompare(b.file));
  for (const issue of issues) {
    const note = isReviewed(issue) ? ' [reviewed: docs/security.md]' : issue.manualReview ? ' [manual review]' : '';
    process.stdout.write(
      `${issue.severity.name.padEnd(13)} ${issue.confidence.name.padEnd(9)} ${issue.id.padEnd(40)} ${issue.file}:${issue.location.line}${note}\n`,
    );
  }
  const counts = Object.fromEntries(order.map((name) => [name, issues.filter((i) => i.severity.name === name).length]));
  const failing = issues.filter((i) => i.severity.name === 'HIGH' && !isReviewed(i));
  process.stdout.write(
    `Electronegativity ${electronVersion ? `(Electron ${electronVersion}) ` : ''}over electron/ and renderer/: ` +
      `${order.map((name) => `${counts[name]} ${name}`).join(', ')}; ${parseErrors} parse errors; ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  process.stdout.write(`${JSON.stringify({ counts, unreviewedHigh: failing.length, parseErrors })}\n`);
  return failing.length > 0 || parseErrors > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`security scan failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
