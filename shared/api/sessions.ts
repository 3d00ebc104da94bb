import { z } from 'zod';
import { ApiErrorCode } from './errors';
import { StartChecks } from './checks';
import { SessionControl } from './liveControl';
import { QuestionView, SessionStatus } from './exams';

export const ClientKind = z.enum(['desktop', 'web']);
export type ClientKind = z.infer<typeof ClientKind>;

/** An answer as the learner gave it. A cleared answer is an empty choice list or empty text. */
export const AnswerValue = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('choice'), optionIds: z.array(z.string().max(64)).max(20) }),
  z.object({ kind: z.literal('text'), text: z.string().max(10000) }),
]);
export type AnswerValue = z.infer<typeof AnswerValue>;

/**
 * The kind of client (desktop or web) is not part of the request: the server derives it from the
 * release-key attestation header, which only an official desktop build can produce.
 */
export const CreateSessionRequest = z.object({ examId: z.string().min(1).max(64) });
export type CreateSessionRequest = z.infer<typeof CreateSessionRequest>;

export const SectionState = z.enum(['not_opened', 'open', 'submitted', 'expired']);
export type SectionState = z.infer<typeof SectionState>;

export const SectionView = z.object({
  id: z.string(),
  title: z.string(),
  durationMinutes: z.number(),
  questionCount: z.number().int(),
  state: SectionState,
  openedAt: z.string().datetime().nullable(),
  /** Authoritative: opened_at + duration × accommodation, capped by the exam window. */
  deadline: z.string().datetime().nullable(),
  closedAt: z.string().datetime().nullable(),
  /** Present only while the section is open. */
  questions: z.array(QuestionView).nullable(),
});
export type SectionView = z.infer<typeof SectionView>;

export const SavedAnswer = z.object({
  sectionId: z.string(),
  questionId: z.string(),
  value: AnswerValue,
  sequence: z.number().int().positive(),
  clientSavedAt: z.string().datetime(),
});
export type SavedAnswer = z.infer<typeof SavedAnswer>;

export const SessionView = z.object({
  id: z.string(),
  examId: z.string(),
  examTitle: z.string(),
  practice: z.boolean(),
  status: SessionStatus,
  client: ClientKind,
  timeMultiplier: z.number(),
  createdAt: z.string().datetime(),
  startedAt: z.string().datetime().nullable(),
  submittedAt: z.string().datetime().nullable(),
  sections: z.array(SectionView),
  /** The latest answer per question (highest sequence), for every section the learner opened. */
  answers: z.array(SavedAnswer),
  /** Highest sequence the server holds: the client's journal continues after it. */
  maxSequence: z.number().int().nonnegative(),
  /** What the start needs and what is done (consent, system check, identity, translator). */
  checks: StartChecks,
  /** Live proctoring: whether the proctor paused the attempt and the messages the learner has not read. */
  control: SessionControl,
});
export type SessionView = z.infer<typeof SessionView>;

/**
 * The server reads the batch loosely and each entry strictly (a `SavedAnswer`), so a malformed entry
 * is refused alone (`invalid_entry`) and never fails the others. The input type is what a client sends.
 */
export const SaveAnswersRequest = z.object({
  answers: z.array(z.unknown()).min(1).max(200),
}) as z.ZodType<{ answers: unknown[] }, { answers: z.input<typeof SavedAnswer>[] }>;
export type SaveAnswersRequest = z.infer<typeof SaveAnswersRequest>;

/**
 * Why one answer was refused: any API error code (`section_closed`, `answer_invalid`, …), or
 * `invalid_text` (a string holds a NUL or a lone UTF-16 surrogate) or `invalid_entry` (not a valid
 * entry; its `sequence` is echoed when it is an integer, else 0).
 */
export const AnswerRejectionCode = z.union([ApiErrorCode, z.enum(['invalid_text', 'invalid_entry'])]);
export type AnswerRejectionCode = z.infer<typeof AnswerRejectionCode>;

/**
 * One result per entry, in the request's order. Idempotent by (session, sequence): a replay is
 * reported as `duplicate`, never stored twice. `rejected` is final for that entry (e.g. `section_closed` when it arrives after deadline + grace):
 * the client stops resending it and tells the learner.
 */
export const SaveAnswersResponse = z.object({
  results: z.array(
    z.object({
      sequence: z.number().int(),
      outcome: z.enum(['stored', 'duplicate', 'rejected']),
      code: AnswerRejectionCode.optional(),
      message: z.string().optional(),
    }),
  ),
});
export type SaveAnswersResponse = z.infer<typeof SaveAnswersResponse>;

export const SubmitSectionRequest = z.object({ reason: z.enum(['learner', 'deadline']) });
export type SubmitSectionRequest = z.infer<typeof SubmitSectionRequest>;

export const Receipt = z.object({
  sessionId: z.string(),
  examTitle: z.string(),
  practice: z.boolean(),
  status: SessionStatus,
  submittedAt: z.string().datetime(),
  /** A short code the learner can quote to staff. */
  receiptCode: z.string(),
  answeredCount: z.number().int(),
  questionCount: z.number().int(),
  /** Auto-graded part only; short answers are graded by staff. Finals show it only after review. */
  autoScore: z
    .object({ points: z.number(), maxPoints: z.number(), percent: z.number(), pendingManualPoints: z.number() })
    .nullable(),
  passPercent: z.number(),
});
export type Receipt = z.infer<typeof Receipt>;

export const TimeResponse = z.object({ serverTime: z.number().int() });
export type TimeResponse = z.infer<typeof TimeResponse>;
