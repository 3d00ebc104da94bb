import { sql, type Kysely, type Selectable } from 'kysely';
import type { SessionStatus } from '../../../shared/api/exams';
import {
  DecideRequest,
  type DecideResponse,
  type ListQueueRequest,
  ListQueueRequest as ListQueueSchema,
  type ListQueueResponse,
  type ReviewCommentView,
  type ReviewDecision,
  type ReviewDecisionView,
  type ReviewDetail,
  type ReviewEntryView,
  type ReviewReasonCode,
} from '../../../shared/api/review';
import type { AddCommentRequest } from '../../../shared/api/review';
import { AddCommentRequest as AddCommentSchema } from '../../../shared/api/review';
import { canTransition } from '../../../shared/domain/sessionStatus';
import type { Dialect } from '../db/connect';
import { randomId, type RandomBytes } from '../random';
import { reviewErrors } from './reviewErrors';
import type { ReviewDatabase, ReviewDb, ReviewQueueTable } from './schema';

export interface ReviewQueueOptions {
  readonly db: Kysely<ReviewDatabase>;
  readonly dialect: Dialect;
  readonly clock: () => number;
  readonly random: RandomBytes;
  /** How often a claim first returns expired leases to the queue (1 s); an empty queue always sweeps. */
  readonly sweepEveryMs?: number;
}

type QueueRow = Selectable<ReviewQueueTable>;
type Round = 1 | 2;

/** Statuses a session enters review from (edx-proctoring: submitted, or timed out without a submit). */
const REVIEWABLE: readonly SessionStatus[] = ['submitted', 'timed_out'];
/** Expired leases returned to the queue per sweep; the rest wait for the next claim. */
const SWEEP_BATCH = 100;

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Where a decision leads (edx-proctoring, with the issue's rule that suspicion and violations need a
 * second reviewer): round 1 clean → verified, not_reviewed → error (for staff), otherwise a second
 * review; round 2 clean → verified, not_reviewed → error, otherwise rejected.
 */
export function outcomeOf(round: Round, decision: ReviewDecision): SessionStatus {
  if (decision === 'clean') return 'verified';
  if (decision === 'not_reviewed') return 'error';
  return round === 1 ? 'second_review_required' : 'rejected';
}

/**
 * The review queue. Every write is one transaction: on PostgreSQL a claim is a
 * single statement around `FOR UPDATE SKIP LOCKED`; on SQLite every write transaction starts with
 * `BEGIN IMMEDIATE`, so it holds the write lock from its first read and is atomic even against other
 * connections to the same file (a deferred BEGIN could read, lose the race, and fail on upgrade).
 */
export class ReviewQueue {
  constructor(private readonly o: ReviewQueueOptions) {}

  private get pg(): boolean {
    return this.o.dialect === 'postgres';
  }

