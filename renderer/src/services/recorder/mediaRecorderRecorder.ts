import type { TakeEndReason } from '../../../../shared/api/recording';
import type { InvigilHost } from '../../../../shared/ipc/contract';
import { fail, ok, type Result } from '../../../../shared/result';
import { onStreamEnded, stopStream, type CameraService, type DeviceChoice } from '../camera/cameraService';
import type { Logger } from '../logger';
import { ChunkQueue } from './chunkQueue';
import { pickMimeType, type MediaRecorderFactory, type MediaRecorderLike } from './mediaRecorderLike';
import { recorderMessages, type Recorder, type RecorderStartError, type RecorderStatus } from './recorder';
import { AUDIO_BITS_PER_SECOND, VIDEO_BITS_PER_SECOND } from './recordingBudget';

type RecordingHost = Pick<InvigilHost, 'recording:startTake' | 'recording:appendChunk' | 'recording:endTake'>;

export interface MediaRecorderRecorderOptions {
  readonly sessionId: string;
  readonly devices: DeviceChoice;
  readonly host: RecordingHost;
  readonly camera: CameraService;
  readonly media: MediaRecorderFactory;
  /** Returns a cancel function. */
  readonly setTimeout: (fn: () => void, ms: number) => () => void;
  readonly now: () => Date;
  readonly log: Logger;
  readonly timesliceMs?: number;
  /** How often to try the camera again after it was lost (also on every device change). */
  readonly reopenEveryMs?: number;
  /** Longest wait for the last chunks and `endTake` when stopping. */
  readonly stopTimeoutMs?: number;
}

/** One MediaRecorder run: one take. */
interface Run {
  readonly take: number;
  readonly media: MediaRecorderLike;
  readonly queue: ChunkQueue;
  readonly stopped: Promise<void>;
  ending: Promise<void> | null;
}

const IDLE: RecorderStatus = { state: 'idle', take: null, takesStarted: 0, message: null };

/**
 * `Recorder` on MediaRecorder: WebM (VP9, else VP8) at about 0.5 Mbit/s with Opus, a chunk every
 * few seconds handed to the host's journal one at a time. Each continuous run is a take; the
 * camera lost, a recorder error or a host failure end it with that reason and a new take starts
 * when recording can go on. A full disk stops recording until the learner asks to try again.
 */
export class MediaRecorderRecorder implements Recorder {
  private current: RecorderStatus = IDLE;
  private readonly listeners = new Set<() => void>();
  private liveStream: MediaStream | null = null;
  private run: Run | null = null;
  private stopping = false;
  private stopReason: 'submitted' | 'interrupted' = 'interrupted';
  /** The previous take's ending: a new take starts only after it, so the host sees takes in order. */
  private lastEnding: Promise<void> = Promise.resolve();
  private busy = false;
  private failures = 0;
  private cleanups: Array<() => void> = [];
  private retryCleanups: Array<() => void> = [];

  constructor(private readonly o: MediaRecorderRecorderOptions) {}

  get sessionId(): string {
    return this.o.sessionId;
  }

  get status(): RecorderStatus {
    return this.current;
  }

  get stream(): MediaStream | null {
    return this.current.state === 'recording' ? this.liveStream : null;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<Result<null, RecorderStartError>> {
    if (this.stopping) return fail('stopped', 'This recording has ended.');
    if (this.run) return ok(null);
    return this.beginTake();
  }

  retry(): void {
    if (this.stopping || this.run) return;
    this.clearRetry();
    void this.beginTake();
  }

  async stop(reason: 'submitted' | 'interrupted'): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.stopReason = reason;
    this.clearRetry();
    const run = this.run;
    await this.withTimeout(run ? this.endRun(run, reason) : this.lastEnding);
    this.releaseCamera();
    this.set({ state: 'stopped', take: null, message: null });
  }

