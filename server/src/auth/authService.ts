import type { Kysely } from 'kysely';
import type { TokenPair, UserView } from '../../../shared/api';
import type { Database, UsersTable } from '../db/schema';
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
    return { ...(await this.issuePair(view)), user: view };
  }

  /** Rotates: the presented token is spent whatever happens next, and a new pair is issued. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const now = this.options.clock();
    const spent = await this.options.db
      .updateTable('refresh_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', hashRefreshToken(refreshToken))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst();
    if (!spent) throw new ApiError('unauthenticated', REFRESH_REFUSED);
    const user = await this.options.db
      .selectFrom('users')
      .select(['id', 'email', 'full_name', 'role'])
      .where('id', '=', spent.user_id)
      .executeTakeFirst();
    if (!user) throw new ApiError('unauthenticated', REFRESH_REFUSED);
    return this.issuePair(toUserView(user));
  }

  async signOut(refreshToken: string): Promise<void> {
    await this.options.db
      .updateTable('refresh_tokens')
      .set({ used_at: this.options.clock() })
      .where('token_hash', '=', hashRefreshToken(refreshToken))
      .where('used_at', 'is', null)
      .execute();
  }

  /** Resolves the bearer token to the current user (read from the database, so role changes apply at once). */
  async authenticate(authorization: string | undefined): Promise<AuthUser> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) throw new ApiError('unauthenticated', 'Sign in to continue.');
    const claims = await this.options.tokens.verifyAccess(match[1]);
    const user = await this.options.db
      .selectFrom('users')
      .select(['id', 'email', 'full_name', 'role'])
      .where('id', '=', claims.userId)
      .executeTakeFirst();
    if (!user) throw new ApiError('unauthenticated', 'Your account was not found. Sign in again.');
    return toUserView(user);
  }

  private async issuePair(user: UserView): Promise<TokenPair> {
    const now = this.options.clock();
    const access = await this.options.tokens.issueAccess({ userId: user.id, role: user.role });
    const refresh = this.options.tokens.newRefreshToken();
    const refreshExpiresAt = now + REFRESH_TTL_MS;
    await this.options.db
      .insertInto('refresh_tokens')
      .values({ token_hash: refresh.hash, user_id: user.id, created_at: now, expires_at: refreshExpiresAt, used_at: null })
      .execute();
    return {
      accessToken: access.token,
      accessExpiresAt: iso(access.expiresAt),
      refreshToken: refresh.token,
      refreshExpiresAt: iso(refreshExpiresAt),
    };
  }
}
