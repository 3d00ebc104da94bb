import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Kysely } from 'kysely';
import { api, MAX_SEGMENT_BYTES, SERVER_TIME_HEADER } from '../../shared/api';
import { DEFAULT_WRITE_GRACE_MS } from '../../shared/domain/deadline';
import { AttestationService } from './attestation/attestationService';
import { ReleaseKeyCheck } from './attestation/releaseKeys';
import { AuthService } from './auth/authService';
import { ChecksService } from './checks/checksService';
import { DEFAULT_ACCESS_TTL_SECONDS, TokenService } from './auth/tokens';
import { dialectOf } from './db/connect';
import { migrateToLatest } from './db/migrations';
import type { Database } from './db/schema';
import { ApiError, registerErrorHandling } from './errors';
import { MonitorEvents } from './events/monitorEvents';
import { ExamStore } from './exams/examStore';
import { GradingService } from './grading/gradingService';
import { deriveGradingKey } from './grading/responseIds';
import gradingRoutes from './grading/routes';
import type { GradingDatabase } from './grading/schema';
import { API_RESPONSE_HEADERS } from './http/responseHeaders';
import { createRouteDefiner } from './http/route';
import { deriveIdentitySecret } from './identity/documentHash';
import { IdentityFiles } from './identity/identityFiles';
import { type IdentityInspector, NodeIdentityInspector } from './identity/identityInspector';
import { IdentityService } from './identity/identityService';
import { LiveControlService } from './live/control/liveControlService';
import liveControlRoutes from './live/control/routes';
import { registerLive, type LiveOptions } from './live/livePlugin';
import { FfmpegMediaTool, type MediaTool } from './media/mediaTool';
import { composeRecording, type TakeProcessed } from './recording/compose';
import type { RandomBytes } from './random';
import adminRoutes from './routes/admin';
import attestationRoutes from './routes/attestation';
import authRoutes from './routes/auth';
import checkRoutes from './routes/checks';
import type { RouteDeps } from './routes/deps';
import { ReviewQueue } from './review/reviewQueue';
import reviewRoutes from './review/routes';
import { feedReviewQueue, startReviewFeeder } from './review/reviewFeeder';
import { DEFAULT_RETENTION_DAYS, startRetention } from './review/retention';
import type { ReviewDatabase } from './review/schema';
import eventRoutes from './routes/events';
import examRoutes from './routes/exams';
import identityRoutes from './routes/identity';
import meRoutes from './routes/me';
import recordingRoutes from './routes/recording';
import sessionRoutes from './routes/sessions';
import timeRoutes from './routes/time';
import { runSeed, type SeedKind } from './seed';
import { SessionService } from './sessions/sessionService';
import { DEFAULT_MIN_APP_VERSION, readServerVersion } from './version';

export const BODY_LIMIT_BYTES = 256 * 1024;

/** `<repo>/assets/exams`, found from this file's location so the working directory does not matter. */
export const DEFAULT_EXAMS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../assets/exams');

