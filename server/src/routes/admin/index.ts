import type { FastifyInstance } from 'fastify';
import { api } from '../../../../shared/api';
import { AccessAudit } from '../../audit/accessAudit';
import { setAccommodation } from './accommodations';
import type { RouteDeps } from '../deps';

export default async function adminRoutes(app: FastifyInstance, { route, db, exams, clock }: RouteDeps): Promise<void> {
  route(app, api.setAccommodation, async ({ body }) => setAccommodation(db, exams, clock(), body));
  const audit = new AccessAudit(db, clock);
  route(app, api.accessAudit, async ({ params }) => ({ sessionId: params.sessionId, entries: await audit.list(params.sessionId) }));
}
