import { rename, rm } from 'node:fs/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { MediaTool } from './mediaTool';

export interface RemuxJob {
  readonly sessionId: string;
  readonly take: number;
  /** The files whose concatenation is the take, resolved when the job runs (the take has ended by then). */
  readonly inputs: () => Promise<readonly string[]>;
  readonly output: string;
}

export type RemuxResult = { readonly ok: true; readonly durationMs: number } | { readonly ok: false; readonly reason: string };

export interface RemuxQueueOptions {
  readonly media: MediaTool;
  readonly log: FastifyBaseLogger;
  readonly clock: () => number;
  /** Records the outcome; called once per job, after the output is in place (or not). */
  readonly done: (job: RemuxJob, result: RemuxResult) => Promise<void>;
}

/**
 * Remuxes finished takes one at a time: ffmpeg is short but disk-heavy, and at the end of an exam many
 * takes end together. A failure (ffmpeg missing, a broken file) leaves the take unplayable and is
 * logged; it never reaches the upload that ended the take.
 */
export class RemuxQueue {
  private tail: Promise<void> = Promise.resolve();
  private readonly queued = new Set<string>();

  constructor(private readonly o: RemuxQueueOptions) {}

  enqueue(job: RemuxJob): void {
    const key = `${job.sessionId}/${job.take}`;
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.tail = this.tail.then(async () => {
      this.queued.delete(key);
      await this.runJob(job);
    });
  }

  /** Resolves when every job queued so far has finished (for shutdown). */
  idle(): Promise<void> {
    return this.tail;
  }

  private async runJob(job: RemuxJob): Promise<void> {
    const started = this.o.clock();
    const ids = { sessionId: job.sessionId, take: job.take };
    // Written next to the output and renamed, so a crash never leaves a half file that looks playable.
    const partial = `${job.output}.partial`;
    let result: RemuxResult;
    try {
      await this.o.media.remux(await job.inputs(), partial);
      const durationMs = await this.o.media.durationMs(partial);
      await rename(partial, job.output);
      result = { ok: true, durationMs };
      this.o.log.info({ ...ids, durationMs, ms: this.o.clock() - started }, 'take remuxed');
    } catch (error) {
      await rm(partial, { force: true });
      result = { ok: false, reason: (error as Error).message };
      this.o.log.error({ ...ids, reason: result.reason }, 'take remux failed; the take stays unplayable');
    }
    try {
      await this.o.done(job, result);
    } catch (error) {
      this.o.log.error({ ...ids, err: error }, 'recording the remux result failed');
    }
  }
}