  /** One write transaction: PostgreSQL's default, or SQLite's BEGIN IMMEDIATE on the one connection. */
  private write<T>(work: (db: ReviewDb) => Promise<T>, options: { leaseOnly?: boolean } = {}): Promise<T> {
    if (this.pg) {
      return this.o.db.transaction().execute(async (trx) => {
        if (options.leaseOnly) await sql`set local synchronous_commit = off`.execute(trx);
        return work(trx);
      });
    }
    // The Kysely connection mutex keeps every other query of this process out until commit; it wakes all
    // waiters at once, though, so review's own writes line up first in a FIFO (fair: p99 stays near p50).
    const run = this.sqliteTail.then(() => this.sqliteWrite(work, options));
    this.sqliteTail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private sqliteTail: Promise<void> = Promise.resolve();
  private lastSweep = Number.NEGATIVE_INFINITY;

  private sqliteWrite<T>(work: (db: ReviewDb) => Promise<T>, options: { leaseOnly?: boolean }): Promise<T> {
    return this.o.db.connection().execute(async (conn) => {
      const restore = options.leaseOnly ? await this.relaxSqliteSync(conn) : null;
      try {
        await sql`begin immediate`.execute(conn);
        let result: T;
        try {
          result = await work(conn);
        } catch (error) {
          await sql`rollback`.execute(conn);
          throw error;
        }
        await sql`commit`.execute(conn);
        return result;
      } finally {
        if (restore !== null) await sql.raw(`pragma synchronous = ${restore}`).execute(conn);
      }
    });
  }

  private sqliteSync: number | null = null;

  /**
   * A claim only grants a lease. Losing the last claims to a power cut returns those entries to the
   * queue, which is what an expired lease does anyway, and the holder learns it at its next heartbeat;
   * so claims do not wait for fsync (SQLite: synchronous=NORMAL for the claim, WAL stays consistent;
   * PostgreSQL: synchronous_commit=off for the claim transaction). Decisions, comments and releases do.
   */
  private async relaxSqliteSync(conn: ReviewDb): Promise<number> {
    if (this.sqliteSync === null) {
      const row = (await sql<{ synchronous: number }>`pragma synchronous`.execute(conn)).rows[0];
      this.sqliteSync = Number(row?.synchronous ?? 2);
    }
    if (this.sqliteSync > 1) await sql`pragma synchronous = normal`.execute(conn);
    return this.sqliteSync;
  }

  private async audit(
    db: ReviewDb,
    entry: Pick<QueueRow, 'id' | 'session_id' | 'round'>,
    actorId: string | null,
    action: 'enqueue' | 'claim' | 'release' | 'lease_expired' | 'comment' | 'decision',
    at: number,
    detail: Record<string, unknown> | null = null,
  ): Promise<void> {
    await db
      .insertInto('review_audit')
      .values({ entry_id: entry.id, session_id: entry.session_id, actor_id: actorId, action, round: entry.round, at, detail: detail && JSON.stringify(detail) })
      .execute();
  }

  /** Idempotent: a session already in review keeps its entry (and its place). */
  async enqueue(sessionId: string, riskScore: number): Promise<ReviewEntryView> {
    await this.enqueueMany([{ sessionId, riskScore }]);
    const entry = await this.entryBySession(sessionId);
    if (!entry) throw reviewErrors.entryNotFound();
    return entry;
  }

  /** Enqueues many sessions in one transaction (a backfill, the benchmark); returns how many were new. */
  async enqueueMany(items: readonly { sessionId: string; riskScore: number }[]): Promise<number> {
    if (items.some((i) => !Number.isFinite(i.riskScore))) throw reviewErrors.badRiskScore();
    if (items.length === 0) return 0;
    const now = this.o.clock();
    return this.write(async (db) => {
      const sessions = await db
        .selectFrom('sessions')
        .select(['id', 'exam_id', 'status'])
        .where('id', 'in', items.map((i) => i.sessionId))
        .execute();
      const byId = new Map(sessions.map((s) => [s.id, s]));
      const rows = items.map((item) => {
        const session = byId.get(item.sessionId);
        if (!session) throw reviewErrors.sessionNotFound();
        return { session, item };
      });
      const existing = new Set(
        (await db.selectFrom('review_queue').select('session_id').where('session_id', 'in', [...byId.keys()]).execute()).map((r) => r.session_id),
      );
      const fresh = rows.filter((r) => !existing.has(r.session.id));
      for (const { session } of fresh) {
        if (!REVIEWABLE.includes(session.status as SessionStatus)) throw reviewErrors.notReviewable(session.status);
      }
      const seen = new Set<string>();
      const values = fresh
        .filter((r) => !seen.has(r.session.id) && seen.add(r.session.id))
        .map(({ session, item }) => ({
          id: randomId(this.o.random),
          session_id: session.id,
          exam_id: session.exam_id,
          risk_score: item.riskScore,
          enqueued_at: now,
          state: 'queued' as const,
          round: 1 as const,
          holder_id: null,
          lease_expires_at: null,
          lease_ms: null,
          claimed_at: null,
          excluded_reviewer_id: null,
          updated_at: now,
        }));
      if (values.length === 0) return 0;
      await db.insertInto('review_queue').values(values).execute();
      await db
        .insertInto('review_audit')
        .values(
          values.map((v) => ({
            entry_id: v.id,
            session_id: v.session_id,
            actor_id: null,
            action: 'enqueue' as const,
            round: 1 as const,
            at: now,
            detail: JSON.stringify({ riskScore: v.risk_score }),
          })),
        )
        .execute();
      return values.length;
    });
  }

  /**
   * Hands the proctor the riskiest, then oldest, queued review they may take (never a second review of
   * their own first one) under a lease of `leaseMs`; null when there is none. Leases that ran out are
   * returned to the queue first, each with an audit entry.
   */
  async claimNext(proctorId: string, leaseMs: number, options: { examId?: string | undefined } = {}): Promise<ReviewEntryView | null> {
    const now = this.o.clock();
    // Expired leases go back lazily: at most once a second, and always before answering "nothing left".
    if (now - this.lastSweep >= this.sweepEveryMs) await this.sweep(now);
    const claimed = await this.claimOnce(proctorId, leaseMs, now, options.examId);
    if (claimed || now === this.lastSweep) return claimed;
    return (await this.sweep(now)) > 0 ? this.claimOnce(proctorId, leaseMs, now, options.examId) : null;
  }

  private get sweepEveryMs(): number {
    return this.o.sweepEveryMs ?? 1_000;
  }

  private async sweep(now: number): Promise<number> {
    this.lastSweep = now;
    return this.write((db) => this.sweepExpired(db, now));
  }

  private async claimOnce(proctorId: string, leaseMs: number, now: number, examId: string | undefined): Promise<ReviewEntryView | null> {
    if (this.pg) {
      const row = await this.claimPostgres(this.o.db, proctorId, leaseMs, now, examId);
      return row ? this.toView(row, row.session_status, now) : null;
    }
    return this.write(
      async (db) => {
        const claimed = await db
          .updateTable('review_queue')
          .set({ state: 'claimed', holder_id: proctorId, lease_expires_at: now + leaseMs, lease_ms: leaseMs, claimed_at: now, updated_at: now })
          .where('id', '=', (eb) =>
            eb
              .selectFrom('review_queue')
              .select('id')
              .where('state', '=', sql.lit('queued'))
              .where((w) => w.or([w('excluded_reviewer_id', 'is', null), w('excluded_reviewer_id', '!=', proctorId)]))
              .$if(examId !== undefined, (qb) => qb.where('exam_id', '=', examId!))
              .orderBy('risk_score', 'desc')
              .orderBy('enqueued_at', 'asc')
              .orderBy('id', 'asc')
              .limit(1),
          )
          .returningAll()
          .returning((eb) =>
            eb.selectFrom('sessions').select('sessions.status').whereRef('sessions.id', '=', 'review_queue.session_id').as('session_status'),
          )
          .executeTakeFirst();
        if (!claimed) return null;
        await this.audit(db, claimed, proctorId, 'claim', now, { leaseMs });
        return this.toView(claimed, claimed.session_status ?? 'submitted', now);
      },
      { leaseOnly: true },
    );
  }

  /**
   * One statement, its own transaction: pick with SKIP LOCKED, take it, audit it, read its session status.
   * `set_config(..., true)` turns synchronous commit off for this transaction only (see relaxSqliteSync).
   */
  private async claimPostgres(db: ReviewDb, proctorId: string, leaseMs: number, now: number, examId: string | undefined) {
    const result = await sql<QueueRow & { session_status: string }>`
      with relaxed as (
        select set_config('synchronous_commit', 'off', true) as setting
      ), next as (
        select id from review_queue, relaxed
        where state = 'queued'
          and (excluded_reviewer_id is null or excluded_reviewer_id <> ${proctorId})
          ${examId === undefined ? sql`` : sql`and exam_id = ${examId}`}
        order by risk_score desc, enqueued_at asc, id asc
        limit 1
        for update of review_queue skip locked
      ), claimed as (
        update review_queue q
        set state = 'claimed', holder_id = ${proctorId}, lease_expires_at = ${now + leaseMs}, lease_ms = ${leaseMs},
            claimed_at = ${now}, updated_at = ${now}
        from next where q.id = next.id
        returning q.*
      ), audited as (
        insert into review_audit (entry_id, session_id, actor_id, action, round, at, detail)
        select id, session_id, ${proctorId}, 'claim', round, ${now}, ${JSON.stringify({ leaseMs })} from claimed
      )
      select claimed.*, s.status as session_status from claimed join sessions s on s.id = claimed.session_id`.execute(db);
    return result.rows[0];
  }

  /** Returns leases that ran out to the queue (lazily, at claim time), one audit entry each. */
  async sweepExpired(db: ReviewDb = this.o.db, now = this.o.clock()): Promise<number> {
    if (this.pg) {
      const result = await sql`
        with gone as (
          select id, session_id, holder_id, round, lease_expires_at from review_queue
          where state = 'claimed' and lease_expires_at <= ${now}
          order by lease_expires_at
          limit ${SWEEP_BATCH}
          for update skip locked
        ), returned as (
          update review_queue q
          set state = 'queued', holder_id = null, lease_expires_at = null, lease_ms = null, claimed_at = null, updated_at = ${now}
          from gone where q.id = gone.id
          returning q.id
        )
        insert into review_audit (entry_id, session_id, actor_id, action, round, at, detail)
        select gone.id, gone.session_id, gone.holder_id, 'lease_expired', gone.round, ${now},
               json_build_object('leaseExpiredAt', gone.lease_expires_at)::text
        from gone join returned on returned.id = gone.id`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    }
    const expired = await db
      .selectFrom('review_queue')
      .select(['id', 'session_id', 'holder_id', 'round', 'lease_expires_at'])
      .where('state', '=', sql.lit('claimed'))
      .where('lease_expires_at', '<=', now)
      .orderBy('lease_expires_at')
      .limit(SWEEP_BATCH)
      .execute();
    if (expired.length === 0) return 0;
    await db
      .updateTable('review_queue')
      .set({ state: 'queued', holder_id: null, lease_expires_at: null, lease_ms: null, claimed_at: null, updated_at: now })
      .where('id', 'in', expired.map((e) => e.id))
      .execute();
    for (const e of expired) await this.audit(db, e, e.holder_id, 'lease_expired', now, { leaseExpiredAt: e.lease_expires_at });
    return expired.length;
  }

  /** Extends the holder's lease by the lease it claimed with; refused once the lease has run out. */
  async heartbeat(entryId: string, proctorId: string): Promise<ReviewEntryView> {
    const now = this.o.clock();
    const updated = await this.o.db
      .updateTable('review_queue')
      .set({ lease_expires_at: sql<number>`${now} + lease_ms`, updated_at: now })
      .where('id', '=', entryId)
      .where('state', '=', 'claimed')
      .where('holder_id', '=', proctorId)
      .where('lease_expires_at', '>', now)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw await this.whyNotHeld(this.o.db, entryId);
    return this.view(this.o.db, entryId, now);
  }

  /** Gives the review back to the queue, in its place. */
  async release(entryId: string, proctorId: string): Promise<ReviewEntryView> {
    const now = this.o.clock();
    return this.write(async (db) => {
      const released = await db
        .updateTable('review_queue')
        .set({ state: 'queued', holder_id: null, lease_expires_at: null, lease_ms: null, claimed_at: null, updated_at: now })
        .where('id', '=', entryId)
        .where('state', '=', 'claimed')
        .where('holder_id', '=', proctorId)
        .where('lease_expires_at', '>', now)
        .returning(['id', 'session_id', 'round'])
        .executeTakeFirst();
      if (!released) throw await this.whyNotHeld(db, entryId);
      await this.audit(db, released, proctorId, 'release', now);
      return this.view(db, entryId, now);
    });
  }

  /** A held entry, locked for the rest of the transaction (PostgreSQL; SQLite already holds the write lock). */
  private async held(db: ReviewDb, entryId: string, proctorId: string, now: number): Promise<QueueRow> {
    const entry = await db
      .selectFrom('review_queue')
      .selectAll()
      .where('id', '=', entryId)
      .$if(this.pg, (qb) => qb.forUpdate())
      .executeTakeFirst();
    if (!entry) throw reviewErrors.entryNotFound();
    if (entry.state !== 'claimed' || entry.holder_id !== proctorId || (entry.lease_expires_at ?? 0) <= now) throw reviewErrors.leaseLost();
    return entry;
  }

  private async whyNotHeld(db: ReviewDb, entryId: string): Promise<Error> {
    const exists = await db.selectFrom('review_queue').select('id').where('id', '=', entryId).executeTakeFirst();
    return exists ? reviewErrors.leaseLost() : reviewErrors.entryNotFound();
  }

  /**
   * Records the holder's decision for the current round and moves the session on. The same decision
   * sent again by the same proctor is answered with the stored one and changes nothing.
   */
  async decide(entryId: string, proctorId: string, input: DecideRequest): Promise<DecideResponse> {
    const request = DecideRequest.parse(input);
    const reasonCodes = [...request.reasonCodes].sort();
    const now = this.o.clock();
    return this.write(async (db) => {
      const entry = await db
        .selectFrom('review_queue')
        .selectAll()
        .where('id', '=', entryId)
        .$if(this.pg, (qb) => qb.forUpdate())
        .executeTakeFirst();
      if (!entry) throw reviewErrors.entryNotFound();
      const mine = await db
        .selectFrom('review_decisions')
        .selectAll()
        .where('entry_id', '=', entryId)
        .where('reviewer_id', '=', proctorId)
        .executeTakeFirst();
      if (mine) {
        const same = mine.decision === request.decision && mine.reason_codes === JSON.stringify(reasonCodes) && mine.notes === request.notes;
        if (!same) throw reviewErrors.alreadyDecided();
        return { entry: await this.view(db, entryId, now), decision: toDecisionView(mine) };
      }
      if (entry.state !== 'claimed' || entry.holder_id !== proctorId || (entry.lease_expires_at ?? 0) <= now) throw reviewErrors.leaseLost();
      if (entry.round === 2 && entry.excluded_reviewer_id === proctorId) throw reviewErrors.secondReviewerRequired();

      const session = await db
        .selectFrom('sessions')
        .select(['id', 'status', 'submitted_at'])
        .where('id', '=', entry.session_id)
        .$if(this.pg, (qb) => qb.forUpdate())
        .executeTakeFirstOrThrow();
      const from = session.status as SessionStatus;
      const to = outcomeOf(entry.round, request.decision);
      const expected: readonly SessionStatus[] = entry.round === 1 ? REVIEWABLE : ['second_review_required'];
      if (!expected.includes(from) || !canTransition(from, to, { submitted: true })) throw reviewErrors.notReviewable(from);

      const decision = {
        entry_id: entry.id,
        round: entry.round,
        session_id: entry.session_id,
        reviewer_id: proctorId,
        decision: request.decision,
        reason_codes: JSON.stringify(reasonCodes),
        notes: request.notes,
        decided_at: now,
      };
      await db.insertInto('review_decisions').values(decision).execute();
      const secondRound = to === 'second_review_required';
      await db
        .updateTable('review_queue')
        .set({
          state: secondRound ? 'queued' : 'done',
          round: secondRound ? 2 : entry.round,
          excluded_reviewer_id: secondRound ? proctorId : entry.excluded_reviewer_id,
          holder_id: null,
          lease_expires_at: null,
          lease_ms: null,
          claimed_at: null,
          updated_at: now,
        })
        .where('id', '=', entry.id)
        .execute();
      await db.updateTable('sessions').set({ status: to }).where('id', '=', session.id).execute();
      await db
        .insertInto('session_events')
        .values({
          session_id: session.id,
          at: now,
          type: 'status',
          from_status: from,
          to_status: to,
          detail: JSON.stringify({ review: entry.id, round: entry.round, decision: request.decision }),
        })
        .execute();
      await this.audit(db, entry, proctorId, 'decision', now, { decision: request.decision, reasonCodes, outcome: to });
      return { entry: await this.view(db, entryId, now), decision: toDecisionView(decision) };
    });
  }

  /** A timestamped comment (seconds into the recording) by the proctor holding the review. */
  async comment(entryId: string, proctorId: string, input: AddCommentRequest): Promise<ReviewCommentView> {
    const request = AddCommentSchema.parse(input);
    const now = this.o.clock();
    return this.write(async (db) => {
      const entry = await this.held(db, entryId, proctorId, now);
      const row = {
        id: randomId(this.o.random),
        entry_id: entry.id,
        session_id: entry.session_id,
        author_id: proctorId,
        round: entry.round,
        start_second: request.startSecond,
        end_second: request.endSecond,
        body: request.text,
        created_at: now,
      };
      await db.insertInto('review_comments').values(row).execute();
      await this.audit(db, entry, proctorId, 'comment', now, { commentId: row.id, startSecond: row.start_second, endSecond: row.end_second });
      return toCommentView(row);
    });
  }

  /** Entries in claim order with per-state counts for the exam filter. */
  async list(input: ListQueueRequest = {}): Promise<ListQueueResponse> {
    const filter = ListQueueSchema.parse(input);
    const now = this.o.clock();
    const effective = sql<string>`case when q.state = 'claimed' and q.lease_expires_at <= ${now} then 'queued' else q.state end`;
    const base = this.o.db
      .selectFrom('review_queue as q')
      .innerJoin('sessions as s', 's.id', 'q.session_id')
      .$if(filter.examId !== undefined, (qb) => qb.where('q.exam_id', '=', filter.examId!));
    // Grouped by the stored state; leases that ran out are counted as queued (a parameter in GROUP BY
    // would not match the same parameter in the select list on PostgreSQL, so it sits in an aggregate).
    const grouped = await base
      .select([
        'q.state',
        'q.round',
        (eb) => eb.fn.countAll<number>().as('n'),
        sql<number>`sum(case when q.lease_expires_at <= ${now} then 1 else 0 end)`.as('expired'),
      ])
      .groupBy(['q.state', 'q.round'])
      .execute();
    const counts = { queued: 0, claimed: 0, done: 0, secondReview: 0 };
    for (const g of grouped) {
      const n = Number(g.n);
      const expired = g.state === 'claimed' ? Number(g.expired ?? 0) : 0;
      counts[g.state] += n - expired;
      counts.queued += expired;
      if (Number(g.round) === 2 && g.state !== 'done') counts.secondReview += g.state === 'queued' ? n : expired;
    }
    const filtered = base
      .$if(filter.state !== undefined, (qb) => qb.where(effective, '=', filter.state!))
      .$if(filter.sessionStatus !== undefined, (qb) => qb.where('s.status', '=', filter.sessionStatus!));
    const total = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await filtered
      .selectAll('q')
      .select('s.status as session_status')
      .orderBy('q.risk_score', 'desc')
      .orderBy('q.enqueued_at', 'asc')
      .orderBy('q.id', 'asc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
    return { entries: rows.map((r) => this.toView(r, r.session_status, now)), counts, total: Number(total.n) };
  }

  /** Everything a reviewer sees about one entry: decisions, comments and the audit log. */
  async get(entryId: string): Promise<ReviewDetail> {
    const now = this.o.clock();
    const { db } = this.o;
    const entry = await this.view(db, entryId, now);
    const [decisions, comments, audit] = await Promise.all([
      db.selectFrom('review_decisions').selectAll().where('entry_id', '=', entryId).orderBy('round').execute(),
      db.selectFrom('review_comments').selectAll().where('entry_id', '=', entryId).orderBy('start_second').orderBy('created_at').orderBy('id').execute(),
      db.selectFrom('review_audit').selectAll().where('entry_id', '=', entryId).orderBy('id').execute(),
    ]);
    const deleted = audit.find((a) => a.action === 'media_deleted');
    return {
      entry,
      mediaDeletedAt: deleted ? iso(Number(deleted.at)) : null,
      decisions: decisions.map(toDecisionView),
      comments: comments.map(toCommentView),
      audit: audit.map((a) => ({
        at: iso(Number(a.at)),
        actorId: a.actor_id,
        action: a.action,
        round: Number(a.round) as Round,
        detail: a.detail === null ? null : (JSON.parse(a.detail) as Record<string, unknown>),
      })),
    };
  }

  async entryBySession(sessionId: string): Promise<ReviewEntryView | null> {
    const row = await this.o.db
      .selectFrom('review_queue as q')
      .innerJoin('sessions as s', 's.id', 'q.session_id')
      .selectAll('q')
      .select('s.status as session_status')
      .where('q.session_id', '=', sessionId)
      .executeTakeFirst();
    return row ? this.toView(row, row.session_status, this.o.clock()) : null;
  }

  private async view(db: ReviewDb, entryId: string, now: number): Promise<ReviewEntryView> {
    const row = await db
      .selectFrom('review_queue as q')
      .innerJoin('sessions as s', 's.id', 'q.session_id')
      .selectAll('q')
      .select('s.status as session_status')
      .where('q.id', '=', entryId)
      .executeTakeFirst();
    if (!row) throw reviewErrors.entryNotFound();
    return this.toView(row, row.session_status, now);
  }

  private toView(row: QueueRow, sessionStatus: string, now: number): ReviewEntryView {
    const expired = row.state === 'claimed' && (row.lease_expires_at ?? 0) <= now;
    return {
      entryId: row.id,
      sessionId: row.session_id,
      examId: row.exam_id,
      riskScore: Number(row.risk_score),
      enqueuedAt: iso(Number(row.enqueued_at)),
      state: expired ? 'queued' : row.state,
      round: Number(row.round) as Round,
      holderId: expired ? null : row.holder_id,
      leaseExpiresAt: expired || row.lease_expires_at === null ? null : iso(Number(row.lease_expires_at)),
      sessionStatus: sessionStatus as SessionStatus,
    };
  }
}

function toDecisionView(row: {
  round: number;
  reviewer_id: string;
  decision: ReviewDecision;
  reason_codes: string;
  notes: string;
  decided_at: number;
}): ReviewDecisionView {
  return {
    round: Number(row.round) as Round,
    reviewerId: row.reviewer_id,
    decision: row.decision,
    reasonCodes: JSON.parse(row.reason_codes) as ReviewReasonCode[],
    notes: row.notes,
    decidedAt: iso(Number(row.decided_at)),
  };
}

function toCommentView(row: {
  id: string;
  author_id: string;
  round: number;
  start_second: number;
  end_second: number;
  body: string;
  created_at: number;
}): ReviewCommentView {
  return {
    id: row.id,
    authorId: row.author_id,
    round: Number(row.round) as Round,
    startSecond: Number(row.start_second),
    endSecond: Number(row.end_second),
    text: row.body,
    createdAt: iso(Number(row.created_at)),
  };
}
