import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { z } from 'zod';
import { api, type RouteSpec } from '../../../shared/api';
import type { AuthUser } from '../auth/authService';
import { ApiError, validationError } from '../errors';
import { findInvalidText } from './text';

type BodyOut<R> = R extends { body: infer S extends z.ZodType } ? z.output<S> : undefined;
type ParamsOut<R> = R extends { params: infer S extends z.ZodType } ? z.output<S> : undefined;
type UserFor<R> = R extends { auth: 'none' } ? null : AuthUser;

export interface RouteContext<R extends RouteSpec> {
  readonly params: ParamsOut<R>;
  readonly body: BodyOut<R>;
  readonly user: UserFor<R>;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export type RouteHandler<R extends RouteSpec> = (ctx: RouteContext<R>) => Promise<z.input<R['reply']>>;

export interface RouteExtras {
  /** Fastify route config, e.g. `{ rateLimit: {...} }` for @fastify/rate-limit. */
  readonly config?: Record<string, unknown>;
  /** Runs before the body is read, e.g. a per-address rate limit that costs nothing to enforce. */
  readonly onRequest?: RouteOptions['onRequest'];
  /** Largest body this route reads (the server-wide limit otherwise): identity images, the bandwidth probe. */
  readonly bodyLimit?: number;
}

export type DefineRoute = <R extends RouteSpec>(
  app: FastifyInstance,
  spec: R,
  handler: RouteHandler<R>,
  extras?: RouteExtras,
) => void;

function checkRole(spec: RouteSpec, user: AuthUser): void {
  const allowed =
    spec.auth === 'any' ||
    (spec.auth === 'learner' && user.role === 'learner') ||
    (spec.auth === 'staff' && (user.role === 'proctor' || user.role === 'admin')) ||
    (spec.auth === 'admin' && user.role === 'admin');
  if (!allowed) {
    const who = spec.auth === 'learner' ? 'learner accounts' : spec.auth === 'admin' ? 'administrators' : 'proctors and administrators';
    throw new ApiError('forbidden', `This is only available to ${who}.`);
  }
}

/**
 * Batches judged entry by entry: their text is checked per entry (a bad entry fails alone, with
 * `invalid_text`), so the whole-request check below leaves them out.
 */
const TEXT_CHECKED_PER_ENTRY: ReadonlySet<RouteSpec> = new Set<RouteSpec>([api.postEvents, api.saveAnswers]);

/** Refuses a request whose params or body hold text no column can store (a NUL, a lone surrogate). */
function checkText(spec: RouteSpec, params: unknown, body: unknown): void {
  const problem =
    findInvalidText(params, ['params']) ?? (spec.body && !TEXT_CHECKED_PER_ENTRY.has(spec) ? findInvalidText(body, ['body']) : null);
  if (problem) {
    throw new ApiError('validation_failed', `Some text cannot be stored (${problem.path}: ${problem.message}).`, [problem]);
  }
}

/**
 * Registers one entry of the shared `api` table: authentication first (401/403 before 400), then
 * text that cannot be stored (NUL, lone surrogates) refused, then params and body parsed with the
 * shared zod schemas, then the reply parsed with its schema, which also strips any field the
 * contract does not name (answer keys cannot leak by accident).
 */
export function createRouteDefiner(authenticate: (authorization: string | undefined) => Promise<AuthUser>): DefineRoute {
  return (app, spec, handler, extras) => {
    app.route({
      method: spec.method,
      url: spec.path,
      ...(extras?.config ? { config: extras.config } : {}),
      ...(extras?.onRequest ? { onRequest: extras.onRequest } : {}),
      ...(extras?.bodyLimit ? { bodyLimit: extras.bodyLimit } : {}),
      handler: async (request, reply) => {
        let user: AuthUser | null = null;
        if (spec.auth !== 'none') {
          user = await authenticate(request.headers.authorization);
          checkRole(spec, user);
        }
        checkText(spec, request.params, request.body);
        let params: unknown = undefined;
        if (spec.params) {
          const parsed = spec.params.safeParse(request.params);
          if (!parsed.success) throw validationError('params', parsed.error);
          params = parsed.data;
        }
        let body: unknown = undefined;
        if (spec.body) {
          if (request.body === undefined && !spec.body.safeParse({}).success) {
            throw new ApiError('bad_request', 'This request needs a JSON body (Content-Type: application/json).');
          }
          const parsed = spec.body.safeParse(request.body ?? {});
          if (!parsed.success) throw validationError('body', parsed.error);
          body = parsed.data;
        }
        const ctx = { params, body, user, request, reply } as RouteContext<typeof spec>;
        const result = await handler(ctx);
        return spec.reply.parse(result);
      },
    });
  };
}
