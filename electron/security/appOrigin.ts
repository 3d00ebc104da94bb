/**
 * The desktop app's own origin. The renderer is served from a privileged `app://invigil/` scheme
 * rather than file://, so it has a real origin to check IPC senders, navigation and permissions against.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'invigil';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True when `url` (a full URL or an origin like `app://invigil`) belongs to `origin`.
 * Compares scheme and host ourselves: Node's URL reports origin "null" for schemes it does not
 * know, although Chromium treats a registered standard scheme as a real origin.
 */
export function isSameOrigin(url: string, origin: string = APP_ORIGIN): boolean {
  const a = parse(url);
  const b = parse(origin);
  return a !== null && b !== null && a.protocol === b.protocol && a.host === b.host && a.username === '' && a.password === '';
}

function parse(value: string): URL | null {
  return URL.canParse(value) ? new URL(value) : null;
}
