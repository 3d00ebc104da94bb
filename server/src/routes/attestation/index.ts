import type { FastifyInstance } from 'fastify';
import { api } from '../../../../shared/api';
import type { RouteDeps } from '../deps';

/** Install enrolment and challenges: desktop app only (the release-key header is checked in the service). */
export default async function attestationRoutes(app: FastifyInstance, { route, attestation }: RouteDeps): Promise<void> {
  route(app, api.enrollInstall, async ({ user, body, request }) => {
    const result = await attestation.enroll(user, attestation.inspect(request), body);
    request.log.info({ installId: result.installId, keyProtection: body.keyProtection }, 'install enrolled');
    return result;
  });
  route(app, api.sessionChallenge, async ({ user, params, body, request }) =>
    attestation.challenge(user, params.sessionId, attestation.inspect(request), body),
  );
}
