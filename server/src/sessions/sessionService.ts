import type { Kysely } from 'kysely';
import type {
  ClientKind,
  Receipt,
  SaveAnswersRequest,
  SaveAnswersResponse,
  SessionStatus,
  SessionView,
  SubmitSectionRequest,
  UserView,
} from '../../../shared/api';
import { computeDeadline } from '../../../shared/domain/deadline';
import { isInProgress, isResumable } from '../../../shared/domain/sessionStatus';
import type { Dialect } from '../db/connect';
import type { Database } from '../db/schema';
import { ApiError } from '../errors';
import type { ExamStore } from '../exams/examStore';
import { parseInstant } from '../exams/views';
import { resolvePolicy } from '../../../shared/domain/examPolicy';
import { randomId, receiptCode, type RandomBytes } from '../random';
import {
  type Db,
  expireOverdueSections,
  illegalTransition,
  type LoadedSession,
  loadSession,
  recordEvent,
  refuseIfPaused,
  transition,
  timeMultiplierFor,
} from './context';
import { buildReceipt, grade, latestValues } from './receipt';
import { saveAnswers } from './saveAnswers';
import { buildSessionView, loadSections } from './view';
import { isUniqueViolation } from '../db/uniqueViolation';
import { loadStartChecks, missingSteps } from '../checks/startChecks';
import type { AttestationService, ClientProof } from '../attestation/attestationService';

export interface SessionServiceOptions {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly exams: ExamStore;
  readonly clock: () => number;
  readonly random: RandomBytes;
  readonly writeGraceMs: number;
  readonly attestation: AttestationService;
}

/** Exam attempts: one transaction per request; every read first closes sections whose time ran out. */
export class SessionService {
  constructor(private readonly o: SessionServiceOptions) {}

  private inSession<T>(
    sessionId: string,
    user: UserView,
    work: (trx: Db, loaded: LoadedSession, now: number) => Promise<T>,
  ): Promise<T> {
    return this.o.db.transaction().execute(async (trx) => {
      const now = this.o.clock();
      const loaded = await loadSession(trx, this.o.exams, this.o.dialect, sessionId, user, { lock: true });
      await expireOverdueSections(trx, sessionId, now, this.o.writeGraceMs);
      await this.finishIfTimedOut(trx, loaded, now);
      return work(trx, loaded, now);
    });
  }

  private checkWindow(exam: LoadedSession['exam'], now: number): void {
    const opens = parseInstant(exam.windowOpensAt);
    const closes = parseInstant(exam.windowClosesAt);
    if (opens !== null && now < opens) {
      throw new ApiError('exam_not_open', `This exam opens at ${new Date(opens).toISOString()}. Come back then.`);
    }
    if (closes !== null && now >= closes) {
      throw new ApiError('exam_closed', `This exam closed at ${new Date(closes).toISOString()}. Contact course staff if you believe this is wrong.`);
    }
  }

  /** Returns the learner's attempt in progress, or creates one if the exam's rules allow. */
  async createOrResume(user: UserView, examId: string, client: ClientKind): Promise<SessionView> {
    try {
      return await this.createOrResumeOnce(user, examId, client);
    } catch (error) {
      // A double click can race two creations to the same attempt number; the loser resumes the winner's.
      if (!isUniqueViolation(error)) throw error;
      return this.createOrResumeOnce(user, examId, client);
    }
  }

