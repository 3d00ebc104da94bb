/** Where the review server is when nobody says otherwise (the developer's `npm run server`). */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';
export const SERVER_URL_ENV = 'INVIGIL_SERVER_URL';
/**
 * The deployment's settings file, shipped inside the installed app's resources folder
 * (`process.resourcesPath`, electron-builder `extraResources`), where a learner cannot write.
 */
export const DEPLOYMENT_SETTINGS_FILE = 'invigil-settings.json';

/** Hosts a plain `http://` server URL may name: this computer only. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function requestedOverride(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string | undefined {
  const flag = argv.find((arg) => arg.startsWith('--server-url='))?.slice('--server-url='.length);
  const value = flag ?? env[SERVER_URL_ENV];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The server URL chosen for this run from `--server-url=` or INVIGIL_SERVER_URL (the flag wins), or
 * undefined to use the deployment's settings. Development (unpackaged) builds only: in an installed
 * app the command line and the environment are the learner's, and must not choose the server (nor,
 * through it, the page's content security policy). A value that is not an acceptable server URL is an
 * error the developer must see at start-up, not a silent fallback.
 */
export function serverUrlOverride(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  options: { readonly packaged: boolean },
): string | undefined {
  if (options.packaged) return undefined;
  const value = requestedOverride(argv, env);
  return value === undefined ? undefined : checkServerUrl(value, `--server-url / ${SERVER_URL_ENV}`);
}

/** True when the command line or the environment asks for a server (for the log when it is ignored). */
export function serverUrlOverrideRequested(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): boolean {
  return requestedOverride(argv, env) !== undefined;
}

/**
 * A review server URL the client may use: `https://`, or `http://` to this computer only
 * (127.0.0.1, localhost, [::1]: development and the tests). Chromium treats other plain-http
 * origins as insecure, and the app page (`app://`, a secure origin) could not reach them anyway.
 * `source` names where the value came from, for the error.
 */
export function checkServerUrl(value: string, source = 'the server URL'): string {
  if (!URL.canParse(value)) throw new Error(`${source}: "${value}" is not a URL. Give the review server's address, e.g. https://exams.example.edu.`);
  const url = new URL(value);
  if (url.username !== '' || url.password !== '') throw new Error(`${source}: the server URL must not carry a user name or password.`);
  if (url.protocol === 'https:') return value;
  if (url.protocol === 'http:') {
    if (LOOPBACK_HOSTS.has(url.hostname)) return value;
    throw new Error(`${source}: "${value}" uses plain http. Use https:// (plain http is allowed only for this computer: 127.0.0.1, localhost, [::1]).`);
  }
  throw new Error(`${source}: "${value}" is not an http:// or https:// address.`);
}
