import { z } from 'zod';
import { ExamKind, SessionStatus } from './exams';
import { route } from './route';

/**
 * Grading of short answers (administrators), results at the exam's pass mark, their release per exam,
 * the registrar's CSV, and what learners see of their result. Markers see responses blind: an opaque
 * response id and the answer text, never the learner, the attempt, its flags or its risk.
 */

const Empty = z.object({}).strict();
const ExamParams = z.object({ examId: z.string().min(1).max(64) });
const QuestionParams = ExamParams.extend({ questionId: z.string().min(1).max(64) });
const ResponseParams = QuestionParams.extend({ responseId: z.string().min(1).max(64) });
const SessionParams = z.object({ sessionId: z.string().min(1).max(64) });

/** Longest marker's comment. */
export const GRADE_COMMENT_MAX = 2000;

export const MarkingState = z.enum(['ungraded', 'second_mark_needed', 'disputed', 'graded']);
export type MarkingState = z.infer<typeof MarkingState>;

/** How far marking of one question has come, over the non-blank responses of handed-in, not rejected attempts. */
export const GradingProgress = z.object({
  responses: z.number().int().nonnegative(),
  /** Responses whose points are final. */
  graded: z.number().int().nonnegative(),
  /** Responses still needing a mark (ungraded, waiting for a second mark, or disputed). */
  toGrade: z.number().int().nonnegative(),
  disputed: z.number().int().nonnegative(),
});
export type GradingProgress = z.infer<typeof GradingProgress>;

export const GradingQuestionSummary = z.object({
  questionId: z.string(),
  sectionTitle: z.string(),
  prompt: z.string(),
  points: z.number(),
  progress: GradingProgress,
});
export type GradingQuestionSummary = z.infer<typeof GradingQuestionSummary>;

export const ResultRelease = z.object({ releasedAt: z.string().datetime(), releasedBy: z.string() });
export type ResultRelease = z.infer<typeof ResultRelease>;

export const GradingExamSummary = z.object({
  examId: z.string(),
  code: z.string(),
  title: z.string(),
  kind: ExamKind,
  passPercent: z.number(),
  /** Null: single marking. */
  secondMarkingMargin: z.number().nullable(),
  /** The exam's short-answer questions (none for an exam graded automatically throughout). */
  questions: z.array(GradingQuestionSummary),
  release: ResultRelease.nullable(),
});
export type GradingExamSummary = z.infer<typeof GradingExamSummary>;

export const GradingExamsResponse = z.object({ exams: z.array(GradingExamSummary) });
export type GradingExamsResponse = z.infer<typeof GradingExamsResponse>;

/** One marker's mark as other markers see it: never who gave it. */
export const MarkView = z.object({ points: z.number(), comment: z.string(), agreed: z.boolean() });
export type MarkView = z.infer<typeof MarkView>;

/** One learner's answer to the question, blind. */
export const ResponseForMarking = z.object({
  /** Opaque: the server maps it back to the attempt; nothing about the learner can be read from it. */
  responseId: z.string(),
  text: z.string(),
  state: MarkingState,
  /** The points that count, once graded. */
  finalPoints: z.number().nullable(),
  /** Whether this marker is asked to mark it (ungraded; second mark needed and not yet given by them; disputed). */
  needsMyMark: z.boolean(),
  myMark: MarkView.nullable(),
  /** Other markers' marks: shown only once the response is disputed (second marking stays blind until then). */
  otherMarks: z.array(MarkView),
});
export type ResponseForMarking = z.infer<typeof ResponseForMarking>;

export const QuestionForMarking = z.object({
  questionId: z.string(),
  prompt: z.string(),
  rubric: z.string().nullable(),
  points: z.number(),
});
export type QuestionForMarking = z.infer<typeof QuestionForMarking>;

/** Responses in a stable order that says nothing about the learners (by response id). */
export const ResponsesForMarkingResponse = z.object({
  examId: z.string(),
  examTitle: z.string(),
  secondMarkingMargin: z.number().nullable(),
  question: QuestionForMarking,
  progress: GradingProgress,
  responses: z.array(ResponseForMarking),
});
export type ResponsesForMarkingResponse = z.infer<typeof ResponsesForMarkingResponse>;

export const RecordGradeRequest = z
  .object({
    /** Whole or half points from 0 to the question's points (the server checks the maximum). */
    points: z.number().min(0).max(100).multipleOf(0.5),
    comment: z.string().trim().max(GRADE_COMMENT_MAX).default(''),
    /** The mark the markers agreed on for a disputed response (second marking). */
    agreed: z.boolean().default(false),
  })
  .strict();
export type RecordGradeRequest = z.input<typeof RecordGradeRequest>;

export const RecordGradeResponse = z.object({ response: ResponseForMarking, progress: GradingProgress });
export type RecordGradeResponse = z.infer<typeof RecordGradeResponse>;