  private createOrResumeOnce(user: UserView, examId: string, client: ClientKind): Promise<SessionView> {
    return this.o.db.transaction().execute(async (trx) => {
      const now = this.o.clock();
      const exam = await this.o.exams.getListed(examId, trx);
      if (!exam) throw new ApiError('not_found', `There is no exam "${examId}".`);
      if (client === 'web' && !resolvePolicy(exam).allowWebClient) {
        throw new ApiError('attestation_required', 'This exam must be taken in the official Invigil desktop app. Install it, sign in there and start again.');
      }
      const attempts = await trx
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', user.id)
        .where('exam_id', '=', exam.id)
        .orderBy('attempt_no', 'desc')
        .$if(this.o.dialect === 'postgres', (qb) => qb.forUpdate())
        .execute();
      const current = attempts.find((a) => isResumable(a.status as SessionStatus, { submitted: a.submitted_at !== null }));
      if (current) {
        await expireOverdueSections(trx, current.id, now, this.o.writeGraceMs);
        await this.finishIfTimedOut(trx, { session: current, exam }, now);
        // Still resumable unless its time just ran out; then a final refuses below, a practice test starts anew.
        if (isResumable(current.status as SessionStatus, { submitted: current.submitted_at !== null })) return buildSessionView(trx, { session: current, exam });
      }
      if (exam.kind === 'final' && attempts.length > 0) {
        throw new ApiError('attempt_exists', 'You have already taken this final exam; it allows one attempt.');
      }
      this.checkWindow(exam, now);
      const session = {
        id: randomId(this.o.random),
        user_id: user.id,
        exam_id: exam.id,
        attempt_no: (attempts[0]?.attempt_no ?? 0) + 1,
        status: 'created',
        client,
        created_at: now,
        started_at: null,
        submitted_at: null,
        receipt_code: null,
        score_points: null,
        score_max_points: null,
        score_percent: null,
        score_pending_manual_points: null,
      };
      await trx.insertInto('sessions').values(session).execute();
      await recordEvent(trx, session.id, now, 'status', { client }, { from: null, to: 'created' });
      return buildSessionView(trx, { session, exam });
    });
  }

  get(user: UserView, sessionId: string): Promise<SessionView> {
    return this.inSession(sessionId, user, (trx, loaded) => buildSessionView(trx, loaded));
  }

  /**
   * created → ready_to_start → started, once the exam's pre-start steps are done: consent, a passing
   * system check (the latest report), the identity check (passed or left for manual review) unless the
   * policy turns it off, and the translator choice when the policy offers exactly one.
   */
  start(user: UserView, sessionId: string, proof: ClientProof): Promise<SessionView> {
    return this.inSession(sessionId, user, async (trx, loaded, now) => {
      const { session, exam } = loaded;
      const from = session.status as SessionStatus;
      const installId = await this.attest(trx, loaded, 'start_session', null, proof);
      if (from === 'created' || from === 'ready_to_start') {
        this.checkWindow(exam, now);
        const missing = missingSteps(await loadStartChecks(trx, session, exam));
        if (missing.length > 0) {
          const steps = missing.map((m) => m.path.replace('_', ' ')).join(', ');
          throw new ApiError('start_requirements_missing', `Before the exam can start, finish these steps: ${steps}.`, missing);
        }
      }
      if (from === 'created') await transition(trx, session, 'ready_to_start', now, 'start it again');
      await transition(trx, session, 'started', now, 'start it again', { started_at: session.started_at ?? now });
      if (installId !== null) await recordEvent(trx, session.id, now, 'attested', { purpose: 'start_session', installId });
      return buildSessionView(trx, loaded);
    });
  }

  openSection(user: UserView, sessionId: string, sectionId: string, proof: ClientProof): Promise<SessionView> {
    return this.inSession(sessionId, user, async (trx, loaded, now) => {
      const { session, exam } = loaded;
      const def = exam.sections.find((s) => s.id === sectionId);
      if (!def) throw new ApiError('not_found', `This exam has no section "${sectionId}".`);
      const installId = await this.attest(trx, loaded, 'open_section', sectionId, proof);
      const status = session.status as SessionStatus;
      if (!isInProgress(status)) throw illegalTransition(status, 'open a section');
      await refuseIfPaused(trx, session.id);
      const existing = (await loadSections(trx, session.id)).get(sectionId);
      if (existing?.state === 'open') throw new ApiError('section_already_opened', 'This section is already open.');
      if (existing) throw new ApiError('section_closed', 'This section is closed and cannot be opened again.');
      const closes = parseInstant(exam.windowClosesAt);
      if (closes !== null && now >= closes) {
        throw new ApiError('exam_closed', `This exam closed at ${new Date(closes).toISOString()}.`);
      }
      const timeMultiplier = await timeMultiplierFor(trx, session.user_id, exam.id);
      const deadline = computeDeadline({ openedAt: now, durationMinutes: def.durationMinutes, timeMultiplier, windowClosesAt: closes });
      await trx
        .insertInto('session_sections')
        .values({ session_id: session.id, section_id: sectionId, state: 'open', opened_at: now, deadline, closed_at: null, time_multiplier: timeMultiplier })
        .execute();
      await recordEvent(trx, session.id, now, 'section_opened', { sectionId, deadline, timeMultiplier, ...(installId !== null ? { installId } : {}) });
      return buildSessionView(trx, loaded);
    });
  }

