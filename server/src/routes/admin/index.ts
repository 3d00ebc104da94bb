import type { FastifyInstance } from 'fastify';
import { api } from '../../../../shared/api';
import { setAccommodation } from './accommodations';
import type { RouteDeps } from '../deps';

export default async function adminRoutes(app: FastifyInstance, { route, db, exams, clock }: RouteDeps): Promise<void> {
  route(app, api.setAccommodation, async ({ body }) => setAccommodation(db, exams, clock(), body));
}
