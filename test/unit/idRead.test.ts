import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../../scripts/processes';

// The ID reader, run as the id:read CLI over the 60-frame development set (a fixtures folder beside
// the checkout, here and in CI) and scored by the fixtures' own scorer, must read the name exactly
// on at least 90 % of the frames.
const devDir = resolve(repoRoot, '../shared/fixtures/ids/dev');
const scorer = resolve(repoRoot, '../shared/tools/score-ids.mjs');

describe('id:read on the dev set', () => {
  it('reads the name exactly on at least 90 % of the frames', { timeout: 300_000 }, () => {
    if (!existsSync(devDir)) throw new Error(`the dev set is missing: ${devDir} (../shared must sit beside the checkout)`);
    const images = readdirSync(join(devDir, 'images'))
      .filter((f) => f.endsWith('.jpg'))
      .map((f) => join(devDir, 'images', f));
    expect(images).toHaveLength(60);
    const read = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/idRead.ts', ...images], {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(read.status, read.stderr).toBe(0);
    const lines = read.stdout.trim().split('\n');
    expect(lines).toHaveLength(60);
    const predictions = join(tempDir('id-read'), 'predictions.jsonl');
    writeFileSync(predictions, read.stdout);
    const scored = spawnSync(process.execPath, [scorer, join(devDir, 'truth.json'), predictions, '--json'], { encoding: 'utf8' });
    expect(scored.status, scored.stderr).toBe(0);
    const score = JSON.parse(scored.stdout) as { all: { nameExact: number; missing: number } };
    console.log(`[id:read] dev set: ${JSON.stringify(score.all)}`);
    expect(score.all.missing).toBe(0);
    expect(score.all.nameExact).toBeGreaterThanOrEqual(0.9);
  });
});
