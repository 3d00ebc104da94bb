import type { Kysely } from 'kysely';
import {
  ExamDefinition,
  type GradingExamSummary,
  type GradingProgress,
  type LearnerResult,
  type ExamResultsResponse,
  type RecordGradeResponse,
  type ReleaseResultsResponse,
  type ResponseForMarking,
  type ResponsesForMarkingResponse,
  type ResultRelease,
  type ResultRow,
  type ResultsExport,
  type StaffAuditEntry,
  type UserView,
} from '../../../shared/api';
import type { RecordGradeRequest } from '../../../shared/api/grading';
import { toCsv } from '../../../shared/domain/csv';
import { scoreExam } from '../../../shared/domain/grading';
import { type AttemptResult, attemptResult, isValidMarkPoints } from '../../../shared/domain/results';
import type { Database } from '../db/schema';
import type { ExamStore } from '../exams/examStore';
import { gradingErrors } from './gradingErrors';
import { ExamMarking, type HandedIn, isGradable, marginOf, type ResponseMarking, shortAnswerQuestions, type ShortAnswerQuestion } from './markingData';
import type { GradingDatabase, GradingDb } from './schema';
import { StaffAudit } from '../audit/staffAudit';

export interface GradingOptions {
  readonly db: Kysely<GradingDatabase>;
  readonly exams: ExamStore;
  readonly clock: () => number;
  /** HMAC key of the blind response ids (responseIds.ts). */
  readonly responseKey: string;
}

type Marker = Pick<UserView, 'id'>;

const iso = (ms: number): string => new Date(ms).toISOString();

function progressOf(responses: readonly ResponseMarking[]): GradingProgress {
  const graded = responses.filter((r) => r.state === 'graded').length;
  return {
    responses: responses.length,
    graded,
    toGrade: responses.length - graded,
    disputed: responses.filter((r) => r.state === 'disputed').length,
  };
}

/** A response as one marker sees it: blind, and blind to the other marker's mark until a dispute. */
function forMarker(response: ResponseMarking, marker: Marker): ResponseForMarking {
  const mine = response.marks.find((m) => m.markerId === marker.id) ?? null;
  const others = response.marks.filter((m) => m.markerId !== marker.id);
  const needsMyMark =
    response.state === 'ungraded' || response.state === 'disputed' || (response.state === 'second_mark_needed' && mine === null);
  return {
    responseId: response.responseId,
    text: response.text,
    state: response.state,
    finalPoints: response.state === 'graded' ? response.points : null,
    needsMyMark,
    myMark: mine && { points: mine.points, comment: mine.comment, agreed: mine.agreed },
    otherMarks:
      response.state === 'second_mark_needed' ? [] : others.map((m) => ({ points: m.points, comment: m.comment, agreed: m.agreed })),
  };
}

/** Auto points and the whole exam's points as graded at submit; recomputed when an old row lacks them. */
function autoPart(marking: ExamMarking, attempt: HandedIn): { autoPoints: number; maxPoints: number } {
  if (attempt.scorePoints !== null && attempt.scoreMaxPoints !== null) return { autoPoints: attempt.scorePoints, maxPoints: attempt.scoreMaxPoints };
  const questions = marking.exam.sections.flatMap((s) => s.questions);
  const answers = new Map(questions.flatMap((q) => {
    const a = marking.answer(attempt.id, q.id);
    return a ? [[q.id, a] as const] : [];
  }));
  const score = scoreExam(questions, answers);
  return { autoPoints: score.points, maxPoints: score.maxPoints };
}

function resultOf(marking: ExamMarking, attempt: HandedIn, questions: readonly ShortAnswerQuestion[]): AttemptResult {
  return attemptResult({
    ...autoPart(marking, attempt),
    passPercent: marking.exam.passPercent,
    shortAnswers: questions.map((q) => {
      const response = marking.response(attempt, q);
      return {
        maxPoints: q.points,
        // No response to mark means a blank answer (`ExamMarking.response`): it scores 0.
        blank: response === null,
        points: response?.state === 'graded' ? response.points : null,
      };
    }),
  });
}

const fileSafe = (s: string): string => s.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'exam';

/**
 * Grading of short answers, results, release and export (administrators), and a learner's own result.
 * Every grade, release and export is written to `staff_audit` in the same transaction.
 */
export class GradingService {
  readonly audit: StaffAudit;

  constructor(private readonly o: GradingOptions) {
    this.audit = new StaffAudit(o.db);
  }

  private async exam(examId: string, db: GradingDb = this.o.db): Promise<ExamDefinition> {
    const exam = await this.o.exams.get(examId, db as unknown as Kysely<Database>);
    if (!exam) throw gradingErrors.examNotFound();
    return exam;
  }

