import { MAX_THUMBNAIL_BASE64 } from '../../../../shared/api/events';
import type { Logger } from '../logger';
import type { MediaProbe, MonitorMedia } from './examMonitor';
import { greyFromRgba } from './pictureCheck';

export interface BrowserMonitorMediaDeps {
  readonly document: Document;
  /** Absent where Web Audio is not available: voice activity is then not checked. */
  readonly AudioContext: typeof AudioContext | undefined;
  readonly log: Logger;
}

const GREY_SIZE = { width: 32, height: 24 };
const THUMB_SIZE = { width: 160, height: 120 };
const FFT_SIZE = 1024;

/**
 * Reads the recording's own stream: a detached, muted video element on the same MediaStream (no
 * second camera, no copy of the track; the decoder's frames are shared), a 32×24 canvas for the
 * blocked-camera check, a 160×120 canvas for evidence JPEGs, and an AnalyserNode (not connected to
 * the speakers) on the stream's microphone track. Buffers are made once per stream and reused, so
 * hours of monitoring do not grow the heap.
 */
export function browserMonitorMedia(deps: BrowserMonitorMediaDeps): MonitorMedia {
  return {
    open(stream: MediaStream): MediaProbe {
      const { document, log } = deps;
      const video = document.createElement('video');
      video.muted = true;
      video.playsInline = true;
      video.srcObject = stream;
      video.play().catch((error: unknown) => log.warn('monitor video did not play', { error: String(error) }));

      const small = document.createElement('canvas');
      small.width = GREY_SIZE.width;
      small.height = GREY_SIZE.height;
      const smallCtx = small.getContext('2d', { willReadFrequently: true });
      const thumb = document.createElement('canvas');
      thumb.width = THUMB_SIZE.width;
      thumb.height = THUMB_SIZE.height;
      const thumbCtx = thumb.getContext('2d');

      let audio: AudioContext | null = null;
      let analyser: AnalyserNode | null = null;
      let spectrum: Float32Array<ArrayBuffer> | null = null;
      const track = stream.getAudioTracks()[0];
      if (track && deps.AudioContext) {
        try {
          audio = new deps.AudioContext();
          const source = audio.createMediaStreamSource(new MediaStream([track]));
          analyser = audio.createAnalyser();
          analyser.fftSize = FFT_SIZE;
          analyser.smoothingTimeConstant = 0.2;
          source.connect(analyser);
          spectrum = new Float32Array(analyser.frequencyBinCount);
          if (audio.state === 'suspended') void audio.resume();
        } catch (error) {
          log.warn('voice activity unavailable', { error: String(error) });
          analyser = null;
        }
      }
      const ready = () => video.readyState >= 2 && video.videoWidth > 0;

      return {
        sampleRate: audio?.sampleRate ?? 48_000,
        image: () => (ready() ? video : null),
        grey() {
          if (!ready() || !smallCtx) return null;
          smallCtx.drawImage(video, 0, 0, GREY_SIZE.width, GREY_SIZE.height);
          return greyFromRgba(smallCtx.getImageData(0, 0, GREY_SIZE.width, GREY_SIZE.height).data);
        },
        spectrum() {
          if (!analyser || !spectrum) return null;
          analyser.getFloatFrequencyData(spectrum);
          return spectrum;
        },
        async thumbnail() {
          if (!ready() || !thumbCtx) return null;
          thumbCtx.drawImage(video, 0, 0, THUMB_SIZE.width, THUMB_SIZE.height);
          const blob = await new Promise<Blob | null>((resolve) => thumb.toBlob(resolve, 'image/jpeg', 0.6));
          if (!blob) return null;
          const base64 = bytesToBase64(new Uint8Array(await blob.arrayBuffer()));
          return base64.length <= MAX_THUMBNAIL_BASE64 ? base64 : null;
        },
        dispose() {
          video.pause();
          video.srcObject = null;
          if (audio) void audio.close();
          audio = null;
          analyser = null;
        },
      };
    },
  };
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
