import type { FastifyInstance } from 'fastify';
import { api, MAX_IDENTITY_IMAGE_BYTES } from '../../../../shared/api';
import { AccessAudit } from '../../audit/accessAudit';
import type { RouteDeps } from '../deps';

/** A JPEG of MAX_IDENTITY_IMAGE_BYTES in base64, plus room for the fields and OCR text. */
export const IDENTITY_BODY_LIMIT = Math.ceil((MAX_IDENTITY_IMAGE_BYTES * 4) / 3) + 64 * 1024;

export default async function identityRoutes(app: FastifyInstance, { route, identity, db, clock }: RouteDeps): Promise<void> {
  const audit = new AccessAudit(db, clock);
  const limits = { bodyLimit: IDENTITY_BODY_LIMIT };
  route(app, api.submitFacePhoto, async ({ user, params, body }) => identity.submitFace(user, params.sessionId, body), limits);
  route(
    app,
    api.submitIdAttempt,
    async ({ user, params, body, request }) => {
      const result = await identity.submitAttempt(user, params.sessionId, body);
      // Verdicts and sizes only: never the OCR text, the name or the document number.
      request.log.info(
        { sessionId: params.sessionId, attempt: result.attempt, nameVerdict: result.nameVerdict, status: result.status, ocrMs: body.ocrMs },
        'identity attempt',
      );
      return result;
    },
    limits,
  );
  route(app, api.continueUnverified, async ({ user, params, body }) => identity.continueUnverified(user, params.sessionId, body.reason));
  route(app, api.getIdentity, async ({ user, params }) => identity.record(user, params.sessionId));
  route(app, api.identityImage, async ({ user, params, reply }) => {
    const jpeg = await identity.image(user, params.sessionId, params.imageId);
    await audit.record(user, { sessionId: params.sessionId, kind: 'identity_image', itemId: params.imageId, via: 'bearer' });
    // Never cached by a browser or proxy: an ID photo stays on the server.
    return reply.type('image/jpeg').header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').send(jpeg);
  });
}
