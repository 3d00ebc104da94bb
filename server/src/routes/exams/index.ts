import type { FastifyInstance } from 'fastify';
import { api } from '../../../../shared/api';
import { listExamsFor } from '../../exams/examCatalog';
import type { RouteDeps } from '../deps';

export default async function examRoutes(app: FastifyInstance, { route, db, exams }: RouteDeps): Promise<void> {
  route(app, api.listExams, async ({ user }) => ({ exams: await listExamsFor(db, exams, user) }));
}
