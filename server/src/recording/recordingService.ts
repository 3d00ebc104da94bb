import type { RecordingManifest, SessionStatus, UploadTokenResponse, UserView } from '../../../shared/api';
import type { Kysely } from 'kysely';
import type { TokenService } from '../auth/tokens';
import type { Dialect } from '../db/connect';
import type { Database } from '../db/schema';
import { ApiError } from '../errors';
import type { ExamStore } from '../exams/examStore';
import { illegalTransition, loadSession } from '../sessions/context';
import { assembleManifest } from './manifest';
import type { PlaybackClaims, PlaybackTokens } from './playbackTokens';
import type { RecordingFiles } from './recordingFiles';
import type { RecordingRepo } from './recordingRepo';
import { sessionClosed, uploadWindow, windowFacts } from './uploadWindow';

export interface RecordingServiceOptions {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly exams: ExamStore;
  readonly tokens: TokenService;
  readonly repo: RecordingRepo;
  readonly files: RecordingFiles;
  readonly playback: PlaybackTokens;
}

/** Upload tokens, manifests and playback lookups; the upload path itself is UploadEndpoint. */
export class RecordingService {
  constructor(private readonly o: RecordingServiceOptions) {}

  async uploadToken(user: UserView, sessionId: string, endpoint: string): Promise<UploadTokenResponse> {
    const { session } = await loadSession(this.o.db, this.o.exams, this.o.dialect, sessionId, user, { lock: false });
    // Recording runs from the exam's start; uploads continue after submit until review's first decision.
    const facts = await windowFacts(this.o.db, sessionId, { lock: false, dialect: this.o.dialect });
    const window = facts ? uploadWindow(facts) : 'closed';
    if (window === 'not_started') throw illegalTransition(session.status as SessionStatus, 'upload its recording');
    if (window === 'closed') throw sessionClosed(facts?.decided ?? false);
    const { token, expiresAt } = await this.o.tokens.issueUpload({ userId: user.id, sessionId });
    return { endpoint, token, expiresAt: new Date(expiresAt).toISOString() };
  }

  async manifest(user: UserView, sessionId: string): Promise<RecordingManifest> {
    await loadSession(this.o.db, this.o.exams, this.o.dialect, sessionId, user, { lock: false });
    const { head, takes, segments } = await this.o.repo.load(sessionId);
    return assembleManifest(sessionId, head, takes, segments);
  }

  /** A short-lived token for one session's media URLs (`?playback=`); staff only. */
  async playbackToken(user: UserView, sessionId: string): Promise<{ token: string; expiresAt: number }> {
    await loadSession(this.o.db, this.o.exams, this.o.dialect, sessionId, user, { lock: false });
    return this.o.playback.issue({ userId: user.id, role: user.role, sessionId });
  }

  /** Throws 401 unless `token` is a current playback token for this session. */
  verifyPlayback(token: string | undefined, sessionId: string): Promise<PlaybackClaims> {
    return this.o.playback.verify(token, sessionId);
  }

  /** The remuxed take's path relative to the recordings folder; 404 unless it is playable. */
  async playableTake(user: UserView, sessionId: string, take: number): Promise<string> {
    await loadSession(this.o.db, this.o.exams, this.o.dialect, sessionId, user, { lock: false });
    const row = await this.o.repo.take(sessionId, take);
    if (!row || row.remux_status !== 'done') {
      throw new ApiError(
        'recording_not_found',
        row ? `Take ${take} is not playable yet (it is still recording, being processed, or processing failed).` : `This attempt has no take ${take}.`,
      );
    }
    return this.o.files.seekableRelative(sessionId, take);
  }
}
