import type { BandwidthProbeReply } from '../../../../shared/api/checks';
import type { ApiResult } from '../api/apiClient';
import type { CameraSample } from './checkItems';

/** What the browser itself can tell (the web host sees nothing of the machine). */
export interface BrowserFacts {
  /** `screen.isExtended`: true when the desktop spans more than one screen; null where the browser does not say. */
  readonly extended: boolean | null;
  /** `document.fullscreenEnabled`. */
  readonly fullscreenEnabled: boolean;
}

/** Measures of a live camera and microphone stream. */
export interface MediaProbe {
  /** Waits for frames (up to `timeoutMs`), then measures the size and brightness of one. */
  sampleCamera(stream: MediaStream, options: { readonly minFrames: number; readonly timeoutMs: number }): Promise<CameraSample>;
  /** Reports the microphone level (dBFS) about ten times a second until stopped. */
  listenLevel(stream: MediaStream, onLevel: (dbfs: number) => void): () => void;
}

/** The browser parts of the system check, built by the composition root (main.tsx) and faked in tests. */
export interface SystemCheckEnvironment {
  readonly media: MediaProbe;
  browserFacts(): BrowserFacts;
  /** Random bytes for the bandwidth probe (random so no proxy can compress them). */
  randomBytes(length: number): Uint8Array;
  /** Monotonic milliseconds, to time the probe. */
  monotonicNow(): number;
  /** Posts the probe bytes to the server's `bandwidthProbe` route. */
  uploadProbe(bytes: Uint8Array): Promise<ApiResult<BandwidthProbeReply>>;
}
