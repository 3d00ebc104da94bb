/** Where the review server is when nobody says otherwise (the developer's `npm run server`). */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';
export const SERVER_URL_ENV = 'INVIGIL_SERVER_URL';

/**
 * The server URL chosen for this run from `--server-url=` or INVIGIL_SERVER_URL (the flag wins),
 * or undefined to fall back to the settings file. A value that is not an http(s) URL is an error
 * the operator must see at start-up, not a silent fallback.
 */
export function serverUrlOverride(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string | undefined {
  const flag = argv.find((arg) => arg.startsWith('--server-url='))?.slice('--server-url='.length);
  const value = flag ?? env[SERVER_URL_ENV];
  if (value === undefined || value === '') return undefined;
  return checkServerUrl(value);
}

export function checkServerUrl(value: string): string {
  if (!URL.canParse(value) || !['http:', 'https:'].includes(new URL(value).protocol)) {
    throw new Error(`The server URL "${value}" is not an http:// or https:// address.`);
  }
  return value;
}
