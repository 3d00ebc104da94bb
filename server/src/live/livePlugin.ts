// Wires live proctoring into the Fastify app: the signalling socket on the HTTP server's `upgrade`
// event at LIVE_SOCKET_PATH, an immediate status check after a submit, and a clean close.
import type { FastifyInstance } from 'fastify';
import { api, LIVE_SOCKET_PATH } from '../../../shared/api';
import { LiveService, type LiveServiceOptions } from './liveService';

/** What the app's caller decides; the app adds its database, exams, clock, log and token check. */
export type LiveOptions = Omit<LiveServiceOptions, 'db' | 'exams' | 'clock' | 'authenticate' | 'log'>;

const services = new WeakMap<FastifyInstance, LiveService>();

/** The app's live service (tests kill its workers). */
export function liveServiceOf(app: FastifyInstance): LiveService | undefined {
  return services.get(app);
}

export async function registerLive(app: FastifyInstance, options: LiveServiceOptions): Promise<LiveService> {
  const live = await LiveService.start(options);
  services.set(app, live);

  app.server.on('upgrade', (request, socket, head) => {
    const path = (request.url ?? '').split('?')[0];
    if (path === LIVE_SOCKET_PATH) {
      live.handleUpgrade(request, socket, head);
      return;
    }
    // Nothing else on this server speaks WebSocket.
    if (app.server.listenerCount('upgrade') === 1) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  });

  // A submitted attempt's live media ends at once, not at the next poll.
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.url !== api.submitSession.path || reply.statusCode !== 200) return;
    const sessionId = (request.params as { sessionId?: unknown } | undefined)?.sessionId;
    if (typeof sessionId === 'string') await live.checkSession(sessionId).catch((error: unknown) => request.log.error({ err: error }, 'live: session check failed'));
  });

  // Before the HTTP server closes: upgraded sockets would otherwise hold it open.
  app.addHook('preClose', async () => live.close());
  return live;
}
