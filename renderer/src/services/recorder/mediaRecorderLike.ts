/** The slice of `MediaRecorder` the recorder uses, so tests can drive a fake one. */
export interface MediaRecorderLike {
  readonly state: 'inactive' | 'recording' | 'paused';
  readonly mimeType: string;
  start(timesliceMs: number): void;
  stop(): void;
  /** Set once, before `start`. */
  listen(handlers: MediaRecorderHandlers): void;
}

export interface MediaRecorderHandlers {
  data(blob: Blob): void;
  /** The recorder failed; a final `data` and `stop` may follow. */
  error(name: string): void;
  stop(): void;
}

export interface MediaRecorderOptionsLike {
  readonly mimeType: string;
  readonly videoBitsPerSecond: number;
  readonly audioBitsPerSecond: number;
}

export interface MediaRecorderFactory {
  isTypeSupported(mimeType: string): boolean;
  /** May throw (unsupported type, stream without tracks): the recorder treats that as a recorder error. */
  create(stream: MediaStream, options: MediaRecorderOptionsLike): MediaRecorderLike;
}

export const VP9 = 'video/webm;codecs=vp9,opus';
export const VP8 = 'video/webm;codecs=vp8,opus';

/** VP9 compresses better at our bitrate and costs less CPU (measured on this kind of machine); VP8 where VP9 is missing. */
export function pickMimeType(factory: Pick<MediaRecorderFactory, 'isTypeSupported'>): string {
  if (factory.isTypeSupported(VP9)) return VP9;
  if (factory.isTypeSupported(VP8)) return VP8;
  return 'video/webm';
}

/** The browser's MediaRecorder behind `MediaRecorderFactory`. Only the composition root passes the real constructor. */
export function browserMediaRecorderFactory(Ctor: typeof MediaRecorder): MediaRecorderFactory {
  return {
    isTypeSupported: (mimeType) => Ctor.isTypeSupported(mimeType),
    create: (stream, options) => {
      const recorder = new Ctor(stream, { ...options });
      return {
        get state() {
          return recorder.state;
        },
        get mimeType() {
          return recorder.mimeType;
        },
        start: (ms) => recorder.start(ms),
        stop: () => recorder.stop(),
        listen: (h) => {
          recorder.addEventListener('dataavailable', (e) => h.data(e.data));
          recorder.addEventListener('error', (e) => h.error(errorName(e)));
          recorder.addEventListener('stop', () => h.stop());
        },
      };
    },
  };
}

function errorName(event: Event): string {
  const error = (event as Event & { error?: { name?: unknown } }).error;
  return typeof error?.name === 'string' ? error.name : 'UnknownError';
}
