import type { Kysely, Selectable } from 'kysely';
import {
  type PostEventsResponse,
  type RejectedEvent,
  type ReplyOf,
  SessionEvent,
  type SessionEventKind,
  type SessionStatus,
  type Severity,
  type UserView,
} from '../../../shared/api';
import type { Dialect } from '../db/connect';
import type { Database, MonitorEventsTable } from '../db/schema';
import { ApiError } from '../errors';
import type { ExamStore } from '../exams/examStore';
import { findInvalidText } from '../http/text';
import type { ReviewDatabase } from '../review/schema';
import { type Db, loadSession, type SessionRow } from '../sessions/context';
import { isServerEventId, uuidFromKey } from './eventIds';
import { recordingGaps } from './recordingGaps';
import { attemptEnd, sessionRisk, type SessionRisk } from './sessionRisk';
import { decodeThumbnail } from './thumbnail';

/**
 * Raised by the server itself; an app that sends one is refused (it would vouch for itself). Recording
 * gaps come from the takes the server holds (recordingGaps.ts), so a client copy would count twice.
 */
const SERVER_ONLY_KINDS: readonly SessionEventKind[] = ['identity_unverified', 'duplicate_account', 'recording_gap', 'identity_disagreement', 'attestation_failed', 'proctor_ended'];

export interface MonitorEventsOptions {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly exams: ExamStore;
  readonly clock: () => number;
}

export { uuidFromKey } from './eventIds';

export interface ServerEvent {
  readonly kind: SessionEventKind;
  readonly severity: Severity;
  readonly reason: string;
  readonly detail: SessionEvent['detail'];
}

/**
 * Stores an event the server saw; once per `key` (a repeat is ignored). Returns whether it was new.
 * The id (a version-8 UUID) is one no client may use; a client row found under it anyway (sent before
 * such ids were refused) is replaced by the server's event.
 */
export async function raiseServerEvent(db: Db, sessionId: string, key: string, event: ServerEvent, now: number): Promise<boolean> {
  const values = {
    session_id: sessionId,
    kind: event.kind,
    severity: event.severity,
    started_at: now,
    ended_at: null,
    reason: event.reason,
    detail: JSON.stringify(event.detail),
    source: 'server' as const,
    received_at: now,
    confidence: null,
    thumbnail: null,
  };
  const result = await db
    .insertInto('monitor_events')
    .values({ id: uuidFromKey(`${sessionId}:${key}`), ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values).where('monitor_events.source', '=', 'client'))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * How far an event's start may lie outside the attempt (before it was created, after it ended or
 * after now): the app stamps events with its own clock, which may run a little off the server's.
 */
export const EVENT_CLOCK_GRACE_MS = 2 * 60_000;

/** Statuses after which the attempt takes no more events: the review has decided. */
const CLOSED_STATUSES: readonly SessionStatus[] = ['second_review_required', 'verified', 'rejected'];

interface Accepted {
  readonly index: number;
  readonly id: string;
  readonly event: SessionEvent;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly thumbnail: Buffer | null;
}

type Checked = { ok: true; accepted: Accepted } | { ok: false; rejected: RejectedEvent };

const rawId = (raw: unknown): string | null =>
  raw !== null && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;

const iso = (ms: number): string => new Date(ms).toISOString();

/** Judges one entry of a batch on its own, without the database. */
function checkEvent(raw: unknown, index: number, window: { from: number; to: number }): Checked {
  const reject = (code: RejectedEvent['code'], message: string): Checked => ({ ok: false, rejected: { index, id: rawId(raw), code, message } });
  const text = findInvalidText(raw);
  if (text) return reject('invalid_text', `${text.path}: ${text.message}.`);
  const parsed = SessionEvent.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message));
    return reject('invalid_entry', `Not a valid event (${issues.join('; ')}).`);
  }
  const event = parsed.data;
  if (SERVER_ONLY_KINDS.includes(event.kind)) return reject('server_only_kind', `${event.kind} events are raised by the server only.`);
  if (isServerEventId(event.id)) return reject('server_event_id', 'Version-8 UUIDs are the server’s own event ids; the app makes random (version 4) ones.');
  const startedAt = Date.parse(event.startedAt);
  const endedAt = event.endedAt === null ? null : Date.parse(event.endedAt);
  if (endedAt !== null && endedAt < startedAt) return reject('ends_before_start', 'The event ends before it starts.');
  if (startedAt < window.from || startedAt > window.to) {
    return reject('outside_attempt', `The event starts outside the attempt (${iso(window.from)} to ${iso(window.to)}, grace included).`);
  }
  const thumbnail = event.thumbnail === null ? null : decodeThumbnail(event.thumbnail);
  if (thumbnail && !thumbnail.ok) return reject('invalid_entry', `thumbnail: ${thumbnail.message}`);
  return { ok: true, accepted: { index, id: event.id.toLowerCase(), event, startedAt, endedAt, thumbnail: thumbnail?.ok ? thumbnail.bytes : null } };
}

