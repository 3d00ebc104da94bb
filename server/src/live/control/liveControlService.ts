// Proctor actions on a live attempt (message, pause, resume, end) and the learner's acknowledgement.
// Each runs in one transaction that also writes the attempt's event log (`session_events`) and the
// staff audit; the learner hears of it on the live socket when connected and through the session
// view otherwise.
import type { Kysely } from 'kysely';
import type {
  LiveMessage,
  LiveNotification,
  LiveNotificationOf,
  SessionControlReply,
  SessionStatus,
  StaffAuditAction,
  UserView,
} from '../../../../shared/api';
import { isInProgress } from '../../../../shared/domain/sessionStatus';
import { StaffAudit } from '../../audit/staffAudit';
import type { Dialect } from '../../db/connect';
import type { Database } from '../../db/schema';
import { ApiError } from '../../errors';
import { raiseServerEvent } from '../../events/monitorEvents';
import type { ExamStore } from '../../exams/examStore';
import { parseInstant } from '../../exams/views';
import type { GradingDatabase, GradingDb } from '../../grading/schema';
import { randomId, type RandomBytes } from '../../random';
import { type Db, type LoadedSession, loadSession, openPause, recordEvent } from '../../sessions/context';
import type { SessionService } from '../../sessions/sessionService';
import { loadControl, loadSections } from '../../sessions/view';

/** How the live socket hears of an action (absent when live proctoring is off). */
export interface LiveControlNotifier {
  notifyLearner<N extends LiveNotification>(sessionId: string, notification: N, data: LiveNotificationOf<N>): void;
  /** The tiles changed (pause, message, acknowledgement). */
  controlChanged(): void;
  /** Reads the attempt's status now and closes its learner's socket (4409) when it is over. */
  checkSession(sessionId: string): Promise<void>;
}

export interface LiveControlOptions {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly exams: ExamStore;
  readonly clock: () => number;
  readonly random: RandomBytes;
  readonly sessions: SessionService;
  readonly notifier: () => LiveControlNotifier | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function messageView(row: { id: string; text: string; sent_at: number; read_at: number | null }): LiveMessage {
  return { id: row.id, text: row.text, sentAt: iso(Number(row.sent_at)), readAt: row.read_at === null ? null : iso(Number(row.read_at)) };
}

export class LiveControlService {
  private readonly audit: StaffAudit;

  constructor(private readonly o: LiveControlOptions) {
    this.audit = new StaffAudit(o.db as unknown as Kysely<GradingDatabase>);
  }

  /** A staff action on an attempt in progress (409 otherwise), after its overdue sections are settled. */
  private act<T>(sessionId: string, user: UserView, action: StaffAuditAction, work: (trx: Db, loaded: LoadedSession, now: number) => Promise<T>): Promise<T> {
    return this.o.db.transaction().execute(async (trx) => {
      const now = this.o.clock();
      const loaded = await loadSession(trx, this.o.exams, this.o.dialect, sessionId, user, { lock: true });
      await this.o.sessions.settle(trx, loaded, now);
      if (!isInProgress(loaded.session.status as SessionStatus)) {
        throw new ApiError('illegal_transition', 'This attempt is not in progress, so it cannot be messaged, paused or ended.');
      }
      const result = await work(trx, loaded, now);
      await this.audit.record(trx as unknown as GradingDb, { at: now, actorId: user.id, action, examId: loaded.exam.id, sessionId });
      return result;
    });
  }

  private async reply(db: Db, sessionId: string, status: string, creditedMs: number | null): Promise<SessionControlReply> {
    const [control, last] = await Promise.all([
      loadControl(db, sessionId),
      db.selectFrom('live_messages').selectAll().where('session_id', '=', sessionId).orderBy('sent_at', 'desc').orderBy('id', 'desc').executeTakeFirst(),
    ]);
    return { ...control, status, lastMessage: last ? messageView(last) : null, creditedMs };
  }

  async sendMessage(user: UserView, sessionId: string, text: string): Promise<SessionControlReply> {
    let sent: LiveMessage | null = null;
    const reply = await this.act(sessionId, user, 'live_message', async (trx, { session }, now) => {
      const row = { id: randomId(this.o.random), session_id: sessionId, text, sent_by: user.id, sent_at: now, read_at: null };
      await trx.insertInto('live_messages').values(row).execute();
      // The id and length only: the text is in live_messages, the event log stays free of it.
      await recordEvent(trx, sessionId, now, 'proctor_message', { messageId: row.id, by: user.id, length: text.length });
      sent = messageView(row);
      return this.reply(trx, sessionId, session.status, null);
    });
    if (sent) this.o.notifier()?.notifyLearner(sessionId, 'message', sent);
    this.o.notifier()?.controlChanged();
    return reply;
  }