  private async release(db: GradingDb, examId: string): Promise<ResultRelease | null> {
    const row = await db
      .selectFrom('result_releases')
      .leftJoin('users', 'users.id', 'result_releases.released_by')
      .select(['result_releases.released_at', 'result_releases.released_by', 'users.full_name'])
      .where('result_releases.exam_id', '=', examId)
      .executeTakeFirst();
    return row ? { releasedAt: iso(row.released_at), releasedBy: row.full_name ?? row.released_by } : null;
  }

  /** Every exam (listed or not: attempts of an unlisted exam still need grading), with marking progress. */
  async listExams(): Promise<{ exams: GradingExamSummary[] }> {
    const rows = await this.o.db.selectFrom('exams').select(['definition']).orderBy('id').execute();
    const exams: GradingExamSummary[] = [];
    for (const row of rows) {
      const exam = ExamDefinition.parse(JSON.parse(row.definition));
      const questions = shortAnswerQuestions(exam);
      const marking = await ExamMarking.load(this.o.db, exam, this.o.responseKey);
      exams.push({
        examId: exam.id,
        code: exam.code,
        title: exam.title,
        kind: exam.kind,
        passPercent: exam.passPercent,
        secondMarkingMargin: marginOf(exam),
        questions: questions.map((q) => ({
          questionId: q.id,
          sectionTitle: q.sectionTitle,
          prompt: q.prompt,
          points: q.points,
          progress: progressOf(marking.responses(q)),
        })),
        release: await this.release(this.o.db, exam.id),
      });
    }
    return { exams };
  }

  private question(exam: ExamDefinition, questionId: string): ShortAnswerQuestion {
    const any = exam.sections.flatMap((s) => s.questions).find((q) => q.id === questionId);
    if (!any) throw gradingErrors.questionNotFound();
    const question = shortAnswerQuestions(exam).find((q) => q.id === questionId);
    if (!question) throw gradingErrors.notGradable(any.kind);
    return question;
  }

  async responses(marker: Marker, examId: string, questionId: string): Promise<ResponsesForMarkingResponse> {
    const exam = await this.exam(examId);
    const question = this.question(exam, questionId);
    const responses = (await ExamMarking.load(this.o.db, exam, this.o.responseKey)).responses(question);
    return {
      examId: exam.id,
      examTitle: exam.title,
      secondMarkingMargin: marginOf(exam),
      question: { questionId: question.id, prompt: question.prompt, rubric: question.rubric ?? null, points: question.points },
      progress: progressOf(responses),
      responses: responses.map((r) => forMarker(r, marker)),
    };
  }

  async recordGrade(
    marker: Marker,
    target: { examId: string; questionId: string; responseId: string },
    body: Required<RecordGradeRequest>,
  ): Promise<RecordGradeResponse> {
    return this.o.db.transaction().execute(async (trx) => {
      const exam = await this.exam(target.examId, trx);
      const question = this.question(exam, target.questionId);
      if (!isValidMarkPoints(body.points, question.points)) throw gradingErrors.pointsOutOfRange(question.points);
      const before = (await ExamMarking.load(trx, exam, this.o.responseKey)).responses(question);
      const response = before.find((r) => r.responseId === target.responseId);
      if (!response) throw gradingErrors.responseNotFound();
      const mine = response.marks.find((m) => m.markerId === marker.id);
      if (body.agreed && response.state !== 'disputed' && !mine?.agreed) throw gradingErrors.agreedNotDisputed();
      const now = this.o.clock();
      const values = { points: body.points, comment: body.comment, agreed: body.agreed ? 1 : 0, marked_at: now };
      await trx
        .insertInto('grades')
        .values({ session_id: response.sessionId, question_id: question.id, marker_id: marker.id, ...values })
        .onConflict((oc) => oc.columns(['session_id', 'question_id', 'marker_id']).doUpdateSet(values))
        .execute();
      await this.audit.record(trx, {
        at: now,
        actorId: marker.id,
        action: 'grade',
        examId: exam.id,
        sessionId: response.sessionId,
        questionId: question.id,
        responseId: response.responseId,
        points: body.points,
      });
      const after = (await ExamMarking.load(trx, exam, this.o.responseKey)).responses(question);
      const updated = after.find((r) => r.responseId === target.responseId)!;
      return { response: forMarker(updated, marker), progress: progressOf(after) };
    });
  }

  private async results(db: GradingDb, exam: ExamDefinition): Promise<{ rows: ResultRow[]; pendingVerified: number; pendingResponses: number; verified: number }> {
    const marking = await ExamMarking.load(db, exam, this.o.responseKey);
    const questions = shortAnswerQuestions(exam);
    const users = await db
      .selectFrom('users')
      .innerJoin('sessions', 'sessions.user_id', 'users.id')
      .select(['users.id', 'users.full_name', 'users.email'])
      .where('sessions.exam_id', '=', exam.id)
      .distinct()
      .execute();
    const byId = new Map(users.map((u) => [u.id, u]));
    let pendingVerified = 0;
    let pendingResponses = 0;
    const rows = marking.attempts.map((attempt) => {
      const result = resultOf(marking, attempt, questions);
      if (attempt.status === 'verified' && result.state === 'pending') {
        pendingVerified += 1;
        pendingResponses += result.ungraded;
      }
      const user = byId.get(attempt.userId);
      return {
        sessionId: attempt.id,
        learnerName: user?.full_name ?? '',
        learnerEmail: user?.email ?? '',
        attemptNo: attempt.attemptNo,
        sessionStatus: attempt.status,
        submittedAt: iso(attempt.submittedAt),
        result,
      };
    });
    return { rows, pendingVerified, pendingResponses, verified: rows.filter((r) => r.sessionStatus === 'verified').length };
  }

