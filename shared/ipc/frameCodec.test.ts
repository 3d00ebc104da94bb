import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, decodeFrame, encodeFrame } from './frameCodec';

describe('web-host frame codec', () => {
  it('matches standard base64 for every padding case', () => {
    for (const len of [0, 1, 2, 3, 4, 5, 1000, 100_001]) {
      const bytes = new Uint8Array(len).map((_, i) => (i * 37 + 11) & 255);
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64ToBytes(text)).toEqual(bytes);
    }
  });

  it('carries binary values inside frames as Uint8Array', () => {
    const data = new Uint8Array([0, 1, 254, 255]);
    const text = encodeFrame({ type: 'invoke', id: 7, channel: 'recording:appendChunk', request: { sessionId: 's', take: 0, data } });
    const frame = decodeFrame(text);
    expect(frame).toMatchObject({ type: 'invoke', id: 7 });
    const request = (frame as { request: { data: unknown } }).request;
    expect(request.data).toBeInstanceOf(Uint8Array);
    expect(request.data).toEqual(data);
  });

  it('rejects what is not a frame', () => {
    expect(decodeFrame('{"type":"nope"}')).toBeNull();
    expect(decodeFrame('not json')).toBeNull();
    expect(() => base64ToBytes('a*b=')).toThrow();
  });
});
