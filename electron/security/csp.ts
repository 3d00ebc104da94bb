export interface CspOptions {
  /** The review server the renderer talks to (HTTP API and its WebSocket). */
  readonly serverUrl: string;
  /** More connect-src sources, e.g. the web host's own socket origin. */
  readonly extraConnect?: readonly string[];
}

/**
 * The renderer's Content-Security-Policy, served by both hosts. Scripts and styles only from the app
 * itself (no inline, no eval), network only to the app and the review server, media from the camera.
 */
export function contentSecurityPolicy({ serverUrl, extraConnect = [] }: CspOptions): string {
  const server = new URL(serverUrl);
  const socketScheme = server.protocol === 'https:' ? 'wss:' : 'ws:';
  const connect = unique(["'self'", server.origin, `${socketScheme}//${server.host}`, ...extraConnect]);
  return [
    "default-src 'self'",
    // WebAssembly (OCR, face models) needs 'wasm-unsafe-eval'; it allows compiling wasm, not JS eval.
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    // Proctors' review screen plays takes and shows ID images from the review server (short-lived playback links).
    `img-src 'self' data: blob: ${server.origin}`,
    `media-src 'self' blob: mediastream: ${server.origin}`,
    `connect-src ${connect.join(' ')}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];