  /** Opens the camera if needed, starts a take on the host and a MediaRecorder on the stream. */
  private async beginTake(): Promise<Result<null, RecorderStartError>> {
    if (this.busy) return fail('host_error', 'Already starting.');
    this.busy = true;
    try {
      return await this.tryBeginTake();
    } finally {
      this.busy = false;
    }
  }

  private async tryBeginTake(): Promise<Result<null, RecorderStartError>> {
    this.set({ state: 'starting', take: null, message: null });
    const opened = await this.ensureStream();
    if (this.stopping) return fail('stopped', 'This recording has ended.');
    if (!opened.ok) {
      this.enterCameraLost();
      return opened;
    }
    const stream = opened.value;
    await this.withTimeout(this.lastEnding);
    const started = await this.o.host['recording:startTake']({ sessionId: this.o.sessionId, startedAt: this.o.now().toISOString() });
    if (!started.ok) {
      this.o.log.warn('startTake failed', { code: started.error.code });
      if (started.error.code === 'disk_full') return this.enterDiskFull();
      this.enterHostError();
      return fail('host_error', recorderMessages.host_error);
    }
    const take = started.value.take;
    if (this.stopping) {
      // Stopped while the take was being opened: close it at once rather than leave it to look interrupted.
      await this.endTake(take, this.stopReason);
      return fail('stopped', 'This recording has ended.');
    }
    let media: MediaRecorderLike;
    try {
      media = this.o.media.create(stream, {
        mimeType: pickMimeType(this.o.media),
        videoBitsPerSecond: VIDEO_BITS_PER_SECOND,
        audioBitsPerSecond: AUDIO_BITS_PER_SECOND,
      });
    } catch (error) {
      this.o.log.error('MediaRecorder could not be created', { error: String(error) });
      await this.endTake(take, 'recorder_error');
      this.scheduleRestart();
      return fail('host_error', 'The recorder could not start.');
    }
    const run = this.newRun(take, media);
    this.run = run;
    try {
      media.start(this.o.timesliceMs ?? 3_000);
    } catch (error) {
      this.o.log.error('MediaRecorder.start failed', { error: String(error) });
      void this.failRun(run, 'recorder_error');
      return fail('host_error', 'The recorder could not start.');
    }
    this.failures = 0;
    this.o.log.info('recording take started', { take, mimeType: media.mimeType });
    this.set({ state: 'recording', take, takesStarted: this.current.takesStarted + 1, message: null });
    return ok(null);
  }

  private newRun(take: number, media: MediaRecorderLike): Run {
    let markStopped = () => {};
    const stopped = new Promise<void>((resolve) => (markStopped = resolve));
    const queue = new ChunkQueue({
      write: (data) => this.o.host['recording:appendChunk']({ sessionId: this.o.sessionId, take, data }),
      onFailure: (code) => {
        this.o.log.warn('recording chunk not written', { take, code });
        // The queue has dropped the rest: later chunks cannot follow a missing one in the same WebM.
        void this.failRun(run, code === 'disk_full' ? 'disk_full' : 'recorder_error');
      },
    });
    const run: Run = { take, media, queue, stopped, ending: null };
    media.listen({
      data: (blob) => queue.push(blob),
      error: (name) => {
        this.o.log.warn('MediaRecorder error', { take, name });
        void this.failRun(run, 'recorder_error');
      },
      stop: () => markStopped(),
    });
    return run;
  }

  private async ensureStream(): Promise<Result<MediaStream, RecorderStartError>> {
    const live = this.liveStream;
    if (live && live.getTracks().every((t) => t.readyState === 'live')) return ok(live);
    this.releaseCamera();
    let opened = await this.o.camera.open(this.o.devices);
    // The chosen device may be the one that disappeared: any working camera beats no recording.
    if (!opened.ok && (this.o.devices.cameraId || this.o.devices.microphoneId)) opened = await this.o.camera.open({ cameraId: null, microphoneId: null });
    if (!opened.ok) return opened;
    if (this.stopping) {
      stopStream(opened.value);
      return fail('stopped', 'This recording has ended.');
    }
    this.liveStream = opened.value;
    this.cleanups.push(onStreamEnded(opened.value, () => this.onCameraLost()));
    return ok(opened.value);
  }

