import { fdatasync } from 'node:fs';
import type { WriteStream } from 'node:fs';

/**
 * Asks the kernel to write a file's dirty pages to disk every `every` bytes while more arrive, so the
 * fsync that makes a finished segment durable has only the tail left to do. A head start only:
 * durability comes from that fsync, which reports any disk error itself.
 */
export class FlushBehind {
  private written = 0;
  private nextAt: number;
  private inFlight = false;
  private fd: number | null = null;

  constructor(
    file: WriteStream,
    private readonly every: number,
  ) {
    this.nextAt = every;
    file.once('open', (fd: number) => {
      this.fd = fd;
    });
  }

  /** Counts bytes handed to the file; starts a background flush when enough have gone by. */
  wrote(bytes: number): void {
    this.written += bytes;
    const fd = this.fd;
    if (this.written < this.nextAt || this.inFlight || fd === null) return;
    this.nextAt = this.written + this.every;
    this.inFlight = true;
    // Not awaited: the request never waits for it. An error resurfaces in the final fsync, which is the
    // one that decides. Should the stream close the descriptor first, the call flushes nothing harmful.
    fdatasync(fd, () => {
      this.inFlight = false;
    });
  }
}
