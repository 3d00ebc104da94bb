import type { IncomingHttpHeaders } from 'node:http';
import { Metadata } from '@tus/server';
import { MAX_SEGMENT_BYTES, SegmentMetadata } from '../../../shared/api';
import type { UploadClaims } from '../auth/tokens';
import { ApiError } from '../errors';

export const TUS_VERSION = '1.0.0';

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** tus: a request in another protocol version (or none) must not be processed at all. */
export function checkTusVersion(headers: IncomingHttpHeaders): void {
  const version = header(headers, 'tus-resumable');
  if (version !== TUS_VERSION) {
    throw new ApiError(
      'bad_request',
      version === undefined ? 'This is a tus endpoint: send Tus-Resumable: 1.0.0.' : `Tus-Resumable ${version} is not supported; this server speaks 1.0.0.`,
      undefined,
      412,
    );
  }
}

export function bearerToken(headers: IncomingHttpHeaders): string {
  const match = /^Bearer\s+(\S+)$/i.exec(header(headers, 'authorization') ?? '');
  if (!match?.[1]) throw new ApiError('upload_token_invalid', 'Uploads need the session’s upload token (Authorization: Bearer …).');
  return match[1];
}

export function checkSameSession(claims: UploadClaims, sessionId: string | null | undefined): void {
  if (sessionId !== claims.sessionId) {
    throw new ApiError('forbidden', 'This upload token belongs to another exam attempt.');
  }
}

/** Upload-Metadata values as strings (tus allows keys without a value; those count as absent). */
export function metadataRecord(raw: Record<string, string | null> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(raw ?? {}).filter((e): e is [string, string] => e[1] !== null));
}

export function parseSegmentMetadata(raw: Record<string, string | null> | undefined): SegmentMetadata {
  const parsed = SegmentMetadata.safeParse(metadataRecord(raw));
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: ['metadata', ...i.path.map(String)].join('.'), message: i.message }));
    const first = details[0];
    throw new ApiError('upload_metadata_invalid', `The segment’s Upload-Metadata is invalid (${first ? `${first.path}: ${first.message}` : 'unreadable'}).`, details);
  }
  if (Date.parse(parsed.data.endedAt) < Date.parse(parsed.data.startedAt)) {
    throw new ApiError('upload_metadata_invalid', 'The segment’s Upload-Metadata is invalid (endedAt is before startedAt).');
  }
  return parsed.data;
}

/**
 * Everything a creation request (POST) must get right before an upload is made: declared metadata,
 * a length within the limit that equals the sum of the chunks, and the token's own session.
 */
export function validateCreation(headers: IncomingHttpHeaders, claims: UploadClaims, maxBytes = MAX_SEGMENT_BYTES): SegmentMetadata {
  let raw: Record<string, string | null>;
  try {
    raw = Metadata.parse(header(headers, 'upload-metadata'));
  } catch {
    throw new ApiError('upload_metadata_invalid', 'Upload-Metadata is not valid tus metadata (key base64value, comma-separated).');
  }
  const meta = parseSegmentMetadata(raw);
  if (header(headers, 'upload-defer-length') !== undefined || header(headers, 'upload-length') === undefined) {
    throw new ApiError('upload_metadata_invalid', 'A segment declares its size up front: send Upload-Length.');
  }
  const lengthText = header(headers, 'upload-length') ?? '';
  const length = /^\d{1,15}$/.test(lengthText) ? Number(lengthText) : Number.NaN;
  if (!Number.isSafeInteger(length)) throw new ApiError('upload_metadata_invalid', 'Upload-Length must be a whole number of bytes.');
  if (length > maxBytes) {
    throw new ApiError('segment_too_large', `A segment may hold at most ${maxBytes} bytes; this one declares ${length}. Close segments sooner.`);
  }
  const declared = meta.chunkSizes.reduce((sum, size) => sum + size, 0);
  if (length === 0 || declared !== length) {
    throw new ApiError(
      'upload_metadata_invalid',
      length === 0 ? 'A segment holds at least one byte.' : `Upload-Length (${length}) is not the sum of chunkSizes (${declared}).`,
    );
  }
  checkSameSession(claims, meta.sessionId);
  return meta;
}
