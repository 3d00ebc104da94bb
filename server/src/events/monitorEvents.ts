import type { Kysely, Selectable } from 'kysely';
import {
  type ReplyOf,
  type SessionEvent,
  type SessionEventKind,
  type Severity,
  type UserView,
} from '../../../shared/api';
import type { Dialect } from '../db/connect';
import type { Database, MonitorEventsTable } from '../db/schema';
import { ApiError, type ErrorDetail } from '../errors';
import type { ExamStore } from '../exams/examStore';
import { type Db, loadSession } from '../sessions/context';
import { uuidFromKey } from './eventIds';
import { recordingGaps } from './recordingGaps';
import { attemptEnd, sessionRisk, type SessionRisk } from './sessionRisk';
import { decodeThumbnail } from './thumbnail';

/**
 * Raised by the server itself; an app that sends one is refused (it would vouch for itself). Recording
 * gaps come from the takes the server holds (recordingGaps.ts), so a client copy would count twice.
 */
const SERVER_ONLY_KINDS: readonly SessionEventKind[] = ['identity_unverified', 'duplicate_account', 'recording_gap', 'identity_disagreement', 'attestation_failed'];

export interface MonitorEventsOptions {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly exams: ExamStore;
  readonly clock: () => number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export { uuidFromKey } from './eventIds';

export interface ServerEvent {
  readonly kind: SessionEventKind;
  readonly severity: Severity;
  readonly reason: string;
  readonly detail: SessionEvent['detail'];
}

/** Stores an event the server saw; once per `key` (a repeat is ignored). Returns whether it was new. */
export async function raiseServerEvent(db: Db, sessionId: string, key: string, event: ServerEvent, now: number): Promise<boolean> {
  const result = await db
    .insertInto('monitor_events')
    .values({
      id: uuidFromKey(`${sessionId}:${key}`),
      session_id: sessionId,
      kind: event.kind,
      severity: event.severity,
      started_at: now,
      ended_at: null,
      reason: event.reason,
      detail: JSON.stringify(event.detail),
      source: 'server',
      received_at: now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
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
   * Idempotent by event id: a replay is counted as `duplicate`, except that an event sent while it
   * lasted (no end) takes the end a later copy brings, which counts as stored. An id another session
   * already uses is refused with the whole batch, never overwritten.
   */
  post(user: UserView, sessionId: string, events: readonly SessionEvent[]): Promise<ReplyOf<'postEvents'>> {
    return this.o.db.transaction().execute(async (trx) => {
      const now = this.o.clock();
      await loadSession(trx, this.o.exams, this.o.dialect, sessionId, user, { lock: true });
      const serverOnly = events.flatMap((e, i): ErrorDetail[] =>
        SERVER_ONLY_KINDS.includes(e.kind) ? [{ path: `body.events.${i}.kind`, message: `${e.kind} events are raised by the server only` }] : [],
      );
      if (serverOnly.length > 0) throw new ApiError('validation_failed', 'Some events are of a kind only the server raises.', serverOnly);
      const thumbnails = events.map((e) => (e.thumbnail === null ? null : decodeThumbnail(e.thumbnail)));
      const badThumbnails = thumbnails.flatMap((t, i): ErrorDetail[] => (t && !t.ok ? [{ path: `body.events.${i}.thumbnail`, message: t.message }] : []));
      if (badThumbnails.length > 0) throw new ApiError('validation_failed', 'Some evidence thumbnails are not small JPEG images.', badThumbnails);

      const ids = [...new Set(events.map((e) => e.id.toLowerCase()))];
      const existing = new Map(
        (await trx.selectFrom('monitor_events').select(['id', 'session_id', 'ended_at']).where('id', 'in', ids).execute()).map((r) => [r.id, r]),
      );
      const foreign = events.flatMap((e, i): ErrorDetail[] => {
        const row = existing.get(e.id.toLowerCase());
        return row && row.session_id !== sessionId ? [{ path: `body.events.${i}.id`, message: 'this event id belongs to another attempt' }] : [];
      });
      if (foreign.length > 0) throw new ApiError('validation_failed', 'Some event ids are already used by another attempt.', foreign);

      let stored = 0;
      let duplicate = 0;
      const seen = new Set<string>();
      for (const [i, event] of events.entries()) {
        const id = event.id.toLowerCase();
        const thumbnail = thumbnails[i];
        const endedAt = event.endedAt === null ? null : Date.parse(event.endedAt);
        const row = existing.get(id);
        if (seen.has(id) || row) {
          if (row && row.ended_at === null && endedAt !== null) {
            await trx.updateTable('monitor_events').set({ ended_at: endedAt }).where('id', '=', id).where('ended_at', 'is', null).execute();
            row.ended_at = endedAt;
            stored += 1;
          } else {
            duplicate += 1;
          }
          continue;
        }
        seen.add(id);
        const result = await trx
          .insertInto('monitor_events')
          .values({
            id,
            session_id: sessionId,
            kind: event.kind,
            severity: event.severity,
            started_at: Date.parse(event.startedAt),
            ended_at: endedAt,
            reason: event.reason,
            detail: JSON.stringify(event.detail),
            source: 'client',
            received_at: now,
            confidence: event.confidence,
            thumbnail: thumbnail?.ok ? thumbnail.bytes : null,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst();
        if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) stored += 1;
        else duplicate += 1;
      }
      return { stored, duplicate };
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
