import { sql, type Kysely, type Transaction } from 'kysely';
import type { SegmentMetadata } from '../../../shared/api';
import type { Dialect } from '../db/connect';
import type { Database } from '../db/schema';
import { ApiError } from '../errors';
import type { ExamStore } from '../exams/examStore';
import { timeMultiplierFor } from '../sessions/context';
import { KeyedMutex } from './keyedMutex';
import { recordingQuotaBytes } from './quota';
import { sessionClosed, uploadWindow, windowFacts } from './uploadWindow';

export interface UploadGateOptions {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly exams: ExamStore;
  /** kbit/s over the exam's timed length plus an hour: the attempt's recording quota. */
  readonly quotaKbps: number;
  /** Unfinished uploads one attempt may hold at once. */
  readonly maxOpenUploads: number;
  /** Wall clock, as the tus store stamps uploads: a reservation expires with its upload. */
  readonly wallClock: () => number;
  readonly expirationMs: number;
}

export interface Reservation {
  readonly uploadId: string;
  readonly userId: string;
  readonly meta: SegmentMetadata;
  readonly length: number;
}

type Trx = Transaction<Database>;

const MIB = 1024 * 1024;
const size = (bytes: number): string =>
  bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB (${bytes.toLocaleString('en-US')} bytes)` : `${bytes.toLocaleString('en-US')} bytes`;

/**
 * Admits new recording uploads: the attempt's upload window must be open, it may hold at most
 * `maxOpenUploads` unfinished uploads, and what it has stored plus the declared lengths of its open
 * uploads plus the new one must fit its quota. Admission is one transaction that inserts the upload's
 * row in `recording_uploads`; it holds the attempt's session row (PostgreSQL `FOR UPDATE`, SQLite
 * `BEGIN IMMEDIATE`), so two creations, on one instance or two, never both take the last place. The row
 * goes when the upload finishes, is refused or expires.
 */
export class UploadGate {
  private readonly mutex = new KeyedMutex();
  /** SQLite: this process's BEGIN IMMEDIATE transactions one after another on the shared connection. */
  private sqliteTail: Promise<void> = Promise.resolve();

  constructor(private readonly o: UploadGateOptions) {}

  /** Admits the upload and records it as open, or throws forbidden, illegal_transition (not begun), session_closed, too_many_uploads or recording_quota_exceeded. */
  admit(r: Reservation): Promise<void> {
    return this.mutex.run(r.meta.sessionId, () => this.write((trx) => this.admitIn(trx, r)));
  }

  /** The upload finished, was refused or was terminated: it no longer counts. */
  async release(uploadId: string): Promise<void> {
    await this.o.db.deleteFrom('recording_uploads').where('upload_id', '=', uploadId).execute();
  }

  /** Forgets uploads older than the expiry (the tus store deletes their files); returns how many. */
  async expire(): Promise<number> {
    const result = await this.o.db
      .deleteFrom('recording_uploads')
      .where('created_at', '<', this.o.wallClock() - this.o.expirationMs)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private async admitIn(trx: Trx, r: Reservation): Promise<void> {
    const sessionId = r.meta.sessionId;
    const facts = await windowFacts(trx, sessionId, { lock: true, dialect: this.o.dialect });
    if (!facts || facts.userId !== r.userId) {
      throw new ApiError('forbidden', 'This upload token does not belong to an exam attempt on this account.');
    }
    const window = uploadWindow(facts);
    if (window === 'closed') throw sessionClosed(facts.decided);
    if (window === 'not_started') throw new ApiError('illegal_transition', 'This attempt has not started, so it has no recording to upload yet. Begin the exam first.');

    const open = await trx
      .selectFrom('recording_uploads')
      .select([(eb) => eb.fn.countAll<number | string>().as('uploads'), (eb) => eb.fn.sum<number | string | null>('length').as('bytes')])
      .where('session_id', '=', sessionId)
      .executeTakeFirstOrThrow();
    const openUploads = Number(open.uploads);
    if (openUploads >= this.o.maxOpenUploads) {
      throw new ApiError(
        'too_many_uploads',
        `This attempt already has ${openUploads} unfinished uploads, the most it may hold at once. Finish (resume) one of them first; unfinished uploads expire ${Math.round(this.o.expirationMs / 3600_000)} hours after they were created.`,
      );
    }

    // A replay of a stored segment is discarded when it finishes: it takes no new room.
    const replay = await trx
      .selectFrom('recording_segments')
      .select('chain_end')
      .where('session_id', '=', sessionId)
      .where('take_index', '=', r.meta.take)
      .where('segment_index', '=', r.meta.segment)
      .executeTakeFirst();
    const incoming = replay?.chain_end === r.meta.chainEnd ? 0 : r.length;
    const stored = await trx.selectFrom('recordings').select('bytes').where('session_id', '=', sessionId).executeTakeFirst();
    const storedBytes = Number(stored?.bytes ?? 0);
    const openBytes = Number(open.bytes ?? 0);
    const quota = await this.quotaOf(trx, facts.userId, facts.examId);
    if (storedBytes + openBytes + incoming > quota) {
      throw new ApiError(
        'recording_quota_exceeded',
        `This segment (${size(r.length)}) would take the attempt's recording past its quota of ${size(quota)}: ${size(storedBytes)} are stored and ${size(openBytes)} are in unfinished uploads. The server accepts no more recording for this attempt; contact support.`,
      );
    }

    await trx
      .insertInto('recording_uploads')
      .values({ upload_id: r.uploadId, session_id: sessionId, take_index: r.meta.take, segment_index: r.meta.segment, length: r.length, created_at: this.o.wallClock() })
      .execute();
  }

  private async quotaOf(trx: Trx, userId: string, examId: string): Promise<number> {
    const exam = await this.o.exams.get(examId, trx);
    if (!exam) throw new ApiError('not_found', 'There is no such exam attempt on your account.');
    const multiplier = await timeMultiplierFor(trx, userId, examId);
    return recordingQuotaBytes(
      exam.sections.map((s) => s.durationMinutes),
      multiplier,
      this.o.quotaKbps,
    );
  }

  /** PostgreSQL: a transaction (the session row lock is taken inside); SQLite: BEGIN IMMEDIATE, so another process cannot interleave. */
  private write<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    if (this.o.dialect === 'postgres') return this.o.db.transaction().execute(work);
    const run = this.sqliteTail.then(() =>
      this.o.db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        let result: T;
        try {
          result = await work(conn as unknown as Trx);
        } catch (error) {
          await sql`rollback`.execute(conn);
          throw error;
        }
        await sql`commit`.execute(conn);
        return result;
      }),
    );
    this.sqliteTail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
