/**
 * Retry policy of the uploader: exponential backoff with jitter, for as long as it takes. Jitter
 * keeps a classroom of clients that lost the same server from coming back in lockstep.
 */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 60_000 };

/** Delay before retry number `attempt` (0 for the first retry), within [initialMs, maxMs]; `random` in [0, 1). */
export function backoffDelay(attempt: number, random: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  // "Equal jitter": half fixed, half random, so the delay still grows but never all at the same moment.
  return Math.max(policy.initialMs, Math.round(ceiling / 2 + (ceiling / 2) * random));
}

export type FailureKind = 'transient' | 'unauthorized' | 'gone' | 'permanent' | 'refused';

/**
 * The server's refusals of a whole recording that no retry, token or restart can change: the attempt's
 * upload window has closed, a take did not begin as WebM, the attempt's quota is used up. The server's
 * `too_many_uploads` (429) and `storage_full` (507) pass with time and are retried with backoff.
 */
export const RECORDING_REFUSALS: ReadonlySet<string> = new Set(['session_closed', 'segment_not_webm', 'recording_quota_exceeded']);

/** The stable error code and sentence in a server reply body (`{"error":{"code":…,"message":…}}`), or null. */
export function serverErrorOf(body: string): { code: string; message: string } | null {
  try {
    const error = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof error?.code !== 'string') return null;
    return { code: error.code.slice(0, 64), message: typeof error.message === 'string' ? error.message.slice(0, 500) : '' };
  } catch {
    return null;
  }
}


/**
 * What to do after a tus request failed with `status` (undefined: no response, the network failed).
 * 401/403: the token is missing, expired or for another session, so only a new one helps. 404/410:
 * the server forgot the upload (expired), start it again. 409 (out of order, or an offset race),
 * 423 (locked), 429 and 5xx pass with time. Any other 4xx will not pass by retrying.
 */
export function classifyFailure(status: number | undefined): FailureKind {
  if (status === undefined || status >= 500 || status < 400) return 'transient';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404 || status === 410) return 'gone';
  if (status === 409 || status === 423 || status === 429) return 'transient';
  return 'permanent';
}