/** An attempt's result as staff see it: `pending` while short answers wait for a final mark. */
export const AttemptResultView = z.object({
  state: z.enum(['pending', 'complete']),
  points: z.number(),
  maxPoints: z.number(),
  /** Rounded down to one decimal; null while pending. */
  percent: z.number().nullable(),
  passed: z.boolean().nullable(),
  ungraded: z.number().int().nonnegative(),
});
export type AttemptResultView = z.infer<typeof AttemptResultView>;

export const ResultRow = z.object({
  sessionId: z.string(),
  learnerName: z.string(),
  learnerEmail: z.string(),
  attemptNo: z.number().int(),
  /** The review status: only `verified` attempts are released to learners. */
  sessionStatus: SessionStatus,
  submittedAt: z.string().datetime(),
  result: AttemptResultView,
});
export type ResultRow = z.infer<typeof ResultRow>;

export const ExamResultsResponse = z.object({
  examId: z.string(),
  examTitle: z.string(),
  passPercent: z.number(),
  release: ResultRelease.nullable(),
  /** Verified attempts whose short answers are not all graded: release waits for them. */
  pendingVerified: z.number().int().nonnegative(),
  verified: z.number().int().nonnegative(),
  /** Every handed-in attempt, newest first. */
  rows: z.array(ResultRow),
});
export type ExamResultsResponse = z.infer<typeof ExamResultsResponse>;

export const ReleaseResultsResponse = z.object({ release: ResultRelease, verified: z.number().int().nonnegative() });
export type ReleaseResultsResponse = z.infer<typeof ReleaseResultsResponse>;

/** The registrar's file: one row per handed-in attempt (UTF-8, CRLF, formula-guarded). */
export const ResultsExport = z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int().nonnegative() });
export type ResultsExport = z.infer<typeof ResultsExport>;

/** Grading actions, and the proctor's actions on a live attempt (`live_*`, with the attempt). */
export const StaffAuditAction = z.enum(['grade', 'release', 'export', 'live_message', 'live_pause', 'live_resume', 'live_end']);
export type StaffAuditAction = z.infer<typeof StaffAuditAction>;

/** Who graded, released or exported, and when. Grades name the response, never the learner or the comment. */
export const StaffAuditEntry = z.object({
  at: z.string().datetime(),
  actorId: z.string(),
  actorName: z.string(),
  action: StaffAuditAction,
  examId: z.string(),
  questionId: z.string().nullable(),
  responseId: z.string().nullable(),
  points: z.number().nullable(),
  /** Rows exported, or verified attempts released. */
  count: z.number().int().nullable(),
});
export type StaffAuditEntry = z.infer<typeof StaffAuditEntry>;

/** Newest first, at most 100. */
export const StaffAuditResponse = z.object({ entries: z.array(StaffAuditEntry) });
export type StaffAuditResponse = z.infer<typeof StaffAuditResponse>;

/**
 * What a learner sees of an attempt's result: `released` only for a verified attempt of an exam whose
 * results were released, with every short answer graded; `not_released` while it is not yet;
 * `none` for an attempt without a result to show (not handed in, rejected, or with staff).
 */
export const LearnerResult = z.discriminatedUnion('state', [
  z.object({ state: z.literal('none') }),
  z.object({ state: z.literal('not_released') }),
  z.object({ state: z.literal('released'), passed: z.boolean(), percent: z.number(), passPercent: z.number() }),
]);
export type LearnerResult = z.infer<typeof LearnerResult>;

export const gradingApi = {
  /** Every exam with its short-answer questions and marking progress. Administrators only. */
  gradingExams: route({ method: 'GET', path: '/api/grading/exams', auth: 'admin', reply: GradingExamsResponse }),
  gradingResponses: route({
    method: 'GET',
    path: '/api/grading/exams/:examId/questions/:questionId/responses',
    auth: 'admin',
    params: QuestionParams,
    reply: ResponsesForMarkingResponse,
  }),
  /** Records (or replaces) this marker's mark for one response. */
  recordGrade: route({
    method: 'PUT',
    path: '/api/grading/exams/:examId/questions/:questionId/responses/:responseId/grade',
    auth: 'admin',
    params: ResponseParams,
    body: RecordGradeRequest,
    reply: RecordGradeResponse,
  }),
  examResults: route({ method: 'GET', path: '/api/results/exams/:examId', auth: 'admin', params: ExamParams, reply: ExamResultsResponse }),
  /** Refused with `results_not_ready` while a verified attempt has short answers to grade. */
  releaseResults: route({
    method: 'POST',
    path: '/api/results/exams/:examId/release',
    auth: 'admin',
    params: ExamParams,
    body: Empty,
    reply: ReleaseResultsResponse,
  }),
  exportResults: route({
    method: 'POST',
    path: '/api/results/exams/:examId/export',
    auth: 'admin',
    params: ExamParams,
    body: Empty,
    reply: ResultsExport,
  }),
  staffAudit: route({ method: 'GET', path: '/api/results/exams/:examId/audit', auth: 'admin', params: ExamParams, reply: StaffAuditResponse }),
  /** The learner's own attempt only (another learner's is `not_found`). */
  getResult: route({ method: 'GET', path: '/api/sessions/:sessionId/result', auth: 'learner', params: SessionParams, reply: LearnerResult }),
} as const;
