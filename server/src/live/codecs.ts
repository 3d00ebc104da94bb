import type { types } from 'mediasoup';

/**
 * What every router offers: VP8 and VP9 video (the learner's camera in simulcast, the screen) and opus
 * audio. Payload types are left to mediasoup, which assigns them in order, so every router of the
 * pool has the same RTP capabilities.
 */
export const LIVE_MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48_000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90_000, parameters: { 'x-google-start-bitrate': 300 } },
  { kind: 'video', mimeType: 'video/VP9', clockRate: 90_000, parameters: { 'profile-id': 0, 'x-google-start-bitrate': 300 } },
];
