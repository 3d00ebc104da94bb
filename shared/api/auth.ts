import { z } from 'zod';

export const Role = z.enum(['learner', 'proctor', 'admin']);
export type Role = z.infer<typeof Role>;

export const UserView = z.object({
  id: z.string(),
  email: z.string(),
  fullName: z.string(),
  role: Role,
});
export type UserView = z.infer<typeof UserView>;

export const SignInRequest = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

/** Access tokens are short-lived JWTs; the refresh token is opaque, single-use and rotated. */
export const TokenPair = z.object({
  accessToken: z.string(),
  accessExpiresAt: z.string().datetime(),
  refreshToken: z.string(),
  refreshExpiresAt: z.string().datetime(),
});
export type TokenPair = z.infer<typeof TokenPair>;

export const SignInResponse = TokenPair.extend({ user: UserView });
export type SignInResponse = z.infer<typeof SignInResponse>;

export const RefreshRequest = z.object({ refreshToken: z.string().min(16).max(512) });
export type RefreshRequest = z.infer<typeof RefreshRequest>;

export const SignOutRequest = RefreshRequest;
