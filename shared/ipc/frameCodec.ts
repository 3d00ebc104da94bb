import { WebHostFrame } from './contract';

/**
 * The web-host socket carries JSON text, so binary values (recording chunks) travel as
 * `{"$bytes": "<base64>"}` and are turned back into Uint8Array on arrival. Electron IPC needs none
 * of this: it clones Uint8Array natively.
 */

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const lookup = new Uint8Array(128);
for (let i = 0; i < alphabet.length; i++) lookup[alphabet.charCodeAt(i)] = i;

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    chunk +=
      alphabet[(n >> 18) & 63]! +
      alphabet[(n >> 12) & 63]! +
      (b === undefined ? '=' : alphabet[(n >> 6) & 63]!) +
      (c === undefined ? '=' : alphabet[n & 63]!);
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

export function base64ToBytes(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new Error('not base64');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n =
      (lookup[text.charCodeAt(i)]! << 18) |
      (lookup[text.charCodeAt(i + 1)]! << 12) |
      (lookup[text.charCodeAt(i + 2)]! << 6) |
      lookup[text.charCodeAt(i + 3)]!;
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

const isBytesMarker = (value: unknown): value is { $bytes: string } =>
  typeof value === 'object' && value !== null && Object.keys(value).length === 1 && typeof (value as { $bytes?: unknown }).$bytes === 'string';

export function encodeFrame(frame: WebHostFrame): string {
  return JSON.stringify(frame, (_key, value: unknown) => (value instanceof Uint8Array ? { $bytes: bytesToBase64(value) } : value));
}

/** Parses and validates a frame; null when it is not one. */
export function decodeFrame(text: string): WebHostFrame | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text, (_key, value: unknown) => (isBytesMarker(value) ? base64ToBytes(value.$bytes) : value));
  } catch {
    return null;
  }
  const parsed = WebHostFrame.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