  /**
   * An attempt sat in the desktop app, or of an exam that refuses browsers, needs the release-key
   * header and a challenge signed by an enrolled install for each start and section; returns that
   * install (null where the policy lets a browser sit the exam and the attempt was made in one).
   */
  private async attest(trx: Db, loaded: LoadedSession, purpose: 'start_session' | 'open_section', sectionId: string | null, proof: ClientProof): Promise<string | null> {
    const needed = loaded.session.client === 'desktop' || !resolvePolicy(loaded.exam).allowWebClient;
    if (!needed) {
      this.o.attestation.refuseInvalid(proof.header);
      return null;
    }
    return this.o.attestation.consume(trx, loaded, purpose, sectionId, proof);
  }

  saveAnswers(user: UserView, sessionId: string, request: SaveAnswersRequest): Promise<SaveAnswersResponse> {
    return this.inSession(sessionId, user, async (trx, loaded, now) => {
      await refuseIfPaused(trx, sessionId);
      return saveAnswers(trx, loaded, request, now, this.o.writeGraceMs);
    });
  }

  /** Idempotent: a section already closed is left as it is, so a client may retry after an outage. */
  submitSection(user: UserView, sessionId: string, sectionId: string, { reason }: SubmitSectionRequest): Promise<SessionView> {
    return this.inSession(sessionId, user, async (trx, loaded, now) => {
      const { session, exam } = loaded;
      if (!exam.sections.some((s) => s.id === sectionId)) {
        throw new ApiError('not_found', `This exam has no section "${sectionId}".`);
      }
      const section = (await loadSections(trx, session.id)).get(sectionId);
      if (section && section.state !== 'open') return buildSessionView(trx, loaded);
      if (!section) {
        const status = session.status as SessionStatus;
        if (!isInProgress(status)) throw illegalTransition(status, 'submit a section');
        throw new ApiError('section_not_open', 'This section has not been opened, so there is nothing to submit.');
      }
      await refuseIfPaused(trx, session.id);
      await this.closeSection(trx, session.id, sectionId, section.deadline, now, reason);
      return buildSessionView(trx, loaded);
    });
  }

  /**
   * An attempt whose every section is closed, at least one by its deadline, is over even if the
   * learner never pressed "Submit exam" (closed the app, lost power): it is graded and receipted as
   * `timed_out`, so it reaches review instead of staying "in progress" for ever.
   */
  private async finishIfTimedOut(trx: Db, loaded: LoadedSession, now: number): Promise<void> {
    const { session, exam } = loaded;
    const status = session.status as SessionStatus;
    if (status !== 'started' && status !== 'ready_to_submit') return;
    const sections = await loadSections(trx, session.id);
    const closed = exam.sections.map((def) => sections.get(def.id)).filter((s) => s !== undefined && s.state !== 'open');
    if (closed.length !== exam.sections.length || !closed.some((s) => s!.state === 'expired')) return;
    await this.finish(trx, loaded, 'timed_out', now, 'finish it', Math.max(...closed.map((s) => s!.closed_at ?? now)));
  }

