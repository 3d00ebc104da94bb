/**
 * Voice activity from an AnalyserNode's spectrum (dB per bin, `getFloatFrequencyData`), read about
 * ten times a second. A window counts as voice when the speech band (300–3400 Hz) carries most of
 * the energy, stands well above the room's noise floor (tracked slowly, so a fan or hum is learnt),
 * and is not a single pure tone (a beep, or Chromium's fake microphone). A hangover keeps the state
 * through the short pauses between words.
 */

export interface VoiceSettings {
  readonly sampleRate: number;
  /** Bins of the spectrum (fftSize / 2). */
  readonly bins: number;
  /** How far over the noise floor the band must be, in dB. */
  readonly overFloorDb: number;
  /** Quieter than this (dBFS, summed over the band) is silence whatever the floor. */
  readonly minBandDb: number;
  /** Share of the energy that must be in the speech band. */
  readonly bandShare: number;
  /** A window whose strongest peak holds more than this share of the band is a tone, not a voice. */
  readonly toneShare: number;
  readonly hangoverMs: number;
  /** How often `readVoice` is called, for the floor's climbing rate. */
  readonly readsPerSecond: number;
}

export const DEFAULT_VOICE: Omit<VoiceSettings, 'sampleRate' | 'bins'> = {
  overFloorDb: 12,
  minBandDb: -50,
  bandShare: 0.5,
  toneShare: 0.6,
  hangoverMs: 600,
  readsPerSecond: 10,
};

export interface VoiceState {
  /** Noise floor of the band, dB; null until the first window. */
  readonly floor: number | null;
  /** Last time a window was voice (ms), for the hangover. */
  readonly lastVoiceAt: number | null;
}

export const VOICE_START: VoiceState = { floor: null, lastVoiceAt: null };

export interface VoiceReading {
  readonly state: VoiceState;
  readonly active: boolean;
  /** 0..1: how far over the floor the band was (1 at 30 dB or more). */
  readonly confidence: number;
}

const power = (db: number) => (Number.isFinite(db) ? 10 ** (db / 10) : 0);
const toDb = (p: number) => (p > 0 ? 10 * Math.log10(p) : -Infinity);

export function readVoice(settings: VoiceSettings, state: VoiceState, spectrumDb: Float32Array, at: number): VoiceReading {
  const hz = settings.sampleRate / 2 / settings.bins;
  const lo = Math.max(1, Math.floor(300 / hz));
  const hi = Math.min(spectrumDb.length - 1, Math.ceil(3400 / hz));
  let total = 0;
  let band = 0;
  let peakAt = lo;
  for (let i = 1; i < spectrumDb.length; i++) {
    const p = power(spectrumDb[i]!);
    total += p;
    if (i >= lo && i <= hi) {
      band += p;
      if (p > power(spectrumDb[peakAt]!)) peakAt = i;
    }
  }
  let peak = 0;
  for (let i = Math.max(lo, peakAt - 2); i <= Math.min(hi, peakAt + 2); i++) peak += power(spectrumDb[i]!);

  const bandDb = Math.max(toDb(band), -150);
  const floor = state.floor ?? bandDb;
  const overFloor = bandDb - floor;
  const tone = band > 0 && peak / band > settings.toneShare;
  const voice = band > 0 && !tone && bandDb >= settings.minBandDb && overFloor >= settings.overFloorDb && band / total >= settings.bandShare;
  // The floor (dB) drops to quieter windows at once and climbs towards louder ones: 3 dB/s for noise,
  // 0.3 dB/s for what sounds like a voice (a fan that runs for minutes is learnt; a minute of talking
  // is not), not at all for tones.
  const step = settings.readsPerSecond;
  const nextFloor = bandDb <= floor ? bandDb : tone ? floor : Math.min(bandDb, floor + (voice ? 0.3 : 3) / step);
  const lastVoiceAt = voice ? at : state.lastVoiceAt;
  const active = lastVoiceAt !== null && at - lastVoiceAt <= settings.hangoverMs;
  return {
    state: { floor: nextFloor, lastVoiceAt },
    active,
    confidence: voice ? Math.min(1, Math.max(0, overFloor / 30)) : active ? 0.5 : 0,
  };
}