  async pause(user: UserView, sessionId: string, reason: string | undefined): Promise<SessionControlReply> {
    const text = reason && reason.length > 0 ? reason : null;
    let since = 0;
    const reply = await this.act(sessionId, user, 'live_pause', async (trx, { session }, now) => {
      if (await openPause(trx, sessionId)) throw new ApiError('session_paused', 'This attempt is already paused.');
      await trx
        .insertInto('session_pauses')
        .values({ id: randomId(this.o.random), session_id: sessionId, started_at: now, ended_at: null, reason: text, paused_by: user.id, resumed_by: null, section_id: null, credited_ms: null })
        .execute();
      await recordEvent(trx, sessionId, now, 'proctor_paused', { by: user.id, reason: text });
      since = now;
      return this.reply(trx, sessionId, session.status, null);
    });
    this.o.notifier()?.notifyLearner(sessionId, 'paused', { since: iso(since), reason: text });
    this.o.notifier()?.controlChanged();
    return reply;
  }

  /**
   * The open section's deadline moves later by the paused time (capped by the exam window's end, and
   * never earlier than it was); the credit is stored with the pause and in the event log.
   */
  async resume(user: UserView, sessionId: string): Promise<SessionControlReply> {
    const reply = await this.act(sessionId, user, 'live_resume', async (trx, { session, exam }, now) => {
      const pause = await openPause(trx, sessionId);
      if (!pause) throw new ApiError('session_not_paused', 'This attempt is not paused.');
      const pausedMs = Math.max(0, now - Number(pause.started_at));
      const windowEnd = parseInstant(exam.windowClosesAt);
      const open = [...(await loadSections(trx, sessionId)).values()].find((s) => s.state === 'open');
      let credited = 0;
      if (open) {
        const old = Number(open.deadline);
        const moved = Math.max(old, windowEnd === null ? old + pausedMs : Math.min(old + pausedMs, windowEnd));
        credited = moved - old;
        await trx.updateTable('session_sections').set({ deadline: moved }).where('session_id', '=', sessionId).where('section_id', '=', open.section_id).execute();
        await recordEvent(trx, sessionId, now, 'deadline_credited', { sectionId: open.section_id, pausedMs, creditedMs: credited, from: old, to: moved });
      }
      await trx
        .updateTable('session_pauses')
        .set({ ended_at: now, resumed_by: user.id, section_id: open?.section_id ?? null, credited_ms: credited })
        .where('id', '=', pause.id)
        .execute();
      await recordEvent(trx, sessionId, now, 'proctor_resumed', { by: user.id, pausedMs, creditedMs: credited });
      return this.reply(trx, sessionId, session.status, credited);
    });
    this.o.notifier()?.notifyLearner(sessionId, 'resumed', {});
    this.o.notifier()?.controlChanged();
    return reply;
  }

  /** Ends the attempt as a timed-out one, with a high-severity `proctor_ended` flag carrying the reason. */
  async end(user: UserView, sessionId: string, reason: string): Promise<SessionControlReply> {
    const reply = await this.act(sessionId, user, 'live_end', async (trx, loaded, now) => {
      await trx.updateTable('session_pauses').set({ ended_at: now, resumed_by: user.id, credited_ms: 0 }).where('session_id', '=', sessionId).where('ended_at', 'is', null).execute();
      await this.o.sessions.finishByProctor(trx, loaded, now);
      await raiseServerEvent(trx, sessionId, 'proctor_ended', { kind: 'proctor_ended', severity: 'high', reason, detail: { by: user.id } }, now);
      await recordEvent(trx, sessionId, now, 'proctor_ended', { by: user.id, reason });
      return this.reply(trx, sessionId, loaded.session.status, null);
    });
    const notifier = this.o.notifier();
    if (notifier) {
      notifier.notifyLearner(sessionId, 'ended', { reason });
      await notifier.checkSession(sessionId);
      notifier.controlChanged();
    }
    return reply;
  }

  /** The learner acknowledges a message of their own attempt (another's: not found). Idempotent. */
  async acknowledge(user: UserView, sessionId: string, messageId: string): Promise<LiveMessage> {
    const message = await this.o.db.transaction().execute(async (trx) => {
      const now = this.o.clock();
      await loadSession(trx, this.o.exams, this.o.dialect, sessionId, user, { lock: true });
      const row = await trx.selectFrom('live_messages').selectAll().where('id', '=', messageId).where('session_id', '=', sessionId).executeTakeFirst();
      if (!row) throw new ApiError('not_found', 'There is no such message for this attempt.');
      if (row.read_at !== null) return messageView(row);
      await trx.updateTable('live_messages').set({ read_at: now }).where('id', '=', messageId).execute();
      await recordEvent(trx, sessionId, now, 'proctor_message_read', { messageId });
      return messageView({ ...row, read_at: now });
    });
    this.o.notifier()?.controlChanged();
    return message;
  }
}
