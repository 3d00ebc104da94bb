import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { events, WEB_HOST_SOCKET_PATH, type EventName, type EventPayload, type WebHostFrame } from '../../shared/ipc/contract';
import { decodeFrame, encodeFrame } from '../../shared/ipc/frameCodec';
import { fail } from '../../shared/result';
import { dispatch, type Handlers } from '../ipc/handlers';
import type { Logger } from '../log';
import { contentSecurityPolicy } from '../security/csp';
import { readStaticFile } from '../services/staticFiles';
import { allowedOrigins, formatHost } from './origins';

export interface WebHostOptions {
  readonly rendererDir: string;
  readonly handlers: Handlers;
  readonly serverUrl: string;
  readonly log: Logger;
}

export interface WebHost {
  /** Starts listening; resolves with the page URL, e.g. `http://127.0.0.1:5180/`. */
  listen(port: number, host: string): Promise<string>;
  /** Pushes a host event to every connected page. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  close(): Promise<void>;
}

/**
 * Frames bigger than this are refused. A recording chunk (a few seconds at ~0.5 Mbit/s is a few
 * hundred KB) travels base64-encoded (4/3 of its size): 24 MiB leaves room for the journal's 16 MiB
 * chunk limit.
 */
export const MAX_FRAME_BYTES = 24 * 1024 * 1024;

/**
 * The web host: the built renderer over HTTP and the desktop contract over a WebSocket, so the same UI
 * runs in a plain browser (development, end-to-end tests) against the same services on local disk.
 */
export function createWebHost(options: WebHostOptions): WebHost {
  const { log } = options;
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const server: Server = createServer((request, response) => {
    serveFile(request, response).catch((error: unknown) => {
      log.error('webhost: file could not be served', { error: error instanceof Error ? error.name : typeof error });
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Internal error');
    });
  });

  const origins = (): ReadonlySet<string> => allowedOrigins(server.address() as AddressInfo | null);

  async function serveFile(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed');
      return;
    }
    const pathname = new URL(request.url ?? '/', 'http://webhost.invalid').pathname;
    const file = await readStaticFile(options.rendererDir, pathname);
    if (!file) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const self = selfOrigin(request);
    response.writeHead(200, {
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
      'Content-Security-Policy': contentSecurityPolicy({ serverUrl: options.serverUrl, extraConnect: [self.replace(/^http/, 'ws')] }),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': file.isIndex ? 'no-cache' : 'public, max-age=0',
    });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  /** The origin the page was loaded from, if it is one of ours; otherwise the listening address. */
  function selfOrigin(request: IncomingMessage): string {
    const fromHost = `http://${request.headers.host ?? ''}`;
    const allowed = origins();
    return allowed.has(fromHost) ? fromHost : ([...allowed][0] ?? fromHost);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(request.url ?? '/', 'http://webhost.invalid').pathname;
    const origin = request.headers.origin;
    const allowed = origins();
    // Any web page the learner visits could otherwise open this socket and read or forge their answers.
    if (pathname !== WEB_HOST_SOCKET_PATH || origin === undefined || !allowed.has(origin) || !allowed.has(`http://${request.headers.host ?? ''}`)) {
      log.warn('webhost: socket refused', { path: pathname.slice(0, 100), origin: origin?.slice(0, 200) ?? 'none' });
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws));
  });

  function accept(ws: WebSocket): void {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', (error) => log.warn('webhost: socket error', { error: error.name }));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.close(1003, 'text frames only');
        return;
      }
      void handleFrame(ws, data.toString());
    });
  }

  async function handleFrame(ws: WebSocket, text: string): Promise<void> {
    const frame = decodeFrame(text);
    if (frame === null || frame.type !== 'invoke') {
      const id = idOf(parseJson(text));
      log.warn('webhost: refused a frame that is not a valid invoke', { id: id ?? 'none' });
      // With an id the page is waiting for an answer, so it gets one; without, there is nobody to tell.
      if (id !== undefined) send(ws, { type: 'reply', id, result: fail('invalid_request', 'frame is not a valid invoke') });
      return;
    }
    const { id, channel, request } = frame;
    const result = await dispatch(options.handlers, channel, request, log);
    send(ws, { type: 'reply', id, result });
  }

  function send(ws: WebSocket, frame: WebHostFrame): void {
    if (ws.readyState === ws.OPEN) ws.send(encodeFrame(frame));
  }

  return {
    listen: (port, host) =>
      new Promise((resolveUrl, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolveUrl(`http://${formatHost(address.address)}:${address.port}/`);
        });
      }),
    emit: (event, payload) => {
      const parsed = events[event].safeParse(payload);
      if (!parsed.success) {
        log.error('webhost: refused to send an invalid event', { event });
        return;
      }
      for (const ws of sockets) send(ws, { type: 'event', event, payload: parsed.data });
    },
    close: () =>
      new Promise((resolveClosed, reject) => {
        for (const ws of sockets) ws.close(1001, 'web host shutting down');
        wss.close();
        server.close((error) => (error ? reject(error) : resolveClosed()));
        server.closeAllConnections();
      }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // fails the frame schema, which the caller reports
  }
}

function idOf(json: unknown): number | undefined {
  if (typeof json !== 'object' || json === null || !('id' in json)) return undefined;
  return Number.isInteger(json.id) ? (json.id as number) : undefined;
}
