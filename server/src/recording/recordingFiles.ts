import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Session ids are base64url; anything else must never become part of a path. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Where recording data lives under the data folder: tus uploads in progress, and per session the
 * verified segments of each take (`take-<n>/segment-<m>.webm`, each exactly the bytes its chain
 * covers; the take is their concatenation in order) next to the remuxed, seekable take
 * (`take-<n>.seekable.webm`, what proctors play). Servers before this layout appended segments to one
 * `take-<n>.webm`; such a file is read as the start of its take.
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

  takeDir(sessionId: string, take: number): string {
    return join(this.sessionDir(sessionId), `take-${take}`);
  }

  segmentFile(sessionId: string, take: number, segment: number): string {
    return join(this.takeDir(sessionId, take), `segment-${segment}.webm`);
  }

  /** The earlier layout's whole-take file (appended segment by segment). */
  legacyTakeFile(sessionId: string, take: number): string {
    return join(this.sessionDir(sessionId), `take-${take}.webm`);
  }

  /**
   * The files whose concatenation is the take of `segments` stored segments: a legacy take file first
   * when there is one (it holds the segments that have no file of their own), then the segment files.
   * Without a legacy file every segment file is listed, so a missing one fails the remux loudly.
   */
  takeInputs(sessionId: string, take: number, segments: number): string[] {
    const legacy = this.legacyTakeFile(sessionId, take);
    const hasLegacy = existsSync(legacy);
    const inputs = hasLegacy ? [legacy] : [];
    for (let m = 0; m < segments; m += 1) {
      const file = this.segmentFile(sessionId, take, m);
      if (!hasLegacy || existsSync(file)) inputs.push(file);
    }
    return inputs;
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