  async examResults(examId: string): Promise<ExamResultsResponse> {
    const exam = await this.exam(examId);
    const { rows, pendingVerified, verified } = await this.results(this.o.db, exam);
    return {
      examId: exam.id,
      examTitle: exam.title,
      passPercent: exam.passPercent,
      release: await this.release(this.o.db, exam.id),
      pendingVerified,
      verified,
      rows,
    };
  }

  /** Releases an exam's results to learners, once every verified attempt is fully graded. Releasing again updates the time. */
  async releaseResults(admin: Marker, examId: string): Promise<ReleaseResultsResponse> {
    return this.o.db.transaction().execute(async (trx) => {
      const exam = await this.exam(examId, trx);
      const { pendingVerified, pendingResponses, verified } = await this.results(trx, exam);
      if (pendingVerified > 0) throw gradingErrors.notReady(pendingVerified, pendingResponses);
      const now = this.o.clock();
      await trx
        .insertInto('result_releases')
        .values({ exam_id: exam.id, released_at: now, released_by: admin.id })
        .onConflict((oc) => oc.column('exam_id').doUpdateSet({ released_at: now, released_by: admin.id }))
        .execute();
      await this.audit.record(trx, { at: now, actorId: admin.id, action: 'release', examId: exam.id, count: verified });
      return { release: (await this.release(trx, exam.id))!, verified };
    });
  }

  /**
   * The registrar's CSV: every handed-in attempt; score, percent and pass only for verified attempts
   * ("pending" while short answers wait for a mark), blank for the others (their status says why).
   */
  async exportResults(admin: Marker, examId: string): Promise<ResultsExport> {
    return this.o.db.transaction().execute(async (trx) => {
      const exam = await this.exam(examId, trx);
      const { rows } = await this.results(trx, exam);
      const lines = rows.map((r) => {
        const verified = r.sessionStatus === 'verified';
        const complete = verified && r.result.state === 'complete';
        return [
          r.learnerEmail,
          r.learnerName,
          exam.code,
          r.attemptNo,
          r.sessionStatus,
          complete ? r.result.points : null,
          complete ? r.result.maxPoints : null,
          complete ? r.result.percent : null,
          complete ? (r.result.passed ? 'pass' : 'fail') : verified ? 'pending' : null,
        ];
      });
      const csv = toCsv([['email', 'full_name', 'exam', 'attempt', 'status', 'score', 'max_score', 'percent', 'pass'], ...lines]);
      const now = this.o.clock();
      await this.audit.record(trx, { at: now, actorId: admin.id, action: 'export', examId: exam.id, count: rows.length });
      return { fileName: `results-${fileSafe(exam.code)}-${iso(now).slice(0, 10)}.csv`, csv, rows: rows.length };
    });
  }

  async auditOf(examId: string): Promise<{ entries: StaffAuditEntry[] }> {
    await this.exam(examId);
    return { entries: await this.audit.list(examId) };
  }

  /**
   * A learner's result for their own attempt: released only for a verified attempt of a released
   * exam whose short answers are all graded. Someone else's attempt is reported as missing.
   */
  async learnerResult(learner: Marker, sessionId: string): Promise<LearnerResult> {
    const session = await this.o.db.selectFrom('sessions').select(['id', 'user_id', 'exam_id', 'status', 'submitted_at']).where('id', '=', sessionId).executeTakeFirst();
    if (!session || session.user_id !== learner.id) throw gradingErrors.attemptNotFound();
    if (session.submitted_at === null || !isGradable({ status: session.status as HandedIn['status'] }) || session.status === 'error') {
      return { state: 'none' };
    }
    if (session.status !== 'verified') return { state: 'not_released' };
    const exam = await this.exam(session.exam_id);
    if (!(await this.release(this.o.db, exam.id))) return { state: 'not_released' };
    const marking = await ExamMarking.load(this.o.db, exam, this.o.responseKey, session.id);
    const attempt = marking.attempts.find((a) => a.id === session.id)!;
    const result = resultOf(marking, attempt, shortAnswerQuestions(exam));
    if (result.state !== 'complete') return { state: 'not_released' };
    return { state: 'released', passed: result.passed === true, percent: result.percent ?? 0, passPercent: exam.passPercent };
  }
}
