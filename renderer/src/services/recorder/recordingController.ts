import { ok, type Result } from '../../../../shared/result';
import { DEFAULT_DEVICES, type DeviceChoice } from '../camera/cameraService';
import type { Logger } from '../logger';
import type { Recorder, RecorderStartError } from './recorder';

export interface RecordingControllerOptions {
  readonly createRecorder: (sessionId: string, devices: DeviceChoice) => Recorder;
  /** Remembers the learner's camera and microphone across reloads (device ids are stable per origin). */
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
  readonly log: Logger;
}

const DEVICES_KEY = 'invigil.recording.devices';

/**
 * Owns the one recording that may run at a time. It outlives pages: the start page begins the
 * recording, the player finds it running (or, after a reload, starts a new take), and submit
 * stops it.
 */
export class RecordingController {
  private recorder: Recorder | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly o: RecordingControllerOptions) {}

  active(): Recorder | null {
    return this.recorder;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  devices(): DeviceChoice {
    try {
      const raw = this.o.storage.getItem(DEVICES_KEY);
      const parsed: unknown = raw ? JSON.parse(raw) : null;
      if (typeof parsed === 'object' && parsed !== null) {
        const p = parsed as Record<string, unknown>;
        return { cameraId: typeof p.cameraId === 'string' ? p.cameraId : null, microphoneId: typeof p.microphoneId === 'string' ? p.microphoneId : null };
      }
    } catch (error) {
      this.o.log.warn('stored device choice unreadable', { error: String(error) });
    }
    return DEFAULT_DEVICES;
  }

  setDevices(choice: DeviceChoice): void {
    this.o.storage.setItem(DEVICES_KEY, JSON.stringify(choice));
  }

  /**
   * Makes sure this session is being recorded: keeps a recorder already running for it, otherwise
   * starts one (a new take). The result is the first attempt's; on failure the recorder keeps trying.
   */
  async ensure(sessionId: string): Promise<Result<null, RecorderStartError>> {
    const running = this.recorder;
    if (running && running.sessionId === sessionId && running.status.state !== 'stopped') return ok(null);
    if (running && running.status.state !== 'stopped') await running.stop('interrupted');
    const recorder = this.o.createRecorder(sessionId, this.devices());
    this.recorder = recorder;
    this.notify();
    return recorder.start();
  }

  /** Stops this session's recording, if it is the one running. */
  async stop(sessionId: string, reason: 'submitted' | 'interrupted'): Promise<void> {
    const running = this.recorder;
    if (!running || running.sessionId !== sessionId) return;
    await running.stop(reason);
    this.notify();
  }

  /** Stops whatever is recording (sign-out). */
  async stopAll(): Promise<void> {
    if (this.recorder) await this.recorder.stop('interrupted');
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
