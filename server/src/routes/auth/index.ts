import type { FastifyInstance, FastifyRequest } from 'fastify';
import { api } from '../../../../shared/api';
import { createAddressLimiter } from '../../auth/addressLimiter';
import type { RouteDeps } from '../deps';

export const SIGN_IN_LIMIT = { max: 10, timeWindowMs: 60_000 };
/**
 * Across all emails from one address: stops password spraying and keeps scrypt from saturating the
 * server, while leaving room for a classroom behind one NAT signing in at once.
 */
export const SIGN_IN_ADDRESS_LIMIT = { max: 60, timeWindowMs: 60_000 };

/** Sign-in attempts are counted per client address and email, so one learner cannot lock out another. */
function signInKey(request: FastifyRequest): string {
  const body = request.body as { email?: unknown } | undefined;
  const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
  return `${request.ip}|${email}`;
}

export default async function authRoutes(app: FastifyInstance, { route, auth, clock }: RouteDeps): Promise<void> {
  route(app, api.signIn, async ({ body }) => auth.signIn(body.email, body.password), {
    config: { rateLimit: { max: SIGN_IN_LIMIT.max, timeWindow: SIGN_IN_LIMIT.timeWindowMs, keyGenerator: signInKey } },
    onRequest: createAddressLimiter({ max: SIGN_IN_ADDRESS_LIMIT.max, windowMs: SIGN_IN_ADDRESS_LIMIT.timeWindowMs, clock }),
  });
  route(app, api.refresh, async ({ body }) => auth.refresh(body.refreshToken));
  // Ends the whole sign-in: the refresh token's family and, when a Bearer token is sent, that token's family.
  route(app, api.signOut, async ({ body, request }) => {
    await auth.signOut(body.refreshToken, request.headers.authorization);
    return {};
  });
}
