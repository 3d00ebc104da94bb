import { z } from 'zod';

/**
 * Install enrolment and signed challenges (see shared/domain/attestation.ts for the protocol). Every
 * route here also needs the release-key header, which only an official desktop build can produce.
 */

/** An Ed25519 public key as base64 DER (SubjectPublicKeyInfo, 44 bytes). */
const PublicKeyDer = z
  .string()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64')
  .max(128);

export const EnrollInstallRequest = z.object({
  publicKey: PublicKeyDer,
  /** `os`: the private key is encrypted by the OS keychain (safeStorage); `none`: it is not (Linux without a keyring). */
  keyProtection: z.enum(['os', 'none']),
});
export type EnrollInstallRequest = z.infer<typeof EnrollInstallRequest>;

/** The install's id: the first 32 hex digits of sha256(public key DER). */
export const InstallId = z.string().regex(/^[0-9a-f]{32}$/);

export const EnrollInstallResponse = z.object({ installId: InstallId });
export type EnrollInstallResponse = z.infer<typeof EnrollInstallResponse>;

export const ChallengePurpose = z.enum(['start_session', 'open_section']);

export const ChallengeRequest = z.object({
  purpose: ChallengePurpose,
  /** The section to open (`open_section` only). */
  sectionId: z.string().min(1).max(64).nullable().default(null),
});
export type ChallengeRequest = z.infer<typeof ChallengeRequest>;

export const ChallengeResponse = z.object({
  nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  expiresAt: z.string().datetime(),
});
export type ChallengeResponse = z.infer<typeof ChallengeResponse>;

/** A challenge signed by an enrolled install: the body of startSession and openSection in the desktop app. */
export const SignedChallenge = z.object({
  installId: InstallId,
  nonce: ChallengeResponse.shape.nonce,
  /** base64 Ed25519 signature (64 bytes) over `challengeMessage(...)`. */
  signature: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64')
    .max(128),
});
export type SignedChallenge = z.infer<typeof SignedChallenge>;

export const AttestedActionRequest = z.object({ attestation: SignedChallenge.optional() }).strict();
export type AttestedActionRequest = z.infer<typeof AttestedActionRequest>;
