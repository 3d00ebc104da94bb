import { ApiError } from '../errors';

/** Error codes that mean the disk (or the database's disk) is full: the OS's, SQLite's and PostgreSQL's (SQLSTATE 53100). */
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', '53100']);

/** The code of the first error in `error`'s cause chain that says the storage is full, or null. */
export function storageFullCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && FULL_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** What the uploader is told when the server cannot store what it sent for lack of space (507). */
export const storageFull = (): ApiError =>
  new ApiError(
    'storage_full',
    'The server has run out of storage space and could not keep this upload. Nothing is lost: keep the recording and send it again later.',
  );