/**
 * Refuses the whole request once the window for events has closed: the review has decided (a
 * decision is recorded, or the status is one only a decision leads to).
 */
async function assertTakesEvents(trx: Db, session: SessionRow): Promise<void> {
  const closed = (): ApiError => new ApiError('session_closed', 'This attempt has been reviewed, so it takes no more events.');
  if (CLOSED_STATUSES.includes(session.status as SessionStatus)) throw closed();
  const decision = await (trx as unknown as Kysely<ReviewDatabase>)
    .selectFrom('review_decisions')
    .select('entry_id')
    .where('session_id', '=', session.id)
    .executeTakeFirst();
  if (decision) throw closed();
}

function toSessionEvent(row: Selectable<MonitorEventsTable>): SessionEvent {
  return {
    id: row.id,
    kind: row.kind as SessionEventKind,
    severity: row.severity,
    startedAt: iso(row.started_at),
    endedAt: row.ended_at === null ? null : iso(row.ended_at),
    reason: row.reason,
    confidence: row.confidence,
    thumbnail: row.thumbnail === null ? null : Buffer.from(row.thumbnail).toString('base64'),
    detail: JSON.parse(row.detail) as SessionEvent['detail'],
  };
}

/** Session events from the learner's app (lockdown, network) and from the server (identity). */
export class MonitorEvents {
  constructor(private readonly o: MonitorEventsOptions) {}

