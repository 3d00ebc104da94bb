import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ATTESTATION_HEADER } from '../../../shared/domain/attestation';

/** `hex(sha256(url ‖ releaseKey))`: what an official desktop build sends with every request to the server. */
export function attestationDigest(url: string, releaseKey: string): string {
  return createHash('sha256').update(url, 'utf8').update(releaseKey, 'utf8').digest('hex');
}

/** What a request's attestation header says: an accepted build, no header at all, or a header that fits no accepted build. */
export type HeaderVerdict = 'valid' | 'absent' | 'invalid';

const DIGEST = /^[0-9a-f]{64}$/;

/**
 * Checks the release-key header against every release key this deployment accepts (a handful: the
 * builds currently in use). The URL hashed is the one the app asked for: `publicUrl` when the server
 * sits behind a proxy that changes scheme, host or port, else the request's own.
 */
export class ReleaseKeyCheck {
  constructor(
    private readonly releaseKeys: readonly string[],
    private readonly publicUrl?: string,
  ) {}

  get configured(): boolean {
    return this.releaseKeys.length > 0;
  }

  inspect(request: FastifyRequest): HeaderVerdict {
    const raw = request.headers[ATTESTATION_HEADER];
    if (raw === undefined) return 'absent';
    const value = Array.isArray(raw) ? null : raw.trim().toLowerCase();
    if (value === null || !DIGEST.test(value)) return 'invalid';
    const url = `${this.publicUrl ?? `${request.protocol}://${request.host}`}${request.url}`;
    const presented = Buffer.from(value, 'hex');
    const matches = this.releaseKeys.some((key) => timingSafeEqual(presented, Buffer.from(attestationDigest(url, key), 'hex')));
    return matches ? 'valid' : 'invalid';
  }
}
