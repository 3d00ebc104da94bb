import { EventEmitter } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonLinesLogger, streamSink, teeSinks } from '../log';
import { RotatingLogFile } from './logFile';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'invigil-logs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const line = (n: number) => `${JSON.stringify({ n, pad: 'x'.repeat(80) })}\n`;

describe('RotatingLogFile', () => {
  it('creates the logs folder and appends one line per write', () => {
    const file = new RotatingLogFile({ dir: join(dir, 'logs') });
    const log = jsonLinesLogger(file.write, () => Date.parse('2026-01-05T09:00:00.000Z'));
    log.info('desktop host: started', { packaged: false });
    log.error('crash recovery: the exam page crashed', { reason: 'crashed' });
    const lines = readFileSync(file.path, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['desktop host: started', 'crash recovery: the exam page crashed']);
  });

  it('rotates before a file would pass the limit and keeps at most `files` files', () => {
    const file = new RotatingLogFile({ dir, maxBytes: 400, files: 3 });
    for (let n = 0; n < 20; n += 1) file.write(line(n));
    expect(readdirSync(dir).sort()).toEqual(['invigil.1.log', 'invigil.2.log', 'invigil.log']);
    for (const path of [file.path, file.olderPath(1), file.olderPath(2)]) expect(readFileSync(path).length).toBeLessThanOrEqual(400);
    // Newest last in the current file; the older files hold the lines just before, in order.
    const numbers = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { n: number }).n);
    const all = [...numbers(file.olderPath(2)), ...numbers(file.olderPath(1)), ...numbers(file.path)];
    expect(all.at(-1)).toBe(19);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(all.length).toBeLessThan(20); // the oldest lines are gone
  });

  it('continues from the size of a log an earlier run left', () => {
    new RotatingLogFile({ dir, maxBytes: 400 }).write(line(1).repeat(3));
    const again = new RotatingLogFile({ dir, maxBytes: 400 });
    again.write(line(2).repeat(2));
    expect(existsSync(again.olderPath(1))).toBe(true);
  });

  it('never throws when it cannot write', () => {
    const file = new RotatingLogFile({ dir: join(dir, 'missing', '\0bad') });
    expect(() => file.write(line(1))).not.toThrow();
  });
});

describe('log sinks', () => {
  it('ignores stdout errors (EPIPE once the launching pipe closes) and stops writing to it', () => {
    const stream = Object.assign(new EventEmitter(), { written: [] as string[], write(chunk: string) {
      this.written.push(chunk);
      return true;
    } });
    const sink = streamSink(stream);
    sink('a\n');
    // Without a listener, this 'error' would be an uncaught exception in the main process.
    expect(() => stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).not.toThrow();
    sink('b\n');
    expect(stream.written).toEqual(['a\n']);
  });

  it('a throwing sink never stops the others', () => {
    const seen: string[] = [];
    const tee = teeSinks(
      () => {
        throw new Error('EPIPE');
      },
      (l) => seen.push(l),
    );
    expect(() => tee('x\n')).not.toThrow();
    expect(seen).toEqual(['x\n']);
  });
});
