import type { FastifyInstance } from 'fastify';
import { api } from '../../../../shared/api';
import type { RouteDeps } from '../deps';

export default async function meRoutes(app: FastifyInstance, { route }: RouteDeps): Promise<void> {
  route(app, api.me, async ({ user }) => user);
}
