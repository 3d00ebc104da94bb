import { createHash } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../../shared/api';
import { ApiError } from '../errors';
import type { RandomBytes } from '../random';

export interface AccessClaims {
  readonly userId: string;
  readonly role: Role;
  /** The sign-in (auth_families row) this token belongs to; revoking it ends the token at once. */
  readonly familyId: string;
}

export interface TokenServiceOptions {
  readonly secret: string;
  readonly clock: () => number;
  readonly random: RandomBytes;
  readonly accessTtlSeconds: number;
}

export const DEFAULT_ACCESS_TTL_SECONDS = 900;
/** Long enough for a two-hour exam plus a slow upload afterwards; the uploader asks again when it runs out. */
export const UPLOAD_TOKEN_TTL_SECONDS = 6 * 3600;

export interface UploadClaims {
  readonly userId: string;
  readonly sessionId: string;
}

const ISSUER = 'invigil';
/**
 * Every kind of token has its own audience and every verify names the one it accepts, so an upload or
 * playback token (which sit in URLs and uploader configs) never opens the API, nor the reverse.
 */
export const ACCESS_AUDIENCE = 'invigil-access';
const UPLOAD_AUDIENCE = 'invigil-upload';
const UPLOAD_SCOPE = 'upload';
const ROLES: readonly Role[] = ['learner', 'proctor', 'admin'];

/**
 * HS256 access tokens (short-lived, bound to one sign-in family) and opaque refresh tokens (stored
 * hashed, single-use). Every verify requires `exp`: a token that never expires is refused.
 */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(private readonly options: TokenServiceOptions) {
    this.key = new TextEncoder().encode(options.secret);
  }

  async issueAccess(claims: AccessClaims): Promise<{ token: string; expiresAt: number }> {
    const nowS = Math.floor(this.options.clock() / 1000);
    const exp = nowS + this.options.accessTtlSeconds;
    const token = await new SignJWT({ role: claims.role, fam: claims.familyId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(ACCESS_AUDIENCE)
      .setIssuedAt(nowS)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: exp * 1000 };
  }

  /** Throws `token_expired` or `unauthenticated`; the two differ so clients know a refresh may help. */
  async verifyAccess(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: ACCESS_AUDIENCE,
        requiredClaims: ['exp', 'sub', 'fam'],
        currentDate: new Date(this.options.clock()),
      });
      const role = payload['role'];
      const familyId = payload['fam'];
      if (typeof payload.sub !== 'string' || !ROLES.includes(role as Role) || typeof familyId !== 'string') {
        throw new ApiError('unauthenticated', 'Your sign-in is not valid. Sign in again.');
      }
      return { userId: payload.sub, role: role as Role, familyId };
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (error instanceof errors.JWTExpired) {
        throw new ApiError('token_expired', 'Your sign-in has expired. Refresh it or sign in again.');
      }
      throw new ApiError('unauthenticated', 'Your sign-in is not valid. Sign in again.');
    }
  }

  /** A bearer token for the tus endpoint only, scoped to one session's recording. */
  async issueUpload(claims: UploadClaims): Promise<{ token: string; expiresAt: number }> {
    const nowS = Math.floor(this.options.clock() / 1000);
    const exp = nowS + UPLOAD_TOKEN_TTL_SECONDS;
    const token = await new SignJWT({ scope: UPLOAD_SCOPE, sid: claims.sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(UPLOAD_AUDIENCE)
      .setIssuedAt(nowS)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: exp * 1000 };
  }

  /** Throws `upload_token_invalid` for anything but a current upload token (an access token included). */
  async verifyUpload(token: string): Promise<UploadClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: UPLOAD_AUDIENCE,
        requiredClaims: ['exp'],
        currentDate: new Date(this.options.clock()),
      });
      const sid = payload['sid'];
      if (payload['scope'] !== UPLOAD_SCOPE || typeof payload.sub !== 'string' || typeof sid !== 'string') {
        throw new ApiError('upload_token_invalid', 'This upload token is not valid. Ask the server for a new one.');
      }
      return { userId: payload.sub, sessionId: sid };
    } catch (error) {
      if (error instanceof ApiError) throw error;
      const expired = error instanceof errors.JWTExpired;
      throw new ApiError(
        'upload_token_invalid',
        expired ? 'This upload token has expired. Ask the server for a new one.' : 'This upload token is not valid. Ask the server for a new one.',
      );
    }
  }

  newRefreshToken(): { token: string; hash: string } {
    const token = Buffer.from(this.options.random(32)).toString('base64url');
    return { token, hash: hashRefreshToken(token) };
  }
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
