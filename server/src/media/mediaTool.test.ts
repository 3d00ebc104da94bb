import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FfmpegMediaTool } from './mediaTool';

/** Stand-ins for ffmpeg and ffprobe that write the arguments they were given, one per line. */
function recorder(dir: string, name: string, stdout: string): { path: string; args: () => string[] } {
  const path = join(dir, name);
  const out = join(dir, `${name}.args`);
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$@" > '${out}'\nprintf '${stdout}'\n`);
  chmodSync(path, 0o755);
  return { path, args: () => readFileSync(out, 'utf8').trimEnd().split('\n') };
}

/** The arguments that come before `-i`: the ones that decide how the input is read. */
const beforeInput = (args: readonly string[]): string[] => args.slice(0, args.indexOf('-i'));

describe('FfmpegMediaTool argument lists', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'invigil-media-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('remuxes with a forced Matroska input and only the file and concat protocols, for one input or several', async () => {
    const ffmpeg = recorder(dir, 'ffmpeg', '');
    const tool = new FfmpegMediaTool({ ffmpegPath: ffmpeg.path, ffprobePath: '/nonexistent/ffprobe' });
    for (const inputs of [['/data/take-0/segment-0.webm'], ['/data/take-0/segment-0.webm', '/data/take-0/segment-1.webm']]) {
      await tool.remux(inputs, '/data/out.webm');
      const args = ffmpeg.args();
      const reading = beforeInput(args);
      expect(reading).toEqual(expect.arrayContaining(['-protocol_whitelist', 'file,concat', '-f', 'matroska']));
      expect(reading[reading.indexOf('-protocol_whitelist') + 1]).toBe('file,concat');
      expect(reading[reading.indexOf('-f') + 1]).toBe('matroska');
      expect(args[args.indexOf('-i') + 1]).toBe(inputs.length === 1 ? inputs[0] : `concat:${inputs.join('|')}`);
      expect(args.slice(-3)).toEqual(['-f', 'webm', '/data/out.webm']);
    }
  });

  it('probes with a forced Matroska input and only the file protocol', async () => {
    const ffprobe = recorder(dir, 'ffprobe', '12.5\\n');
    const tool = new FfmpegMediaTool({ ffmpegPath: '/nonexistent/ffmpeg', ffprobePath: ffprobe.path });
    expect(await tool.durationMs('/data/out.webm.partial')).toBe(12_500);
    const args = ffprobe.args();
    expect(args[args.indexOf('-protocol_whitelist') + 1]).toBe('file');
    expect(args[args.indexOf('-f') + 1]).toBe('matroska');
    expect(args.indexOf('-f')).toBeLessThan(args.indexOf('-i'));
    expect(args[args.indexOf('-i') + 1]).toBe('/data/out.webm.partial');
  });
});
