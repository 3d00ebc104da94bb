import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodError } from 'zod';
import type { ApiErrorBody, ApiErrorCode } from '../../shared/api';

const statusByCode: Record<ApiErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  payload_too_large: 413,
  unauthenticated: 401,
  token_expired: 401,
  invalid_credentials: 401,
  rate_limited: 429,
  forbidden: 403,
  not_found: 404,
  exam_not_open: 409,
  exam_closed: 409,
  web_client_not_allowed: 403,
  attempt_exists: 409,
  illegal_transition: 409,
  session_paused: 409,
  session_not_paused: 409,
  review_lease_lost: 409,
  review_already_decided: 409,
  review_second_reviewer_required: 409,
  section_not_open: 409,
  section_closed: 409,
  section_already_opened: 409,
  sections_pending: 409,
  sequence_conflict: 409,
  question_not_in_section: 400,
  answer_invalid: 400,
  upload_token_invalid: 401,
  upload_metadata_invalid: 400,
  segment_out_of_order: 409,
  segment_chain_mismatch: 422,
  segment_too_large: 413,
  recording_not_found: 404,
  start_requirements_missing: 409,
  identity_attempts_exhausted: 409,
  identity_not_required: 409,
  app_version_too_old: 409,
  translator_not_allowed: 403,
  attestation_required: 403,
  attestation_invalid: 403,
  session_closed: 409,
  segment_not_webm: 415,
  recording_quota_exceeded: 413,
  too_many_uploads: 429,
  storage_full: 507,
  server_busy: 503,
  question_not_gradable: 409,
  results_not_ready: 409,
  internal: 500,
};

export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

/**
 * An expected failure with a stable code. Services throw it (inside a transaction that rolls back);
 * the one error handler turns it into an `ApiErrorBody`.
 */
export class ApiError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: readonly ErrorDetail[],
    statusCode?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode ?? statusByCode[code];
  }
}

export function validationError(where: 'body' | 'params', error: ZodError): ApiError {
  const details = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = details[0];
  const summary = first ? `${first.path}: ${first.message}` : 'the request is invalid';
  return new ApiError('validation_failed', `Some fields are missing or invalid (${summary}).`, details);
}

const body = (code: ApiErrorCode, message: string, details?: readonly ErrorDetail[]): ApiErrorBody => ({
  error: details && details.length > 0 ? { code, message, details: [...details] } : { code, message },
});

/** The JSON body for an expected failure, for replies written outside Fastify (the tus endpoint). */
export const apiErrorBody = (error: ApiError): ApiErrorBody => body(error.code, error.message, error.details);

const describeBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB` : `${Math.round(bytes / 1024)} KiB`;

/** Maps Fastify's own errors (parsing, limits) onto our codes. */
function fromFastify(error: FastifyError, request: FastifyRequest): ApiError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      // Routes that take images or probes raise the limit; the message names the one that applied.
      return new ApiError('payload_too_large', `The request body is too large (at most ${describeBytes(request.routeOptions.bodyLimit)}).`);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError('bad_request', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('bad_request', 'The request body is empty; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('bad_request', 'Send the request body as application/json.', undefined, 415);
    default:
      break;
  }
  if (error.statusCode === 429) return new ApiError('rate_limited', error.message);
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiError('bad_request', error.message, undefined, error.statusCode);
  }
  return null;
}

/** Errno codes of a write that found no room: the disk is full, or the server's user is over its quota. */
const STORAGE_FULL_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT']);

/** A full disk anywhere below a route (database, uploads, images) as `storage_full` (507), so clients retry later. */
function fromStorage(error: FastifyError): ApiError | null {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !STORAGE_FULL_CODES.has(code)) return null;
  return new ApiError('storage_full', 'The server has run out of storage space. Try again later; staff have been told.');
}

/** One error handler for the whole server: stable codes out, 5xx details only in the log. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const known = error instanceof ApiError ? error : (fromStorage(error) ?? fromFastify(error, request));
    if (known) {
      // The original error (with its errno code, syscall and stack), never the mapped one.
      if (known.statusCode >= 500) request.log.error({ err: error, code: known.code }, 'request failed');
      return reply.code(known.statusCode).send(body(known.code, known.message, known.details));
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply
      .code(500)
      .send(body('internal', 'Something went wrong on the server. Try again; if it keeps happening, contact support.'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(body('not_found', `There is no ${request.method} ${request.url.split('?')[0] ?? ''} on this server.`));
  });
}
