import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { TokenPair, UserView } from '../../../shared/api';
import type { AuthFamiliesTable, Database, UsersTable } from '../db/schema';
import { ApiError } from '../errors';
import type { RandomBytes } from '../random';
import { hashPassword, verifyPassword } from './password';
import { hashRefreshToken, type TokenService } from './tokens';

export const REFRESH_TTL_MS = 12 * 60 * 60 * 1000;

export interface AuthServiceOptions {
  readonly db: Kysely<Database>;
  readonly tokens: TokenService;
  readonly clock: () => number;
  readonly random: RandomBytes;
  /** Told when a family is revoked because a spent refresh token came back (a stolen copy, or a replay). */
  readonly log?: FastifyBaseLogger;
}

export type AuthUser = UserView;

const toUserView = (row: Pick<UsersTable, 'id' | 'email' | 'full_name' | 'role'>): UserView => ({
  id: row.id,
  email: row.email,
  fullName: row.full_name,
  role: row.role,
});

const iso = (ms: number): string => new Date(ms).toISOString();

const INVALID_CREDENTIALS = 'The email or password is not right. Check both and try again.';
const REFRESH_REFUSED = 'Your sign-in has ended. Sign in again.';

type RevokeReason = NonNullable<AuthFamiliesTable['revoke_reason']>;

export class AuthService {
  /** A real hash to verify against when the email is unknown, so both failures take about as long. */
  private readonly dummyHash: Promise<string>;

  constructor(private readonly options: AuthServiceOptions) {
    this.dummyHash = hashPassword('not-a-real-password', options.random);
  }

  async signIn(email: string, password: string): Promise<TokenPair & { user: UserView }> {
    const { db } = this.options;
    const user = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    const stored = user?.password_hash ?? (await this.dummyHash);
    const matches = await verifyPassword(password, stored);
    if (!user || !matches) throw new ApiError('invalid_credentials', INVALID_CREDENTIALS);
    const view = toUserView(user);
    const familyId = Buffer.from(this.options.random(16)).toString('base64url');
    await db.insertInto('auth_families').values({ id: familyId, user_id: user.id, created_at: this.options.clock(), revoked_at: null, revoke_reason: null }).execute();
    return { ...(await this.issuePair(view, familyId)), user: view };
  }

  /**
   * Rotates: the presented token is spent whatever happens next, and a new pair of the same family is
   * issued. A token that was already spent is a stolen copy or a replay: its whole family is revoked,
   * so neither the thief nor the victim can go on (refresh token rotation with reuse detection).
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const { db } = this.options;
    const now = this.options.clock();
    const tokenHash = hashRefreshToken(refreshToken);
    const spent = await db
      .updateTable('refresh_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .where('family_id', 'in', db.selectFrom('auth_families').select('id').where('revoked_at', 'is', null))
      .returning(['user_id', 'family_id'])
      .executeTakeFirst();
    if (!spent) {
      const known = await db.selectFrom('refresh_tokens').select(['user_id', 'family_id', 'used_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
      if (known && known.used_at !== null && (await this.revokeFamily(known.family_id, 'refresh_reuse'))) {
        this.options.log?.warn({ userId: known.user_id, familyId: known.family_id }, 'spent refresh token used again; sign-in revoked');
      }
      throw new ApiError('unauthenticated', REFRESH_REFUSED);
    }
    const user = await db.selectFrom('users').select(['id', 'email', 'full_name', 'role']).where('id', '=', spent.user_id).executeTakeFirst();
    if (!user) throw new ApiError('unauthenticated', REFRESH_REFUSED);
    return this.issuePair(toUserView(user), spent.family_id);
  }

  /**
   * Ends the sign-in the refresh token belongs to (spent or not), and the one the Bearer access token
   * names when one is sent: every access and refresh token of those families stops working at once.
   */
  async signOut(refreshToken: string, authorization?: string): Promise<void> {
    const families = new Set<string>();
    const row = await this.options.db
      .selectFrom('refresh_tokens')
      .select('family_id')
      .where('token_hash', '=', hashRefreshToken(refreshToken))
      .executeTakeFirst();
    if (row) families.add(row.family_id);
    const bearer = bearerToken(authorization);
    if (bearer !== null) {
      // An invalid or expired Bearer token names no family it could end: the refresh token still does.
      const claims = await this.options.tokens.verifyAccess(bearer).catch(() => null);
      if (claims) families.add(claims.familyId);
    }
    for (const familyId of families) await this.revokeFamily(familyId, 'sign_out');
  }

  /**
   * Resolves the bearer token to the current user (read from the database, so role changes apply at
   * once) in one query that also reads the token's sign-in family: a revoked family is refused.
   */
  async authenticate(authorization: string | undefined): Promise<AuthUser> {
    const token = bearerToken(authorization);
    if (token === null) throw new ApiError('unauthenticated', 'Sign in to continue.');
    const claims = await this.options.tokens.verifyAccess(token);
    const row = await this.options.db
      .selectFrom('users')
      .innerJoin('auth_families', 'auth_families.user_id', 'users.id')
      .select(['users.id', 'users.email', 'users.full_name', 'users.role', 'auth_families.revoked_at'])
      .where('auth_families.id', '=', claims.familyId)
      .where('users.id', '=', claims.userId)
      .executeTakeFirst();
    if (!row) throw new ApiError('unauthenticated', 'Your account was not found. Sign in again.');
    if (row.revoked_at !== null) throw new ApiError('unauthenticated', REFRESH_REFUSED);
    return toUserView(row);
  }

  /** True when this call revoked it (false when it was revoked already). */
  private async revokeFamily(familyId: string, reason: RevokeReason): Promise<boolean> {
    const result = await this.options.db
      .updateTable('auth_families')
      .set({ revoked_at: this.options.clock(), revoke_reason: reason })
      .where('id', '=', familyId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  private async issuePair(user: UserView, familyId: string): Promise<TokenPair> {
    const now = this.options.clock();
    const access = await this.options.tokens.issueAccess({ userId: user.id, role: user.role, familyId });
    const refresh = this.options.tokens.newRefreshToken();
    const refreshExpiresAt = now + REFRESH_TTL_MS;
    await this.options.db
      .insertInto('refresh_tokens')
      .values({ token_hash: refresh.hash, user_id: user.id, family_id: familyId, created_at: now, expires_at: refreshExpiresAt, used_at: null })
      .execute();
    return {
      accessToken: access.token,
      accessExpiresAt: iso(access.expiresAt),
      refreshToken: refresh.token,
      refreshExpiresAt: iso(refreshExpiresAt),
    };
  }
}

function bearerToken(authorization: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1] ?? null;
}
