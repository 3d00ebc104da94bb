import type { FastifyInstance } from 'fastify';
import { api } from '../../../../shared/api';
import type { RouteDeps } from '../deps';

/** 200 events with their evidence: more than an answer batch. */
export const EVENTS_BODY_LIMIT = 8 * 1024 * 1024;

export default async function eventRoutes(app: FastifyInstance, { route, events }: RouteDeps): Promise<void> {
  route(
    app,
    api.postEvents,
    async ({ user, params, body, request }) => {
      const result = await events.post(user, params.sessionId, body.events);
      // Codes only: what a refused entry held never reaches the log.
      const rejected = result.rejected.map((r) => r.code);
      request.log.info({ sessionId: params.sessionId, stored: result.stored, duplicate: result.duplicate, rejected }, 'events received');
      return result;
    },
    { bodyLimit: EVENTS_BODY_LIMIT },
  );
  route(app, api.listEvents, async ({ user, params }) => events.list(user, params.sessionId));
  route(app, api.sessionRisk, async ({ user, params }) => events.risk(user, params.sessionId));
}
