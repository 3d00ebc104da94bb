import type { FastifyInstance } from 'fastify';
import { api } from '../../../../shared/api';
import type { RouteDeps } from '../deps';

export default async function sessionRoutes(app: FastifyInstance, { route, sessions }: RouteDeps): Promise<void> {
  route(app, api.createSession, async ({ user, body }) => sessions.createOrResume(user, body.examId, body.client));
  route(app, api.getSession, async ({ user, params }) => sessions.get(user, params.sessionId));
  route(app, api.startSession, async ({ user, params }) => sessions.start(user, params.sessionId));
  route(app, api.openSection, async ({ user, params }) => sessions.openSection(user, params.sessionId, params.sectionId));
  route(app, api.saveAnswers, async ({ user, params, body, request }) => {
    const response = await sessions.saveAnswers(user, params.sessionId, body);
    // Counts only: answer content never reaches the log.
    const count = (outcome: string) => response.results.filter((r) => r.outcome === outcome).length;
    request.log.info(
      { sessionId: params.sessionId, stored: count('stored'), duplicate: count('duplicate'), rejected: count('rejected') },
      'answers saved',
    );
    return response;
  });
  route(app, api.submitSection, async ({ user, params, body }) =>
    sessions.submitSection(user, params.sessionId, params.sectionId, body),
  );
  route(app, api.submitSession, async ({ user, params }) => sessions.submit(user, params.sessionId));
  route(app, api.getReceipt, async ({ user, params }) => sessions.receipt(user, params.sessionId));
}
