import type { Protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from '../security/appOrigin';
import { readStaticFile } from '../services/staticFiles';
import type { Logger } from '../log';

/**
 * Must run before `app` is ready: a standard, secure scheme gets a real origin, a secure context
 * (camera access) and fetch(), which file:// would not give us.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer at `app://invigil/`, every response carrying the CSP. */
export function serveRenderer(options: {
  readonly protocol: Pick<Protocol, 'handle'>;
  readonly rendererDir: string;
  readonly csp: string;
  readonly log: Logger;
}): void {
  options.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === APP_HOST && request.method === 'GET' ? await readStaticFile(options.rendererDir, url.pathname) : null;
    if (!file) {
      options.log.warn('app protocol: not found', { path: url.pathname.slice(0, 200) });
      return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    }
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: { 'Content-Type': file.contentType, 'Content-Security-Policy': options.csp, 'X-Content-Type-Options': 'nosniff' },
    });
  });
}