  /** Grades the attempt, issues its receipt and moves it to its final status (submitted or timed out). */
  private async finish(trx: Db, loaded: LoadedSession, to: 'submitted' | 'timed_out', now: number, action: string, submittedAt: number): Promise<void> {
    const score = grade(loaded, await latestValues(trx, loaded.session.id));
    await transition(trx, loaded.session, to, now, action, {
      submitted_at: submittedAt,
      receipt_code: await this.uniqueReceiptCode(trx),
      score_points: score.points,
      score_max_points: score.maxPoints,
      score_percent: score.percent,
      score_pending_manual_points: score.pendingManualPoints,
    });
  }

  private async closeSection(
    trx: Db,
    sessionId: string,
    sectionId: string,
    deadline: number,
    now: number,
    reason: 'learner' | 'deadline' | 'exam_submitted' | 'proctor_ended',
  ): Promise<void> {
    const expired = reason === 'deadline' || now > deadline;
    await trx
      .updateTable('session_sections')
      .set({ state: expired ? 'expired' : 'submitted', closed_at: Math.min(now, deadline) })
      .where('session_id', '=', sessionId)
      .where('section_id', '=', sectionId)
      .execute();
    await recordEvent(trx, sessionId, now, 'section_closed', { sectionId, reason });
  }

  /** Closes sections whose time ran out and finishes an attempt whose sections are all closed (before a staff action). */
  async settle(trx: Db, loaded: LoadedSession, now: number): Promise<void> {
    await expireOverdueSections(trx, loaded.session.id, now, this.o.writeGraceMs);
    await this.finishIfTimedOut(trx, loaded, now);
  }

  /**
   * A proctor ended the attempt: what is open closes, and the attempt is graded and receipted as
   * `timed_out`, as when its time runs out, so it reaches review the same way.
   */
  async finishByProctor(trx: Db, loaded: LoadedSession, now: number): Promise<void> {
    const { session } = loaded;
    for (const section of (await loadSections(trx, session.id)).values()) {
      if (section.state === 'open') await this.closeSection(trx, session.id, section.section_id, section.deadline, now, 'proctor_ended');
    }
    await this.finish(trx, loaded, 'timed_out', now, 'end it', now);
  }

  /** Closes what is open, grades, and issues the receipt. Submitting again returns the same receipt. */
  submit(user: UserView, sessionId: string): Promise<Receipt> {
    return this.inSession(sessionId, user, async (trx, loaded, now) => {
      const { session } = loaded;
      if (session.receipt_code !== null) return buildReceipt(trx, loaded);
      const status = session.status as SessionStatus;
      if (!isInProgress(status) && status !== 'error') throw illegalTransition(status, 'submit it');
      await refuseIfPaused(trx, session.id);
      if (status === 'started') await transition(trx, session, 'ready_to_submit', now, 'submit it');
      for (const section of (await loadSections(trx, session.id)).values()) {
        if (section.state === 'open') await this.closeSection(trx, session.id, section.section_id, section.deadline, now, 'exam_submitted');
      }
      await this.finish(trx, loaded, 'submitted', now, 'submit it', now);
      return buildReceipt(trx, loaded);
    });
  }

  receipt(user: UserView, sessionId: string): Promise<Receipt> {
    return this.inSession(sessionId, user, async (trx, loaded) => {
      if (loaded.session.receipt_code === null) {
        throw new ApiError('not_found', 'This attempt has not been submitted yet, so it has no receipt.');
      }
      return buildReceipt(trx, loaded);
    });
  }

  private async uniqueReceiptCode(trx: Db): Promise<string> {
    // 31^10 codes: a clash is astronomically rare, but the unique index would turn one into a 500.
    for (let i = 0; i < 5; i += 1) {
      const code = receiptCode(this.o.random);
      const taken = await trx.selectFrom('sessions').select('id').where('receipt_code', '=', code).executeTakeFirst();
      if (!taken) return code;
    }
    throw new Error('could not find a free receipt code');
  }
}
