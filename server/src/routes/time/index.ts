import type { FastifyInstance } from 'fastify';
import { api } from '../../../../shared/api';
import type { RouteDeps } from '../deps';

export default async function timeRoutes(app: FastifyInstance, { route, clock }: RouteDeps): Promise<void> {
  route(app, api.time, async () => ({ serverTime: clock() }));
}
