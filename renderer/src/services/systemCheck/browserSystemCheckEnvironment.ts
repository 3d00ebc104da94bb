import type { BandwidthProbeReply } from '../../../../shared/api/checks';
import type { ApiResult } from '../api/apiClient';
import type { Logger } from '../logger';
import type { CameraSample } from './checkItems';
import { meanLuminance, rmsDbfs } from './signalStats';
import type { BrowserFacts, MediaProbe, SystemCheckEnvironment } from './systemCheckEnvironment';

/** The frame is shrunk to this before its brightness is measured: cheap, and noise averages out. */
const SAMPLE_WIDTH = 64;
const SAMPLE_HEIGHT = 48;
/** `crypto.getRandomValues` fills at most this many bytes per call. */
const RANDOM_CHUNK = 65_536;

type VideoWithFrameCallback = HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number };

/** Camera frames and microphone levels, with a detached <video>, a canvas and Web Audio. */
export class BrowserMediaProbe implements MediaProbe {
  constructor(private readonly deps: { readonly document: Document; readonly createAudioContext: () => AudioContext | null; readonly now: () => number; readonly log: Logger }) {}

  async sampleCamera(stream: MediaStream, options: { readonly minFrames: number; readonly timeoutMs: number }): Promise<CameraSample> {
    const { document, now } = this.deps;
    const video = document.createElement('video') as VideoWithFrameCallback;
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    const started = now();
    try {
      await video.play().catch((error: unknown) => this.deps.log.warn('camera sample did not play', { error: String(error) }));
      const frames = await countFrames(video, options.minFrames, options.timeoutMs);
      const settings = stream.getVideoTracks()[0]?.getSettings();
      const width = video.videoWidth || settings?.width || 0;
      const height = video.videoHeight || settings?.height || 0;
      let luminance: number | null = null;
      if (frames > 0) {
        const canvas = document.createElement('canvas');
        canvas.width = SAMPLE_WIDTH;
        canvas.height = SAMPLE_HEIGHT;
        const context = canvas.getContext('2d', { willReadFrequently: true });
        if (context) {
          context.drawImage(video, 0, 0, SAMPLE_WIDTH, SAMPLE_HEIGHT);
          luminance = meanLuminance(context.getImageData(0, 0, SAMPLE_WIDTH, SAMPLE_HEIGHT).data);
        }
      }
      return { frames, width, height, meanLuminance: luminance, waitedMs: now() - started };
    } finally {
      video.pause();
      video.srcObject = null;
    }
  }

  listenLevel(stream: MediaStream, onLevel: (dbfs: number) => void): () => void {
    if (stream.getAudioTracks().length === 0) return () => {};
    const context = this.deps.createAudioContext();
    if (!context) return () => {};
    // Not connected to the speakers: the learner must not hear themselves.
    const source = context.createMediaStreamSource(stream);
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    source.connect(analyser);
    void context.resume().catch((error: unknown) => this.deps.log.warn('audio context did not resume', { error: String(error) }));
    const samples = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      onLevel(rmsDbfs(samples));
    }, 100);
    return () => {
      clearInterval(timer);
      source.disconnect();
      void context.close().catch((error: unknown) => this.deps.log.warn('audio context did not close', { error: String(error) }));
    };
  }
}

/** Counts presented frames until `wanted` or the timeout; falls back to watching `currentTime` move. */
function countFrames(video: VideoWithFrameCallback, wanted: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    let frames = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timeout);
      clearInterval(poll);
      resolve(frames);
    };
    const timeout = setTimeout(finish, timeoutMs);
    let poll: ReturnType<typeof setInterval> | undefined;
    if (typeof video.requestVideoFrameCallback === 'function') {
      const onFrame = () => {
        frames += 1;
        if (frames >= wanted) finish();
        else if (!done) video.requestVideoFrameCallback?.(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    } else {
      let last = -1;
      poll = setInterval(() => {
        if (video.readyState >= 2 && video.currentTime !== last) {
          last = video.currentTime;
          frames += 1;
          if (frames >= wanted) finish();
        }
      }, 50);
    }
  });
}

export interface BrowserSystemCheckOptions {
  readonly window: Window;
  readonly uploadProbe: (bytes: Uint8Array) => Promise<ApiResult<BandwidthProbeReply>>;
  readonly log: Logger;
}

/** The system check's browser half for main.tsx. */
export function browserSystemCheckEnvironment({ window, uploadProbe, log }: BrowserSystemCheckOptions): SystemCheckEnvironment {
  const now = () => window.performance.now();
  return {
    media: new BrowserMediaProbe({
      document: window.document,
      createAudioContext: () => {
        const Context = (window as Window & { AudioContext?: typeof AudioContext }).AudioContext;
        return typeof Context === 'function' ? new Context() : null;
      },
      now,
      log,
    }),
    browserFacts: (): BrowserFacts => {
      const extended = (window.screen as Screen & { isExtended?: boolean }).isExtended;
      return { extended: typeof extended === 'boolean' ? extended : null, fullscreenEnabled: window.document.fullscreenEnabled === true };
    },
    randomBytes: (length) => {
      const bytes = new Uint8Array(length);
      for (let offset = 0; offset < length; offset += RANDOM_CHUNK) window.crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + RANDOM_CHUNK)));
      return bytes;
    },
    monotonicNow: now,
    uploadProbe,
  };
}
