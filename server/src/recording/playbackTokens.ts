import { errors, jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../../shared/api';
import { PLAYBACK_TOKEN_TTL_SECONDS } from '../../../shared/api/review';
import { ApiError } from '../errors';

export interface PlaybackClaims {
  readonly userId: string;
  readonly role: Role;
  readonly sessionId: string;
}

export interface PlaybackTokensOptions {
  readonly secret: string | Uint8Array;
  readonly clock: () => number;
  readonly ttlSeconds?: number;
}

const ISSUER = 'invigil';
/** Its own audience and scope: a playback token is never an access or upload token, nor the reverse. */
const PLAYBACK_AUDIENCE = 'invigil-playback';
const PLAYBACK_SCOPE = 'playback';
const STAFF: readonly Role[] = ['proctor', 'admin'];

/**
 * Short-lived HS256 tokens that let a `<video>` or `<img>` fetch one session's media by URL (`?playback=`),
 * since those elements cannot send a Bearer header. Issued to staff only; checked against the session
 * in the URL, so a token for one attempt opens no other.
 */
export class PlaybackTokens {
  private readonly key: Uint8Array;
  private readonly ttlSeconds: number;

  constructor(private readonly o: PlaybackTokensOptions) {
    this.key = typeof o.secret === 'string' ? new TextEncoder().encode(o.secret) : o.secret;
    this.ttlSeconds = o.ttlSeconds ?? PLAYBACK_TOKEN_TTL_SECONDS;
  }

  async issue(claims: PlaybackClaims): Promise<{ token: string; expiresAt: number }> {
    if (!STAFF.includes(claims.role)) throw new ApiError('forbidden', 'Recordings are only available to proctors and administrators.');
    const nowS = Math.floor(this.o.clock() / 1000);
    const exp = nowS + this.ttlSeconds;
    const token = await new SignJWT({ scope: PLAYBACK_SCOPE, sid: claims.sessionId, role: claims.role })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(PLAYBACK_AUDIENCE)
      .setIssuedAt(nowS)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: exp * 1000 };
  }

  /** Throws `unauthenticated` (401) unless `token` is a current playback token for `sessionId`. */
  async verify(token: string | undefined, sessionId: string): Promise<PlaybackClaims> {
    if (!token) throw new ApiError('unauthenticated', 'This media link needs a playback token. Open the review screen again.');
    let payload: Record<string, unknown> & { sub?: string };
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: PLAYBACK_AUDIENCE,
        requiredClaims: ['exp'],
        currentDate: new Date(this.o.clock()),
      }));
    } catch (error) {
      const expired = error instanceof errors.JWTExpired;
      throw new ApiError('unauthenticated', expired ? 'This media link has expired. Reload the review screen.' : 'This media link is not valid.');
    }
    const role = payload['role'] as Role;
    if (payload['scope'] !== PLAYBACK_SCOPE || typeof payload.sub !== 'string' || !STAFF.includes(role) || payload['sid'] !== sessionId) {
      throw new ApiError('unauthenticated', 'This media link is not valid for this attempt.');
    }
    return { userId: payload.sub, role, sessionId };
  }
}
