import { z } from 'zod';
import { route } from './route';
import { reviewApi } from './review';
import { gradingApi } from './grading';
import { riskApi } from './risk';
import { AccessAuditResponse, AccommodationView, SetAccommodationRequest } from './admin';
import { AttestedActionRequest, ChallengeRequest, ChallengeResponse, EnrollInstallRequest, EnrollInstallResponse } from './attestation';
import { RefreshRequest, SignInRequest, SignInResponse, SignOutRequest, TokenPair, UserView } from './auth';
import { BandwidthProbeReply, ChooseTranslatorRequest, RecordConsentRequest, SystemCheckReport, VersionPolicy } from './checks';
import { EventListResponse, PostEventsRequest, PostEventsResponse } from './events';
import { ExamListResponse } from './exams';
import { ContinueUnverifiedRequest, IdAttemptResult, IdentityRecordView, SubmitFacePhotoRequest, SubmitIdAttemptRequest } from './identity';
import { EndSessionRequest, LiveMessage, PauseSessionRequest, SendLiveMessageRequest, SessionControlReply } from './liveControl';
import { RecordingManifest, UploadTokenResponse } from './recording';
import {
  CreateSessionRequest,
  Receipt,
  SaveAnswersRequest,
  SaveAnswersResponse,
  SessionView,
  SubmitSectionRequest,
  TimeResponse,
} from './sessions';

const Empty = z.object({}).strict();
const SessionParams = z.object({ sessionId: z.string().min(1).max(64) });
const SectionParams = SessionParams.extend({ sectionId: z.string().min(1).max(64) });
const TakeParams = SessionParams.extend({ take: z.coerce.number().int().nonnegative() });
const ImageParams = SessionParams.extend({ imageId: z.string().min(1).max(64) });
const MessageParams = SessionParams.extend({ messageId: z.string().min(1).max(64) });

export { route, type RouteSpec } from './route';

/**
 * The HTTP API, once: the server registers these and the client calls them by name.
 * `staff` means proctor or admin.
 */
