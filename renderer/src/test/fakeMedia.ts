import type { TakeEndReason } from '../../../shared/api/recording';
import type { HostErrorCode, InvigilHost } from '../../../shared/ipc/contract';
import { fail, ok, type Result } from '../../../shared/result';
import type { CameraErrorCode } from '../services/camera/cameraErrors';
import type { CameraService, DeviceChoice, DeviceList } from '../services/camera/cameraService';
import type { MediaRecorderFactory, MediaRecorderHandlers, MediaRecorderLike, MediaRecorderOptionsLike } from '../services/recorder/mediaRecorderLike';

/** Test doubles for the camera, MediaRecorder and the host's recording journal. */

export class FakeTrack {
  readyState: 'live' | 'ended' = 'live';
  stopped = false;
  private listeners = new Set<() => void>();
  constructor(
    readonly kind: 'video' | 'audio',
    readonly deviceId: string,
  ) {}
  addEventListener(_type: 'ended', listener: () => void) {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'ended', listener: () => void) {
    this.listeners.delete(listener);
  }
  getSettings() {
    return { deviceId: this.deviceId };
  }
  /** `stop()` by the page: no `ended` event (as in browsers). */
  stop() {
    this.stopped = true;
    this.readyState = 'ended';
  }
  /** The device went away: `ended` fires. */
  end() {
    this.readyState = 'ended';
    for (const l of [...this.listeners]) l();
  }
}

export class FakeStream {
  readonly tracks: FakeTrack[];
  constructor(cameraId = 'cam-1', micId = 'mic-1') {
    this.tracks = [new FakeTrack('video', cameraId), new FakeTrack('audio', micId)];
  }
  getTracks() {
    return this.tracks;
  }
  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }
  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  asStream(): MediaStream {
    return this as unknown as MediaStream;
  }
}

export const TWO_DEVICES: DeviceList = {
  cameras: [
    { id: 'cam-1', label: 'Built-in camera' },
    { id: 'cam-2', label: 'USB webcam' },
  ],
  microphones: [{ id: 'mic-1', label: 'Built-in microphone' }],
};

export class FakeCamera implements CameraService {
  /** What the next `open` calls answer; when empty, a new working stream. */
  answers: Array<CameraErrorCode | 'ok'> = [];
  /** When set, every open fails with it until cleared. */
  failing: CameraErrorCode | null = null;
  opened: FakeStream[] = [];
  choices: DeviceChoice[] = [];
  devices: DeviceList = TWO_DEVICES;
  private changeListeners = new Set<() => void>();

  async open(choice: DeviceChoice): Promise<Result<MediaStream, CameraErrorCode>> {
    this.choices.push(choice);
    const answer = this.answers.shift() ?? this.failing ?? 'ok';
    if (answer !== 'ok') return fail(answer, `camera failed: ${answer}`);
    const stream = new FakeStream(choice.cameraId ?? 'cam-1', choice.microphoneId ?? 'mic-1');
    this.opened.push(stream);
    return ok(stream.asStream());
  }
  async listDevices(): Promise<DeviceList> {
    return this.devices;
  }
  onDeviceChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }
  deviceChanged() {
    for (const l of [...this.changeListeners]) l();
  }
  get latest(): FakeStream {
    return this.opened[this.opened.length - 1]!;
  }
}

/** A Blob stand-in that counts when its bytes are read (jsdom's Blob has no arrayBuffer). */
export class FakeBlob {
  reads = 0;
  constructor(readonly bytes: Uint8Array) {}
  get size() {
    return this.bytes.byteLength;
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    this.reads++;
    return this.bytes.slice().buffer as ArrayBuffer;
  }
  asBlob(): Blob {
    return this as unknown as Blob;
  }
}

export const chunk = (n: number, size = 4) => new FakeBlob(new Uint8Array(size).fill(n));

