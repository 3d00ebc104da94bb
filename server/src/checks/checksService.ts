import type { Kysely } from 'kysely';
import { type SessionView, SystemCheckReport, reportBlocks, type UserView } from '../../../shared/api';
import { resolvePolicy } from '../../../shared/domain/examPolicy';
import type { TranslatorId } from '../../../shared/domain/translatorUrls';
import type { Dialect } from '../db/connect';
import type { Database } from '../db/schema';
import { ApiError } from '../errors';
import type { ExamStore } from '../exams/examStore';
import { loadSession } from '../sessions/context';
import { buildSessionView } from '../sessions/view';
import { meetsMinimum } from '../version';
import { runBeforeStart } from './startChecks';

export interface ChecksServiceOptions {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly exams: ExamStore;
  readonly clock: () => number;
  /** Reports from older apps are refused (`app_version_too_old`). */
  readonly minAppVersion: string;
}

/** Consent, system check reports and the translator choice: what the learner does before the start. */
export class ChecksService {
  constructor(private readonly o: ChecksServiceOptions) {}

  recordConsent(user: UserView, sessionId: string, version: string): Promise<SessionView> {
    return runBeforeStart(this.o, user, sessionId, 'give consent now', async (trx, loaded, now) => {
      await trx.updateTable('start_checks').set({ consent_version: version, consent_at: now }).where('session_id', '=', sessionId).execute();
      return buildSessionView(trx, loaded);
    });
  }

  /**
   * Stores the report (every one is kept) and its verdict: it passes unless an item failed. The
   * report must come from the kind of client the session was created with, and from an app the
   * server still accepts.
   */
  saveSystemCheck(user: UserView, sessionId: string, report: SystemCheckReport): Promise<SessionView> {
    return runBeforeStart(this.o, user, sessionId, 'run the system check now', async (trx, loaded, now) => {
      if (report.hostKind !== loaded.session.client) {
        throw new ApiError(
          'validation_failed',
          `This attempt was started in the ${loaded.session.client === 'web' ? 'browser' : 'desktop app'}; run the system check there.`,
          [{ path: 'body.hostKind', message: `must be ${loaded.session.client} for this attempt` }],
        );
      }
      if (!meetsMinimum(report.appVersion, this.o.minAppVersion)) {
        throw new ApiError(
          'app_version_too_old',
          `This version of Invigil (${report.appVersion}) is too old; version ${this.o.minAppVersion} or later is needed. Update the app and try again.`,
        );
      }
      await trx
        .insertInto('system_checks')
        .values({ session_id: sessionId, report: JSON.stringify(report), passed: reportBlocks(report) ? 0 : 1, created_at: now })
        .execute();
      return buildSessionView(trx, loaded);
    });
  }

  chooseTranslator(user: UserView, sessionId: string, translator: TranslatorId): Promise<SessionView> {
    return runBeforeStart(this.o, user, sessionId, 'choose a translator now', async (trx, loaded, now) => {
      const policy = resolvePolicy(loaded.exam);
      if (policy.translators === 'none') {
        throw new ApiError('translator_not_allowed', 'No translator is allowed in this exam.');
      }
      if (!policy.approvedTranslators.includes(translator)) {
        throw new ApiError('translator_not_allowed', `This exam offers these translators only: ${policy.approvedTranslators.join(', ')}.`);
      }
      await trx.updateTable('start_checks').set({ translator, translator_at: now }).where('session_id', '=', sessionId).execute();
      return buildSessionView(trx, loaded);
    });
  }

  /** Newest first; the owner or staff. */
  async listSystemChecks(user: UserView, sessionId: string): Promise<{ reports: SystemCheckReport[] }> {
    await loadSession(this.o.db, this.o.exams, this.o.dialect, sessionId, user, { lock: false });
    const rows = await this.o.db
      .selectFrom('system_checks')
      .select('report')
      .where('session_id', '=', sessionId)
      .orderBy('id', 'desc')
      .execute();
    return { reports: rows.map((r) => SystemCheckReport.parse(JSON.parse(r.report))) };
  }
}