  /**
   * Each entry is judged on its own: a refused one is listed in `rejected` (with its index and a code)
   * and the others are stored. Idempotent by event id: a replay is counted as `duplicate`, except that
   * an event sent while it lasted (no end) takes the end a later copy brings, which counts as stored.
   * Only the app's own rows of this attempt are ever changed: an id another attempt uses is
   * `id_taken`, and the server's ids and kinds are refused. The whole request is refused
   * (`session_closed`) once the review has decided; after the submit, events are still taken (the
   * outbox drains after an outage) if they began before the attempt ended.
   */
  post(user: UserView, sessionId: string, entries: readonly unknown[]): Promise<PostEventsResponse> {
    return this.o.db.transaction().execute(async (trx) => {
      const now = this.o.clock();
      const { session } = await loadSession(trx, this.o.exams, this.o.dialect, sessionId, user, { lock: true });
      await assertTakesEvents(trx, session);
      const window = { from: session.created_at - EVENT_CLOCK_GRACE_MS, to: (session.submitted_at ?? now) + EVENT_CLOCK_GRACE_MS };

      const rejected: RejectedEvent[] = [];
      const accepted: Accepted[] = [];
      for (const [index, raw] of entries.entries()) {
        const checked = checkEvent(raw, index, window);
        if (checked.ok) accepted.push(checked.accepted);
        else rejected.push(checked.rejected);
      }
      const refuse = (a: Accepted, code: RejectedEvent['code'], message: string) => rejected.push({ index: a.index, id: a.event.id, code, message });
      const taken = 'This event id belongs to another attempt.';

      const ids = [...new Set(accepted.map((a) => a.id))];
      const existing = new Map<string, Pick<Selectable<MonitorEventsTable>, 'session_id' | 'source' | 'started_at' | 'ended_at'>>();
      if (ids.length > 0) {
        const rows = await trx.selectFrom('monitor_events').select(['id', 'session_id', 'source', 'started_at', 'ended_at']).where('id', 'in', ids).execute();
        for (const row of rows) existing.set(row.id, row);
      }

      let stored = 0;
      let duplicate = 0;
      for (const a of accepted) {
        const row = existing.get(a.id);
        if (row && row.session_id !== sessionId) {
          refuse(a, 'id_taken', taken);
        } else if (row && row.source !== 'client') {
          refuse(a, 'server_event_id', 'This id is an event the server raised.');
        } else if (row) {
          if (row.ended_at !== null || a.endedAt === null) {
            duplicate += 1;
          } else if (a.endedAt < row.started_at) {
            refuse(a, 'ends_before_start', 'The end is before the start already stored for this event.');
          } else {
            await trx
              .updateTable('monitor_events')
              .set({ ended_at: a.endedAt })
              .where('id', '=', a.id)
              .where('session_id', '=', sessionId)
              .where('source', '=', 'client')
              .where('ended_at', 'is', null)
              .execute();
            row.ended_at = a.endedAt;
            stored += 1;
          }
        } else {
          const { event } = a;
          const result = await trx
            .insertInto('monitor_events')
            .values({
              id: a.id,
              session_id: sessionId,
              kind: event.kind,
              severity: event.severity,
              started_at: a.startedAt,
              ended_at: a.endedAt,
              reason: event.reason,
              detail: JSON.stringify(event.detail),
              source: 'client',
              received_at: now,
              confidence: event.confidence,
              thumbnail: a.thumbnail,
            })
            .onConflict((oc) => oc.column('id').doNothing())
            .executeTakeFirst();
          if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) {
            existing.set(a.id, { session_id: sessionId, source: 'client', started_at: a.startedAt, ended_at: a.endedAt });
            stored += 1;
          } else {
            // Lost a race with a concurrent request carrying the same id: judge against what won.
            const winner = await trx.selectFrom('monitor_events').select(['session_id', 'source', 'started_at', 'ended_at']).where('id', '=', a.id).executeTakeFirstOrThrow();
            existing.set(a.id, winner);
            if (winner.session_id !== sessionId) refuse(a, 'id_taken', taken);
            else duplicate += 1;
          }
        }
      }
      rejected.sort((x, y) => x.index - y.index);
      return { stored, duplicate, rejected };
    });
  }

  /** Staff: every event of the session in the order it happened, with the recording gaps the server sees. */
  async list(user: UserView, sessionId: string): Promise<ReplyOf<'listEvents'>> {
    const { session } = await loadSession(this.o.db, this.o.exams, this.o.dialect, sessionId, user, { lock: false });
    const rows = await this.o.db
      .selectFrom('monitor_events')
      .selectAll()
      .where('session_id', '=', sessionId)
      .orderBy('started_at')
      .orderBy('received_at')
      .orderBy('id')
      .execute();
    const gaps = await recordingGaps(this.o.db, sessionId, attemptEnd(session));
    return { events: mergeByStart(rows.map(toSessionEvent), gaps) };
  }

  /** Staff: the session's risk score with one sentence per kind of flag (the review screen's explanation). */
  async risk(user: UserView, sessionId: string): Promise<SessionRisk> {
    const { session } = await loadSession(this.o.db, this.o.exams, this.o.dialect, sessionId, user, { lock: false });
    return sessionRisk(this.o.db, session);
  }

  /** The review feeder's `RiskOf`: the score of a session (0 for one that does not exist). */
  readonly riskOf = async (sessionId: string): Promise<number> => {
    const session = await this.o.db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
    return session ? (await sessionRisk(this.o.db, session)).score : 0;
  };
}

/** Stored events (already in order) with derived ones slotted in by start; stable for equal starts. */
function mergeByStart(stored: SessionEvent[], derived: SessionEvent[]): SessionEvent[] {
  if (derived.length === 0) return stored;
  const out: SessionEvent[] = [];
  let j = 0;
  const sorted = [...derived].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  for (const e of stored) {
    while (j < sorted.length && Date.parse(sorted[j]!.startedAt) < Date.parse(e.startedAt)) out.push(sorted[j++]!);
    out.push(e);
  }
  return [...out, ...sorted.slice(j)];
}