export class FakeMediaRecorder implements MediaRecorderLike {
  state: 'inactive' | 'recording' | 'paused' = 'inactive';
  timesliceMs: number | null = null;
  handlers: MediaRecorderHandlers | null = null;
  /** Handed over with the stop event, like MediaRecorder's last dataavailable. */
  finalChunk: FakeBlob | null = null;
  constructor(
    readonly stream: MediaStream,
    readonly options: MediaRecorderOptionsLike,
  ) {}
  get mimeType() {
    return this.options.mimeType;
  }
  listen(handlers: MediaRecorderHandlers) {
    this.handlers = handlers;
  }
  start(ms: number) {
    this.state = 'recording';
    this.timesliceMs = ms;
  }
  stop() {
    if (this.state === 'inactive') throw new Error('InvalidStateError');
    this.state = 'inactive';
    const last = this.finalChunk;
    queueMicrotask(() => {
      if (last) this.handlers?.data(last.asBlob());
      this.handlers?.stop();
    });
  }
  emit(blob: FakeBlob) {
    this.handlers?.data(blob.asBlob());
  }
  /** A recorder failure: error, then (per the spec) the last data and stop. */
  crash(name = 'UnknownError') {
    this.state = 'inactive';
    this.handlers?.error(name);
    queueMicrotask(() => this.handlers?.stop());
  }
}

export class FakeMediaFactory implements MediaRecorderFactory {
  created: FakeMediaRecorder[] = [];
  constructor(readonly supported: readonly string[] = ['video/webm;codecs=vp9,opus', 'video/webm;codecs=vp8,opus']) {}
  isTypeSupported(mimeType: string) {
    return this.supported.includes(mimeType);
  }
  create(stream: MediaStream, options: MediaRecorderOptionsLike) {
    const r = new FakeMediaRecorder(stream, options);
    this.created.push(r);
    return r;
  }
  get latest(): FakeMediaRecorder {
    return this.created[this.created.length - 1]!;
  }
}

export type HostEvent =
  | { readonly kind: 'startTake'; readonly take: number }
  | { readonly kind: 'append'; readonly take: number; readonly bytes: number[] }
  | { readonly kind: 'endTake'; readonly take: number; readonly reason: TakeEndReason };

/** The host's recording journal: records what arrives, and lets a test hold or fail appends. */
export class FakeRecordingHost {
  events: HostEvent[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Appends wait for `release()` while held. */
  held = false;
  appendFailure: HostErrorCode | null = null;
  startFailure: HostErrorCode | null = null;
  private nextTake = 0;
  private waiters: Array<() => void> = [];

  readonly host = {
    'recording:startTake': async () => {
      if (this.startFailure) return fail(this.startFailure, 'no');
      const take = this.nextTake++;
      this.events.push({ kind: 'startTake', take });
      return ok({ take, nextChunk: 0 });
    },
    'recording:appendChunk': async ({ take, data }: { take: number; data: Uint8Array }) => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      if (this.held) await new Promise<void>((resolve) => this.waiters.push(resolve));
      this.inFlight--;
      if (this.appendFailure) return fail(this.appendFailure, 'append failed');
      this.events.push({ kind: 'append', take, bytes: [...data] });
      return ok({ chunk: this.events.length, segment: 0, chainHead: 'x' });
    },
    'recording:endTake': async ({ take, reason }: { take: number; reason: TakeEndReason }) => {
      this.events.push({ kind: 'endTake', take, reason });
      return ok({});
    },
  } as unknown as Pick<InvigilHost, 'recording:startTake' | 'recording:appendChunk' | 'recording:endTake'>;

  release() {
    this.held = false;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
  releaseOne() {
    this.waiters.shift()?.();
  }
  /** The events as short strings, easy to compare: `start 0`, `append 0 [1]`, `end 0 submitted`. */
  log(): string[] {
    return this.events.map((e) =>
      e.kind === 'startTake' ? `start ${e.take}` : e.kind === 'append' ? `append ${e.take} [${e.bytes[0]}]` : `end ${e.take} ${e.reason}`,
    );
  }
}
