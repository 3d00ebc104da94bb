import { join } from 'node:path';

/** Session ids are base64url; anything else must never become part of a path. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Where recording data lives under the data folder: tus uploads in progress, and per session the
 * verified take files (`take-<n>.webm`, exactly the bytes the chain covers) next to their remuxed,
 * seekable copies (`take-<n>.seekable.webm`, what proctors play).
 */
export class RecordingFiles {
  readonly uploadsDir: string;
  readonly recordingsDir: string;

  constructor(dataDir: string) {
    this.uploadsDir = join(dataDir, 'uploads');
    this.recordingsDir = join(dataDir, 'recordings');
  }

  sessionDir(sessionId: string): string {
    if (!SAFE_ID.test(sessionId)) throw new Error('unsafe session id for a path');
    return join(this.recordingsDir, sessionId);
  }

  takeFile(sessionId: string, take: number): string {
    return join(this.sessionDir(sessionId), `take-${take}.webm`);
  }

  /** Relative to `recordingsDir`, as the static file sender wants it. */
  seekableRelative(sessionId: string, take: number): string {
    if (!SAFE_ID.test(sessionId)) throw new Error('unsafe session id for a path');
    return `${sessionId}/take-${take}.seekable.webm`;
  }

  seekableFile(sessionId: string, take: number): string {
    return join(this.recordingsDir, this.seekableRelative(sessionId, take));
  }
}
