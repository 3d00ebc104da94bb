/**
 * Client attestation: how the desktop app proves to the server that it is an official build, and how
 * one install proves it is the same machine that enrolled.
 *
 * - The *release key* is derived from the packaged app's own code (the SHA-256 of its `app.asar`
 *   header, which lists every file's integrity hash), so any change to any file changes it. Every
 *   request the desktop app makes to the server carries `ATTESTATION_HEADER:
 *   hex(sha256(url ‖ releaseKey))`; the server recomputes it for each release key it accepts. A web
 *   browser has no release key and can never produce the header.
 * - On top, each install has an Ed25519 key pair (the private key kept with the OS keychain through
 *   Electron's safeStorage). The public key is enrolled at sign-in, and the install signs a one-time
 *   server nonce when an exam starts and when a section opens, so a header captured on one machine
 *   cannot be replayed from another.
 */

/** The request header carrying `hex(sha256(url ‖ releaseKey))`. */
export const ATTESTATION_HEADER = 'x-invigil-attestation';

/** A release key: 32 bytes as lowercase hex. */
export const RELEASE_KEY_PATTERN = /^[0-9a-f]{64}$/;

/** Domain-separation prefix for deriving a release key from an asar header hash. */
export const RELEASE_KEY_CONTEXT = 'invigil-release-key-v1';

/** What an install signs for a challenge: one line per field, so no field can run into another. */
export type ChallengePurpose = 'start_session' | 'open_section';

export function challengeMessage(input: { purpose: ChallengePurpose; sessionId: string; sectionId: string | null; nonce: string }): string {
  return ['invigil-challenge-v1', input.purpose, input.sessionId, input.sectionId ?? '-', input.nonce].join('\n');
}
