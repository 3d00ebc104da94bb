import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordingFiles } from './recordingFiles';

describe('the files that make a take', () => {
  let dataDir: string;
  let files: RecordingFiles;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'invigil-files-'));
    files = new RecordingFiles(dataDir);
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('are the stored segment files in order, never a stray one past the stored count', () => {
    mkdirSync(files.takeDir('s1', 2), { recursive: true });
    for (const m of [0, 1, 2, 10]) writeFileSync(files.segmentFile('s1', 2, m), String(m));
    const inputs = files.takeInputs('s1', 2, 3);
    expect(inputs).toEqual([0, 1, 2].map((m) => join(dataDir, 'recordings', 's1', 'take-2', `segment-${m}.webm`)));
  });

  it('start with a take file of the earlier layout, followed by the segments stored after it', () => {
    mkdirSync(files.takeDir('s1', 0), { recursive: true });
    writeFileSync(files.legacyTakeFile('s1', 0), 'first three segments');
    writeFileSync(files.segmentFile('s1', 0, 3), 'fourth');
    expect(files.takeInputs('s1', 0, 4)).toEqual([files.legacyTakeFile('s1', 0), files.segmentFile('s1', 0, 3)]);
  });

  it('never put an unsafe session id into a path', () => {
    expect(() => files.segmentFile('../x', 0, 0)).toThrow('unsafe');
  });
});
