import { describe, expect, it } from 'vitest';
import { DEFAULT_VOICE, readVoice, VOICE_START, type VoiceState } from './voiceActivity';

// 48 kHz, 512 bins: 46.9 Hz a bin; the speech band is bins 6–73.
const settings = { ...DEFAULT_VOICE, sampleRate: 48_000, bins: 512 };
const quiet = () => new Float32Array(512).fill(-100);
const voice = () => quiet().map((v, i) => (i >= 8 && i <= 60 ? -40 + ((i * 7) % 6) : v));

function feed(state: VoiceState, spectrum: Float32Array, from: number, ms: number) {
  let s = state;
  const active: boolean[] = [];
  for (let at = from; at < from + ms; at += 100) {
    const r = readVoice(settings, s, spectrum, at);
    s = r.state;
    active.push(r.active);
  }
  return { state: s, active };
}

describe('voice activity', () => {
  it('silence is not voice; a voice well over the floor is', () => {
    const silent = feed(VOICE_START, quiet(), 0, 1000);
    expect(silent.active.every((a) => !a)).toBe(true);
    const speaking = feed(silent.state, voice(), 1000, 1000);
    expect(speaking.active.every(Boolean)).toBe(true);
  });

  it('a pure tone (a beep) is not voice, and does not raise the floor', () => {
    const silent = feed(VOICE_START, quiet(), 0, 1000);
    const beep = feed(silent.state, quiet().map((v, i) => (i === 21 ? -10 : v)), 1000, 5000);
    expect(beep.active.some(Boolean)).toBe(false);
    expect(feed(beep.state, voice(), 6000, 500).active.every(Boolean)).toBe(true);
  });

  it('energy outside the speech band (a low hum) is not voice', () => {
    const silent = feed(VOICE_START, quiet(), 0, 1000);
    const hum = quiet().map((v, i) => (i >= 1 && i <= 4 ? -20 : v));
    expect(feed(silent.state, hum, 1000, 2000).active.some(Boolean)).toBe(false);
  });

  it('keeps the state through short pauses (hangover), not long ones', () => {
    const speaking = feed(feed(VOICE_START, quiet(), 0, 1000).state, voice(), 1000, 1000);
    const pause = feed(speaking.state, quiet(), 2000, 1500);
    expect(pause.active.slice(0, 6).every(Boolean)).toBe(true); // ≤ 600 ms
    expect(pause.active.slice(8).some(Boolean)).toBe(false);
  });

  it('a steady noise becomes the floor: a fan that keeps running stops counting', () => {
    const fan = quiet().map((v, i) => (i >= 6 && i <= 80 ? -45 + ((i * 3) % 4) : v));
    const first = feed(feed(VOICE_START, quiet(), 0, 1000).state, fan, 1000, 30_000);
    expect(first.active.slice(-50).every(Boolean)).toBe(true); // half a minute: still heard
    const later = feed(first.state, fan, 31_000, 180_000);
    expect(later.active.slice(-50).some(Boolean)).toBe(false);
  });
});
