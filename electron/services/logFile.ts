import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LogSink } from '../log';
import { codeOf } from './durableFs';

export interface RotatingLogFileOptions {
  /** The app's logs folder (`app.getPath('logs')`). */
  readonly dir: string;
  /** Default `invigil.log`; older files are `invigil.1.log` (newest) … */
  readonly name?: string;
  /** A file is rotated before it would grow past this (default 5 MB). */
  readonly maxBytes?: number;
  /** Files kept, the current one included (default 3). */
  readonly files?: number;
}

/**
 * The host's log on disk, for support after an incident on a learner's computer: `invigil.log`,
 * rotated at `maxBytes` into `invigil.1.log`, `invigil.2.log` …, at most `files` files. Lines are
 * appended synchronously, so the last line before a crash is on disk. A write that fails (disk full,
 * folder gone) is dropped: the log must never stop the app.
 */
export class RotatingLogFile {
  readonly path: string;
  private readonly maxBytes: number;
  private readonly files: number;
  private readonly base: string;
  private size: number | null = null;

  constructor(private readonly options: RotatingLogFileOptions) {
    const name = options.name ?? 'invigil.log';
    this.base = name.endsWith('.log') ? name.slice(0, -'.log'.length) : name;
    this.path = join(options.dir, name);
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.files = Math.max(1, options.files ?? 3);
  }

  /** The sink for `jsonLinesLogger`; it never throws. */
  readonly write: LogSink = (line) => {
    try {
      const bytes = Buffer.byteLength(line);
      const size = this.currentSize();
      if (size > 0 && size + bytes > this.maxBytes) this.rotate();
      appendFileSync(this.path, line, { mode: 0o600 });
      this.size = (this.size ?? 0) + bytes;
    } catch {
      // Dropped; the next line tries again from the file's real size.
      this.size = null;
    }
  };

  /** The path of the `n`-th older file (1 = the newest old one). */
  olderPath(n: number): string {
    return join(this.options.dir, `${this.base}.${n}.log`);
  }

  private currentSize(): number {
    if (this.size !== null) return this.size;
    try {
      this.size = statSync(this.path).size;
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') throw error;
      mkdirSync(this.options.dir, { recursive: true });
      this.size = 0;
    }
    return this.size;
  }

  private rotate(): void {
    const oldest = this.files - 1;
    if (oldest === 0) {
      rmSync(this.path, { force: true });
    } else {
      rmSync(this.olderPath(oldest), { force: true });
      for (let n = oldest - 1; n >= 1; n -= 1) moveIfThere(this.olderPath(n), this.olderPath(n + 1));
      moveIfThere(this.path, this.olderPath(1));
    }
    this.size = 0;
  }
}

function moveIfThere(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if (codeOf(error) !== 'ENOENT') throw error;
  }
}
