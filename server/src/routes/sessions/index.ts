import type { FastifyInstance } from 'fastify';
import { api } from '../../../../shared/api';
import { AccessAudit, sessionViewFor } from '../../audit/accessAudit';
import type { RouteDeps } from '../deps';

export default async function sessionRoutes(app: FastifyInstance, { route, sessions, attestation, db, clock }: RouteDeps): Promise<void> {
  const audit = new AccessAudit(db, clock);
  // The kind of client comes from the release-key header, never from the request body.
  route(app, api.createSession, async ({ user, body, request }) => {
    const header = attestation.inspect(request);
    attestation.refuseInvalid(header);
    return sessions.createOrResume(user, body.examId, header === 'valid' ? 'desktop' : 'web');
  });
  // Answers only to their learner and to administrators (audited); proctors get the attempt without them.
  route(app, api.getSession, async ({ user, params }) => sessionViewFor(user, await sessions.get(user, params.sessionId), audit));
  route(app, api.startSession, async ({ user, params, body, request }) =>
    sessions.start(user, params.sessionId, { header: attestation.inspect(request), signed: body.attestation }),
  );
  route(app, api.openSection, async ({ user, params, body, request }) =>
    sessions.openSection(user, params.sessionId, params.sectionId, { header: attestation.inspect(request), signed: body.attestation }),
  );
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
