import type { Result } from '../../../../shared/result';

export type QueueFailure = string;

export interface ChunkQueueOptions {
  /** Durably appends one chunk (the host's `recording:appendChunk`). */
  readonly write: (bytes: Uint8Array<ArrayBuffer>) => Promise<Result<unknown>>;
  /** Called once, on the first failed write or when the queue stalls; the queue then drops everything. */
  readonly onFailure: (code: QueueFailure) => void;
  readonly onWritten?: (bytes: number) => void;
  /**
   * Chunks allowed to wait behind the one in flight. The host normally writes a chunk in well
   * under a timeslice; a queue this long means it is stuck, and waiting longer only grows memory.
   */
  readonly maxWaiting?: number;
}

/**
 * Hands MediaRecorder chunks to the host strictly one at a time, in order. A chunk is read into
 * memory only when its turn comes, and released once written, so memory holds the current chunk
 * and nothing else: no list of recorded Blobs is ever kept.
 */
export class ChunkQueue {
  private waiting: Blob[] = [];
  private writing = false;
  private closed = false;
  private idle: Array<() => void> = [];

  constructor(private readonly o: ChunkQueueOptions) {}

  get inFlight(): number {
    return this.writing ? 1 : 0;
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  push(blob: Blob): void {
    if (this.closed || blob.size === 0) return;
    if (this.waiting.length >= (this.o.maxWaiting ?? 20)) {
      this.fail('stalled');
      return;
    }
    this.waiting.push(blob);
    void this.pump();
  }

  /** Resolves when every chunk pushed so far is written (or dropped by a failure or `close`). */
  drain(): Promise<void> {
    if (!this.writing && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Drops what is waiting and ignores later chunks; a write in flight still finishes. */
  close(): void {
    this.closed = true;
    this.waiting = [];
    if (!this.writing) this.settleIdle();
  }

  private async pump(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    while (!this.closed && this.waiting.length > 0) {
      const blob = this.waiting.shift()!;
      const bytes = new Uint8Array(await blob.arrayBuffer());
      if (this.closed) break;
      const result = await this.o.write(bytes);
      if (!result.ok) {
        this.fail(result.error.code);
        break;
      }
      this.o.onWritten?.(bytes.byteLength);
    }
    this.writing = false;
    this.settleIdle();
  }

  private fail(code: QueueFailure): void {
    if (this.closed) return;
    this.close();
    this.o.onFailure(code);
  }

  private settleIdle(): void {
    const idle = this.idle;
    this.idle = [];
    for (const resolve of idle) resolve();
  }
}
