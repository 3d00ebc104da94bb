import type { Kysely } from 'kysely';
import type { AttestationService } from '../attestation/attestationService';
import type { AuthService } from '../auth/authService';
import type { ChecksService } from '../checks/checksService';
import type { Database } from '../db/schema';
import type { MonitorEvents } from '../events/monitorEvents';
import type { ExamStore } from '../exams/examStore';
import type { DefineRoute } from '../http/route';
import type { IdentityService } from '../identity/identityService';
import type { RecordingFiles } from '../recording/recordingFiles';
import type { RecordingService } from '../recording/recordingService';
import type { SessionService } from '../sessions/sessionService';

/** What the route plugins are handed by `buildApp` (they create nothing themselves). */
export interface RouteDeps {
  readonly route: DefineRoute;
  readonly db: Kysely<Database>;
  readonly clock: () => number;
  readonly auth: AuthService;
  readonly exams: ExamStore;
  readonly sessions: SessionService;
  readonly recording: RecordingService;
  readonly files: RecordingFiles;
  readonly checks: ChecksService;
  readonly identity: IdentityService;
  readonly events: MonitorEvents;
  readonly attestation: AttestationService;
  readonly versions: { readonly minimumAppVersion: string; readonly serverVersion: string };
}