export interface AppOptions {
  /** Opened by the caller, who also destroys it after `app.close()`. */
  readonly db: Kysely<Database>;
  readonly jwtSecret: string;
  readonly clock?: () => number;
  readonly random?: RandomBytes;
  /** A pino logger, or false for none. */
  readonly logger?: FastifyBaseLogger | false;
  readonly writeGraceMs?: number;
  readonly accessTtlSeconds?: number;
  /** Exams always load; `demo` adds the demo accounts, `test` adds `<examsDir>/test/*.json`. */
  readonly seed?: readonly SeedKind[];
  readonly examsDir?: string;
  /** Folder for tus uploads (`uploads/`) and recordings (`recordings/`). */
  readonly dataDir: string;
  /** Remux and probe; Debian's ffmpeg/ffprobe on PATH by default. */
  readonly media?: MediaTool;
  /** Told when a finished take has been remuxed (or failed to be). */
  readonly onTakeProcessed?: (event: TakeProcessed) => void;
  /** Real time, for the tus store's upload expiry (it stamps uploads with real time). */
  readonly wallClock?: () => number;
  /** Largest segment upload accepted; the contract's MAX_SEGMENT_BYTES by default. */
  readonly maxSegmentBytes?: number;
  /** Per-attempt recording quota: kbit/s over the exam's timed length plus an hour (recording/quota.ts). */
  readonly recordingQuotaKbps?: number;
  /** Unfinished recording uploads one attempt may hold at once (recording/quota.ts). */
  readonly maxOpenUploads?: number;
  /**
   * Which proxies' X-Forwarded-For to believe (Fastify's trustProxy). Off by default: behind a
   * reverse proxy every learner would otherwise share the proxy's address for rate limits.
   */
  readonly trustProxy?: boolean | number | string[];
  /** The oldest app version accepted; DEFAULT_MIN_APP_VERSION by default. */
  readonly minAppVersion?: string;
  /** HMAC key for ID document numbers; derived from `jwtSecret` when absent (see config.ts). */
  readonly identitySecret?: string;
  /** Days after the final decision before recordings and ID images are deleted (0: kept); 365 by default. */
  readonly retentionDays?: number;
  /** tesseract.js workers that read ID photos on the server (`ocrWorkers` setting); 1 by default. */
  readonly ocrWorkers?: number;
  /**
   * The server's reader of ID photos and faces. Given: the caller starts and closes it (tests share one
   * warm reader across apps). Absent: the app makes one with `ocrWorkers` workers, started by the first
   * ID photo, and closes it with the app.
   */
  readonly identityInspector?: IdentityInspector;
  /** Release keys of the desktop builds accepted (hex); none by default, so no client is attested. */
  readonly releaseKeys?: readonly string[];
  /** The origin learners' apps call, when a proxy in front changes it (attestation hashes that URL). */
  readonly publicUrl?: string;
  /**
   * Live proctoring (live/): its settings, with `enabled: false` for a socket that answers
   * `live_unavailable`. Absent: no live socket at all (tests that do not need it).
   */
  readonly live?: LiveOptions;
}

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/**
 * The review server as a composition of plugins. Migrates the database and loads the seed before
 * returning, so a bad exam file or a failed migration stops start-up with a clear error.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? Date.now;
  const random = options.random ?? ((size: number) => randomBytes(size));
  const { db } = options;
  const dialect = dialectOf(db);

  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: BODY_LIMIT_BYTES,
    // A hop count becomes proxy-addr's equivalent function (Fastify's types leave the number form out).
    trustProxy: typeof options.trustProxy === 'number' ? trustHops(options.trustProxy) : (options.trustProxy ?? false),
    // One compact line per request from the onResponse hook below instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });

  const migrations = await migrateToLatest(db as Kysely<unknown>, dialect);
  const exams = new ExamStore(db, clock);
  const seeded = await runSeed({ db, exams, clock, random, seed: options.seed ?? [], examsDir: options.examsDir ?? DEFAULT_EXAMS_DIR });
  app.log.info({ dialect, migrations: migrations.length, exams: seeded.exams, accountsCreated: seeded.accountsCreated }, 'database ready');
  app.log.info({ releaseKeys: options.releaseKeys?.length ?? 0 }, 'desktop release keys accepted');

  const tokens = new TokenService({
    secret: options.jwtSecret,
    clock,
    random,
    accessTtlSeconds: options.accessTtlSeconds ?? DEFAULT_ACCESS_TTL_SECONDS,
  });
  const auth = new AuthService({ db, tokens, clock, random, log: app.log });
  const attestation = new AttestationService({
    db,
    clock,
    random,
    exams,
    dialect,
    releaseKeys: new ReleaseKeyCheck(options.releaseKeys ?? [], options.publicUrl),
  });
  const sessions = new SessionService({
    db,
    dialect,
    exams,
    clock,
    random,
    writeGraceMs: options.writeGraceMs ?? DEFAULT_WRITE_GRACE_MS,
    attestation,
  });

  // The API speaks JSON only: a text body is a client mistake, answered with 415 rather than a confusing 400.
  app.removeContentTypeParser('text/plain');

  // First, so they are on every reply, including CORS preflights, errors and 404s.
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(API_RESPONSE_HEADERS);
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header(SERVER_TIME_HEADER, String(clock()));
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    // Ids, sizes and durations only: never bodies, tokens or answers.
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? null,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        reqBytes: Number(request.headers['content-length'] ?? 0),
        resBytes: Number(reply.getHeader('content-length') ?? 0),
      },
      'request',
    );
  });

  // Clients authenticate with bearer tokens, never cookies: any origin may call, without credentials.
  await app.register(cors, {
    origin: '*',
    credentials: false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    exposedHeaders: [SERVER_TIME_HEADER],
  });
  await app.register(rateLimit, {
    global: false,
    // After body parsing, so the key can include the email being tried.
    hook: 'preHandler',
    errorResponseBuilder: (_request, context) =>
      new ApiError('rate_limited', `Too many attempts. Wait ${context.after} and try again.`),
  });
  registerErrorHandling(app);

  const recording = await composeRecording({
    app,
    db,
    dialect,
    exams,
    tokens,
    clock,
    wallClock: options.wallClock ?? Date.now,
    dataDir: options.dataDir,
    media: options.media ?? new FfmpegMediaTool({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' }),
    maxSegmentBytes: options.maxSegmentBytes ?? MAX_SEGMENT_BYTES,
    recordingQuotaKbps: options.recordingQuotaKbps,
    maxOpenUploads: options.maxOpenUploads,
    onTakeProcessed: options.onTakeProcessed,
    playbackSecret: options.jwtSecret,
  });

  const identityFiles = new IdentityFiles(options.dataDir);
  await mkdir(identityFiles.root, { recursive: true, mode: 0o700 });
  let inspector = options.identityInspector;
  if (!inspector) {
    // Started by the first ID photo (the workers, then the face models), so start-up never waits for it.
    const own = new NodeIdentityInspector({ ocrWorkers: options.ocrWorkers ?? 1, log: app.log });
    app.addHook('onClose', async () => own.close());
    inspector = own;
  }
  const minAppVersion = options.minAppVersion ?? DEFAULT_MIN_APP_VERSION;

  const deps: RouteDeps = {
    route: createRouteDefiner((h) => auth.authenticate(h)),
    db,
    clock,
    auth,
    exams,
    sessions,
    recording: recording.service,
    files: recording.files,
    checks: new ChecksService({ db, dialect, exams, clock, minAppVersion }),
    identity: new IdentityService({
      db,
      dialect,
      exams,
      clock,
      random,
      files: identityFiles,
      documentKey: options.identitySecret ?? deriveIdentitySecret(options.jwtSecret),
      inspector,
    }),
    events: new MonitorEvents({ db, dialect, exams, clock }),
    attestation,
    versions: { minimumAppVersion: minAppVersion, serverVersion: await readServerVersion() },
  };
  const plugins = [timeRoutes, authRoutes, meRoutes, examRoutes, attestationRoutes, sessionRoutes, checkRoutes, identityRoutes, eventRoutes, recordingRoutes, adminRoutes];
  for (const plugin of plugins) {
    await app.register(plugin, deps);
  }

  // Review: finished attempts enter the queue (after each submit, and on a timer for those that timed out).
  const reviewDb = db as unknown as Kysely<ReviewDatabase>;
  const review = new ReviewQueue({ db: reviewDb, dialect, clock, random });
  await app.register(reviewRoutes, { route: deps.route, review });
  const feed = () => feedReviewQueue(reviewDb, review, deps.events.riskOf);
  app.addHook('onResponse', async (request, reply) => {
    const url = request.routeOptions.url;
    if ((url === api.submitSession.path || url === api.endSession.path) && reply.statusCode === 200) {
      await feed().catch((error: unknown) => request.log.error({ err: error }, 'review queue feed failed'));
    }
  });
  const stopFeeder = startReviewFeeder(feed, app.log);
  // Grading of short answers, results and their release (administrators); learners read their own result.
  const grading = new GradingService({ db: db as unknown as Kysely<GradingDatabase>, exams, clock, responseKey: deriveGradingKey(options.jwtSecret) });
  await app.register(gradingRoutes, { route: deps.route, grading });
  app.addHook('onClose', async () => stopFeeder());
  // Retention: recordings and ID images go a set number of days after the final decision; the audit stays.
  const stopRetention = startRetention({
    db: reviewDb,
    clock,
    days: options.retentionDays ?? DEFAULT_RETENTION_DAYS,
    recordingsDir: recording.files.recordingsDir,
    identityDir: identityFiles.root,
    log: app.log,
  });
  app.addHook('onClose', async () => stopRetention());
  // Live proctoring: never needed by recording or review; without a worker it logs why and stays off.
  const live = options.live
    ? await registerLive(app, { ...options.live, db, exams, clock, log: app.log, authenticate: async (token) => auth.authenticate(`Bearer ${token}`) })
    : null;
  // Proctor actions on a live attempt: stored and audited whether or not the live socket runs.
  const control = new LiveControlService({ db, dialect, exams, clock, random, sessions, notifier: () => live });
  await app.register(liveControlRoutes, { route: deps.route, control });
  return app;
}