export const api = {
  time: route({ method: 'GET', path: '/api/time', auth: 'none', reply: TimeResponse }),
  signIn: route({ method: 'POST', path: '/api/auth/sign-in', auth: 'none', body: SignInRequest, reply: SignInResponse }),
  refresh: route({ method: 'POST', path: '/api/auth/refresh', auth: 'none', body: RefreshRequest, reply: TokenPair }),
  signOut: route({ method: 'POST', path: '/api/auth/sign-out', auth: 'none', body: SignOutRequest, reply: Empty }),
  me: route({ method: 'GET', path: '/api/me', auth: 'any', reply: UserView }),
  listExams: route({ method: 'GET', path: '/api/exams', auth: 'learner', reply: ExamListResponse }),
  createSession: route({ method: 'POST', path: '/api/sessions', auth: 'learner', body: CreateSessionRequest, reply: SessionView }),
  /** Desktop app only (release-key header): enrols this install's Ed25519 public key for the signed-in learner. */
  enrollInstall: route({ method: 'POST', path: '/api/installs', auth: 'learner', body: EnrollInstallRequest, reply: EnrollInstallResponse }),
  /** Desktop app only: a one-time nonce for the install to sign before startSession or openSection. */
  sessionChallenge: route({
    method: 'POST',
    path: '/api/sessions/:sessionId/challenge',
    auth: 'learner',
    params: SessionParams,
    body: ChallengeRequest,
    reply: ChallengeResponse,
  }),
  getSession: route({ method: 'GET', path: '/api/sessions/:sessionId', auth: 'any', params: SessionParams, reply: SessionView }),
  /** created → started, once consent, a passing system check, identity and the translator are recorded (`start_requirements_missing` otherwise). */
  startSession: route({
    method: 'POST',
    path: '/api/sessions/:sessionId/start',
    auth: 'learner',
    params: SessionParams,
    body: AttestedActionRequest,
    reply: SessionView,
  }),
  openSection: route({
    method: 'POST',
    path: '/api/sessions/:sessionId/sections/:sectionId/open',
    auth: 'learner',
    params: SectionParams,
    body: AttestedActionRequest,
    reply: SessionView,
  }),
  saveAnswers: route({
    method: 'POST',
    path: '/api/sessions/:sessionId/answers',
    auth: 'learner',
    params: SessionParams,
    body: SaveAnswersRequest,
    reply: SaveAnswersResponse,
  }),
  submitSection: route({
    method: 'POST',
    path: '/api/sessions/:sessionId/sections/:sectionId/submit',
    auth: 'learner',
    params: SectionParams,
    body: SubmitSectionRequest,
    reply: SessionView,
  }),
  submitSession: route({
    method: 'POST',
    path: '/api/sessions/:sessionId/submit',
    auth: 'learner',
    params: SessionParams,
    body: Empty,
    reply: Receipt,
  }),
  getReceipt: route({ method: 'GET', path: '/api/sessions/:sessionId/receipt', auth: 'any', params: SessionParams, reply: Receipt }),
  /** A token for the desktop host's uploader, scoped to this session's recording; learner only, own session. */
  recordingUploadToken: route({
    method: 'POST',
    path: '/api/sessions/:sessionId/recording/upload-token',
    auth: 'learner',
    params: SessionParams,
    body: Empty,
    reply: UploadTokenResponse,
  }),
  /** What has arrived: takes, gaps, bytes, chain head and whether it verified. Owner or staff. */
  recordingManifest: route({
    method: 'GET',
    path: '/api/sessions/:sessionId/recording',
    auth: 'any',
    params: SessionParams,
    reply: RecordingManifest,
  }),
  /** A finished take as video/webm with HTTP Range support. Staff only. The reply is the video, not JSON. */
  recordingTake: route({
    method: 'GET',
    path: '/api/sessions/:sessionId/recording/takes/:take',
    auth: 'staff',
    params: TakeParams,
    reply: z.unknown(),
  }),
  /** The server's minimum app version (the system check compares). */
  versionPolicy: route({ method: 'GET', path: '/api/version', auth: 'none', reply: VersionPolicy }),
  /** Upload bandwidth probe: a body of BANDWIDTH_PROBE_BYTES (application/octet-stream), timed by the client. */
  bandwidthProbe: route({ method: 'POST', path: '/api/probe/upload', auth: 'learner', reply: BandwidthProbeReply }),
  recordConsent: route({
    method: 'POST',
    path: '/api/sessions/:sessionId/consent',
    auth: 'learner',
    params: SessionParams,
    body: RecordConsentRequest,
    reply: SessionView,
  }),
  /** The latest system check report replaces earlier ones (all are kept for the proctor). */
  saveSystemCheck: route({
    method: 'POST',
    path: '/api/sessions/:sessionId/system-check',
    auth: 'learner',
    params: SessionParams,
    body: SystemCheckReport,
    reply: SessionView,
  }),
  chooseTranslator: route({
    method: 'POST',
    path: '/api/sessions/:sessionId/translator',
    auth: 'learner',
    params: SessionParams,
    body: ChooseTranslatorRequest,
    reply: SessionView,
  }),
  submitFacePhoto: route({
    method: 'POST',
    path: '/api/sessions/:sessionId/identity/face',
    auth: 'learner',
    params: SessionParams,
    body: SubmitFacePhotoRequest,
    reply: IdentityRecordView,
  }),
  /** One ID photo with what the app read; the server recomputes the name verdict. At most three. */
  submitIdAttempt: route({
    method: 'POST',
    path: '/api/sessions/:sessionId/identity/attempts',
    auth: 'learner',
    params: SessionParams,
    body: SubmitIdAttemptRequest,
    reply: IdAttemptResult,
  }),
  continueUnverified: route({
    method: 'POST',
    path: '/api/sessions/:sessionId/identity/continue',
    auth: 'learner',
    params: SessionParams,
    body: ContinueUnverifiedRequest,
    reply: IdentityRecordView,
  }),
  /** Owner (without duplicates) or staff. */
  getIdentity: route({ method: 'GET', path: '/api/sessions/:sessionId/identity', auth: 'any', params: SessionParams, reply: IdentityRecordView }),
  /** An identity image (image/jpeg). Staff only, like recordings. */
  identityImage: route({
    method: 'GET',
    path: '/api/sessions/:sessionId/identity/images/:imageId',
    auth: 'staff',
    params: ImageParams,
    reply: z.unknown(),
  }),
  /** The stored system check reports, newest first. Owner or staff. */
  listSystemChecks: route({
    method: 'GET',
    path: '/api/sessions/:sessionId/system-checks',
    auth: 'any',
    params: SessionParams,
    reply: z.object({ reports: z.array(SystemCheckReport) }),
  }),
  /** Lockdown and network events; idempotent by event id. */
  postEvents: route({
    method: 'POST',
    path: '/api/sessions/:sessionId/events',
    auth: 'learner',
    params: SessionParams,
    body: PostEventsRequest,
    reply: PostEventsResponse,
  }),
  listEvents: route({ method: 'GET', path: '/api/sessions/:sessionId/events', auth: 'staff', params: SessionParams, reply: EventListResponse }),
  setAccommodation: route({
    method: 'PUT',
    path: '/api/admin/accommodations',
    auth: 'admin',
    body: SetAccommodationRequest,
    reply: AccommodationView,
  }),
  /** Who viewed this attempt's recording takes, ID images and answers, and when. Administrators only. */
  accessAudit: route({
    method: 'GET',
    path: '/api/admin/sessions/:sessionId/access-audit',
    auth: 'admin',
    params: SessionParams,
    reply: AccessAuditResponse,
  }),
  /** Live proctoring: a message the learner must acknowledge. Staff, on an attempt in progress. */
  sendLiveMessage: route({
    method: 'POST',
    path: '/api/live/sessions/:sessionId/messages',
    auth: 'staff',
    params: SessionParams,
    body: SendLiveMessageRequest,
    reply: SessionControlReply,
  }),
  /** Stops the attempt's time: answers and sections wait (`session_paused`) until resumed. */
  pauseSession: route({
    method: 'POST',
    path: '/api/live/sessions/:sessionId/pause',
    auth: 'staff',
    params: SessionParams,
    body: PauseSessionRequest,
    reply: SessionControlReply,
  }),
  /** The open section's deadline moves later by the paused time (capped by the exam window). */
  resumeSession: route({ method: 'POST', path: '/api/live/sessions/:sessionId/resume', auth: 'staff', params: SessionParams, body: Empty, reply: SessionControlReply }),
  /** Ends the attempt as a timed-out one, with a `proctor_ended` flag carrying the reason. */
  endSession: route({
    method: 'POST',
    path: '/api/live/sessions/:sessionId/end',
    auth: 'staff',
    params: SessionParams,
    body: EndSessionRequest,
    reply: SessionControlReply,
  }),
  /** The learner's "I have read this" for a proctor's message on their own attempt. */
  ackLiveMessage: route({
    method: 'POST',
    path: '/api/sessions/:sessionId/live-messages/:messageId/ack',
    auth: 'learner',
    params: MessageParams,
    body: Empty,
    reply: LiveMessage,
  }),
  /** Proctor review: queue, claims under a lease, decisions, comments. */
  ...reviewApi,
  /** A session's risk score and how it was reached. */
  ...riskApi,
  /** Grading of short answers, results, their release and export (administrators); a learner's own result. */
  ...gradingApi,
} as const;

export type Api = typeof api;
export type RouteName = keyof Api;
export type BodyOf<N extends RouteName> = Api[N] extends { body: z.ZodType } ? z.input<Api[N]['body']> : undefined;
export type ParamsOf<N extends RouteName> = Api[N] extends { params: z.ZodType } ? z.input<Api[N]['params']> : undefined;
export type ReplyOf<N extends RouteName> = z.infer<Api[N]['reply']>;

/** Fills `:param` placeholders, encoding each value. */
export function buildPath(path: string, params: Record<string, string> | undefined): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
}