  private onCameraLost(): void {
    this.o.log.warn('camera track ended', { take: this.run?.take ?? null });
    const run = this.run;
    this.releaseCamera();
    if (run) void this.endRun(run, 'camera_lost');
    if (!this.stopping) this.enterCameraLost();
  }

  /** A run that failed: the recorder error, the host or the disk. */
  private async failRun(run: Run, reason: 'recorder_error' | 'disk_full'): Promise<void> {
    if (run.ending) return;
    await this.endRun(run, reason);
    if (this.stopping) return;
    if (reason === 'disk_full') this.enterDiskFull();
    else this.scheduleRestart();
  }

  /** Stops the MediaRecorder, writes what it still hands over, then ends the take. */
  private endRun(run: Run, reason: TakeEndReason): Promise<void> {
    run.ending ??= (async () => {
      if (this.run === run) this.run = null;
      if (run.media.state !== 'inactive') {
        try {
          run.media.stop();
        } catch (error) {
          this.o.log.warn('MediaRecorder.stop failed', { error: String(error) });
        }
      }
      // The last chunk arrives with the stop event; a recorder that already died may never send one.
      await this.withTimeout(run.stopped, 2_000);
      await run.queue.drain();
      run.queue.close();
      await this.endTake(run.take, reason);
    })();
    this.lastEnding = run.ending;
    return run.ending;
  }

  private async endTake(take: number, reason: TakeEndReason): Promise<void> {
    const ended = await this.o.host['recording:endTake']({ sessionId: this.o.sessionId, take, reason, endedAt: this.o.now().toISOString() });
    if (ended.ok) this.o.log.info('recording take ended', { take, reason });
    // The host closes a take it was not told about on its next start (`interrupted`): nothing is lost by going on.
    else this.o.log.warn('endTake failed', { take, reason, code: ended.error.code });
  }

  private enterCameraLost(): void {
    this.set({ state: 'camera_lost', take: null, message: recorderMessages.camera_lost });
    this.clearRetry();
    const attempt = () => {
      if (this.stopping || this.run || this.busy) return;
      void this.beginTake();
    };
    this.retryCleanups.push(this.o.camera.onDeviceChange(attempt));
    this.retryCleanups.push(this.o.setTimeout(attempt, this.o.reopenEveryMs ?? 3_000));
  }

  private enterDiskFull(): Result<null, RecorderStartError> {
    this.releaseCamera();
    this.set({ state: 'disk_full', take: null, message: recorderMessages.disk_full });
    return fail('disk_full', recorderMessages.disk_full);
  }

  private enterHostError(): void {
    this.set({ state: 'host_error', take: null, message: recorderMessages.host_error });
    this.scheduleRestart();
  }

  /** A new take after a failure, sooner the first time, backing off when failures repeat. */
  private scheduleRestart(): void {
    if (this.stopping) return;
    this.clearRetry();
    const delay = Math.min(1_000 * 2 ** this.failures, 30_000);
    this.failures++;
    this.retryCleanups.push(
      this.o.setTimeout(() => {
        if (!this.stopping && !this.run) void this.beginTake();
      }, delay),
    );
  }

  private clearRetry(): void {
    for (const cleanup of this.retryCleanups) cleanup();
    this.retryCleanups = [];
  }

  private releaseCamera(): void {
    for (const cleanup of this.cleanups) cleanup();
    this.cleanups = [];
    stopStream(this.liveStream);
    this.liveStream = null;
  }

  private withTimeout(promise: Promise<void>, ms = this.o.stopTimeoutMs ?? 15_000): Promise<void> {
    return new Promise<void>((resolve) => {
      const cancel = this.o.setTimeout(resolve, ms);
      void promise.then(() => {
        cancel();
        resolve();
      });
    });
  }

  private set(patch: Partial<RecorderStatus>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of [...this.listeners]) listener();
  }
}
