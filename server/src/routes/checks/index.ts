import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { api } from '../../../../shared/api';
import { ApiError } from '../../errors';
import type { RouteDeps } from '../deps';

/** Twice the probe the client sends, so a client with a bigger probe is still measured. */
export const PROBE_BODY_LIMIT = 2 * 1024 * 1024;
/** A system check (a few hosts' observations) is larger than an answer batch but never near this. */
export const SYSTEM_CHECK_BODY_LIMIT = 1024 * 1024;
/** Per learner token and address: a few probes a minute cover retries; more is a client stuck in a loop. */
export const PROBE_LIMIT = { max: 10, timeWindowMs: 60_000 };

const probeKey = (request: FastifyRequest): string =>
  `${request.ip}|${createHash('sha256').update(request.headers.authorization ?? '').digest('base64url').slice(0, 22)}`;

export default async function checkRoutes(app: FastifyInstance, { route, checks, versions }: RouteDeps): Promise<void> {
  // Only in this plugin: the probe's body is raw bytes, counted and dropped.
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: PROBE_BODY_LIMIT }, (_request, body, done) => {
    done(null, body);
  });

  route(app, api.versionPolicy, async () => ({ minimumAppVersion: versions.minimumAppVersion, serverVersion: versions.serverVersion }));

  route(
    app,
    api.bandwidthProbe,
    async ({ request, reply }) => {
      if (request.body !== undefined && !Buffer.isBuffer(request.body)) {
        throw new ApiError('bad_request', 'Send the probe as application/octet-stream.', undefined, 415);
      }
      const receivedBytes = Buffer.isBuffer(request.body) ? request.body.length : 0;
      // From the first byte of the request to the last of its body: the client subtracts it from its round trip.
      return { receivedBytes, serverMs: Math.round(reply.elapsedTime * 10) / 10 };
    },
    {
      bodyLimit: PROBE_BODY_LIMIT,
      // Counted before the body is read, so a stuck client cannot keep the server reading megabytes.
      config: { rateLimit: { max: PROBE_LIMIT.max, timeWindow: PROBE_LIMIT.timeWindowMs, keyGenerator: probeKey, hook: 'onRequest' } },
    },
  );

  route(app, api.recordConsent, async ({ user, params, body }) => checks.recordConsent(user, params.sessionId, body.version));
  route(
    app,
    api.saveSystemCheck,
    async ({ user, params, body, request }) => {
      const view = await checks.saveSystemCheck(user, params.sessionId, body);
      request.log.info({ sessionId: params.sessionId, items: body.items.length, systemCheck: view.checks.systemCheck }, 'system check saved');
      return view;
    },
    { bodyLimit: SYSTEM_CHECK_BODY_LIMIT },
  );
  route(app, api.chooseTranslator, async ({ user, params, body }) => checks.chooseTranslator(user, params.sessionId, body.translator));
  route(app, api.listSystemChecks, async ({ user, params }) => checks.listSystemChecks(user, params.sessionId));
}
