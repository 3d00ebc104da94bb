import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const cli = join(repoRoot, 'electron', 'webhost', 'cli.ts');

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'invigil-cli-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function start(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(tsx, [cli, ...args], { cwd: repoRoot, env: { ...process.env, INVIGIL_SERVER_URL: '' } });
}

const exitOf = (child: ChildProcessWithoutNullStreams) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stderr }));
  });

describe('npm run webhost', () => {
  it('prints one listening line with the URL, serves the page, and exits cleanly on SIGTERM', async () => {
    await writeFile(join(root, 'index.html'), '<!doctype html><title>From the CLI</title>');
    const child = start(['--port', '0', '--renderer-dir', root, '--data-dir', join(root, 'data'), '--server-url', 'http://127.0.0.1:9']);
    const exited = exitOf(child);
    const lines = createInterface({ input: child.stdout });
    let listening: { msg: string; url: string; serverUrl: string } | undefined;
    for await (const line of lines) {
      if (line.includes('"msg":"listening"')) {
        listening = JSON.parse(line) as typeof listening;
        break;
      }
    }
    expect(listening?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(listening?.serverUrl).toBe('http://127.0.0.1:9');
    const page = await fetch(listening!.url);
    expect(await page.text()).toContain('From the CLI');
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  }, 30_000);

  it('tells the user to build first when there is no renderer', async () => {
    const result = await exitOf(start(['--port', '0', '--renderer-dir', join(root, 'nothing-here')]));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('npm run build');
  }, 30_000);
});
