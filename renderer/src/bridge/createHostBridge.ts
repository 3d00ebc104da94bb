import { WEB_HOST_SOCKET_PATH, type InvigilHost } from '../../../shared/ipc/contract';
import type { Logger } from '../services/logger';
import { WebSocketHostClient, type SocketLike } from './webSocketHost';

/**
 * The only place that reaches for `window.invigil` or the web-host socket. Inside Electron the
 * preload exposes the host; in a plain browser (the web host) the same contract runs over a socket
 * on the page's own origin.
 */
export function createHostBridge(win: Window & typeof globalThis & { invigil?: InvigilHost }, log: Logger): InvigilHost {
  if (win.invigil) return win.invigil;
  const scheme = win.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = new WebSocketHostClient({
    url: `${scheme}//${win.location.host}${WEB_HOST_SOCKET_PATH}`,
    createSocket: (url) => new win.WebSocket(url) as unknown as SocketLike,
    timers: {
      setTimeout: (fn, ms) => win.setTimeout(fn, ms),
      clearTimeout: (handle) => win.clearTimeout(handle as number),
    },
    log,
  });
  return client.asHost();
}
