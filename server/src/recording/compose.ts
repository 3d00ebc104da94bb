import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { TokenService } from '../auth/tokens';
import type { Dialect } from '../db/connect';
import type { Database } from '../db/schema';
import type { ExamStore } from '../exams/examStore';
import type { MediaTool } from '../media/mediaTool';
import { RemuxQueue } from '../media/remuxQueue';
import { PlaybackTokens } from './playbackTokens';
import { DEFAULT_MAX_OPEN_UPLOADS, DEFAULT_RECORDING_QUOTA_KBPS } from './quota';
import { RecordingFiles } from './recordingFiles';
import { RecordingRepo } from './recordingRepo';
import { RecordingService } from './recordingService';
import { SegmentIntake } from './segmentIntake';
import { UPLOAD_EXPIRATION_MS, UploadEndpoint } from './uploadEndpoint';
import { UploadGate } from './uploadGate';

export interface TakeProcessed {
  readonly sessionId: string;
  readonly take: number;
  readonly playable: boolean;
  readonly durationMs: number | null;
}

export interface RecordingParts {
  readonly app: FastifyInstance;
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly exams: ExamStore;
  readonly tokens: TokenService;
  readonly clock: () => number;
  readonly wallClock: () => number;
  readonly dataDir: string;
  readonly media: MediaTool;
  readonly maxSegmentBytes: number;
  /** Per-attempt recording quota in kbit/s over the exam's timed length plus an hour; DEFAULT_RECORDING_QUOTA_KBPS by default. */
  readonly recordingQuotaKbps?: number | undefined;
  /** Unfinished uploads one attempt may hold at once; DEFAULT_MAX_OPEN_UPLOADS by default. */
  readonly maxOpenUploads?: number | undefined;
  readonly onTakeProcessed?: ((event: TakeProcessed) => void) | undefined;
  /**
   * Key of the playback tokens (`?playback=` media URLs); the JWT secret, so every instance of a
   * scaled-out server accepts them. Without it, a random per-process key (one instance only).
   */
  readonly playbackSecret?: string | undefined;
}

/** How often expired uploads are deleted (and stranded finished ones taken in). */
const SWEEP_INTERVAL_MS = 15 * 60_000;

/**
 * Wires the recording pipeline for `buildApp`: tus endpoint → segment intake → segment files → remux
 * queue → manifest. Start-up resumes what a stop interrupted (queued remuxes, finished uploads).
 */
export async function composeRecording(p: RecordingParts): Promise<{ service: RecordingService; files: RecordingFiles }> {
  const log = p.app.log;
  const files = new RecordingFiles(p.dataDir);
  await mkdir(files.uploadsDir, { recursive: true, mode: 0o700 });
  await mkdir(files.recordingsDir, { recursive: true, mode: 0o700 });
  const repo = new RecordingRepo(p.db);

  const remux = new RemuxQueue({
    media: p.media,
    log,
    clock: p.clock,
    done: async (job, result) => {
      const durationMs = result.ok ? result.durationMs : null;
      await repo.setRemux(job.sessionId, job.take, result.ok ? 'done' : 'failed', durationMs);
      p.onTakeProcessed?.({ sessionId: job.sessionId, take: job.take, playable: result.ok, durationMs });
    },
  });
  // The take's segment count comes from the database, so a stray file a stop left behind is never read.
  const takeInputs = async (sessionId: string, take: number): Promise<readonly string[]> =>
    files.takeInputs(sessionId, take, (await repo.take(sessionId, take))?.segments ?? 0);
  const takeEnded = (sessionId: string, take: number): void =>
    remux.enqueue({ sessionId, take, inputs: () => takeInputs(sessionId, take), output: files.seekableFile(sessionId, take) });

  const intake = new SegmentIntake({ repo, files, clock: p.clock, log, takeEnded });
  const gate = new UploadGate({
    db: p.db,
    dialect: p.dialect,
    exams: p.exams,
    quotaKbps: p.recordingQuotaKbps ?? DEFAULT_RECORDING_QUOTA_KBPS,
    maxOpenUploads: p.maxOpenUploads ?? DEFAULT_MAX_OPEN_UPLOADS,
    wallClock: p.wallClock,
    expirationMs: UPLOAD_EXPIRATION_MS,
  });
  const uploads = new UploadEndpoint({
    files,
    tokens: p.tokens,
    db: p.db,
    dialect: p.dialect,
    intake,
    gate,
    log,
    clock: p.clock,
    wallClock: p.wallClock,
    expirationMs: UPLOAD_EXPIRATION_MS,
    maxSegmentBytes: p.maxSegmentBytes,
  });
  await uploads.register(p.app);

  for (const take of await repo.pendingRemux()) takeEnded(take.session_id, take.take_index);
  const swept = await uploads.sweep();
  log.info({ ...swept }, 'upload store swept');
  const timer = setInterval(() => {
    uploads
      .sweep()
      .then((result) => log.info({ ...result }, 'upload store swept'))
      .catch((error: unknown) => log.error({ err: error }, 'upload store sweep failed'));
  }, SWEEP_INTERVAL_MS);
  timer.unref();
  p.app.addHook('onClose', async () => {
    clearInterval(timer);
    await remux.idle();
  });

  const playback = new PlaybackTokens({ secret: p.playbackSecret ?? randomBytes(32), clock: p.clock });
  return { service: new RecordingService({ db: p.db, dialect: p.dialect, exams: p.exams, tokens: p.tokens, repo, files, playback }), files };
}
