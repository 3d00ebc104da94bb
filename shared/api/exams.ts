import { z } from 'zod';
import { ExamPolicy } from '../domain/examPolicy';

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and hyphens');
const Text = z.string().min(1).max(4000);

export const ChoiceOption = z.object({ id: Id, text: Text });

// ---- Definitions: what staff author (seed files, admin API). They carry the answer keys and never reach learners.

const QuestionBase = z.object({ id: Id, prompt: Text, points: z.number().positive().max(100) });

export const SingleChoiceDefinition = QuestionBase.extend({
  kind: z.literal('single_choice'),
  options: z.array(ChoiceOption).min(2).max(10),
  correctOptionId: Id,
});
export const MultipleChoiceDefinition = QuestionBase.extend({
  kind: z.literal('multiple_choice'),
  options: z.array(ChoiceOption).min(2).max(10),
  /** Scored all-or-nothing: exactly these options must be chosen. */
  correctOptionIds: z.array(Id).min(1),
});
export const NumberFillInDefinition = QuestionBase.extend({
  kind: z.literal('fill_in'),
  inputType: z.literal('number'),
  unit: z.string().max(40).optional(),
  answer: z.number().finite(),
  /** Absolute tolerance: |given - answer| <= tolerance scores. */
  tolerance: z.number().nonnegative(),
});
export const TextFillInDefinition = QuestionBase.extend({
  kind: z.literal('fill_in'),
  inputType: z.literal('text'),
  /** Compared after trimming, folding white space and case (unless caseSensitive). */
  acceptedAnswers: z.array(z.string().min(1).max(200)).min(1),
  caseSensitive: z.boolean().default(false),
});
export const ShortAnswerDefinition = QuestionBase.extend({
  kind: z.literal('short_answer'),
  maxLength: z.number().int().min(50).max(10000).default(2000),
  /** Guidance for staff grading; never shown to learners. */
  rubric: z.string().max(4000).optional(),
});

/** Longest fill-in answer the server accepts (a word, a number, a short phrase). */
export const FILL_IN_MAX_LENGTH = 500;

export const QuestionDefinition = z.union([
  SingleChoiceDefinition,
  MultipleChoiceDefinition,
  NumberFillInDefinition,
  TextFillInDefinition,
  ShortAnswerDefinition,
]);
export type QuestionDefinition = z.infer<typeof QuestionDefinition>;

export const SectionDefinition = z.object({
  id: Id,
  title: Text,
  /** Minutes the section may be open, before the learner's accommodation multiplier. */
  durationMinutes: z.number().positive().max(600),
  questions: z.array(QuestionDefinition).min(1).max(200),
});
export type SectionDefinition = z.infer<typeof SectionDefinition>;

export const ExamKind = z.enum(['final', 'practice']);
export type ExamKind = z.infer<typeof ExamKind>;

export const ExamDefinition = z.object({
  id: Id,
  code: z.string().min(1).max(40),
  title: Text,
  kind: ExamKind,
  description: Text,
  passPercent: z.number().min(0).max(100),
  /** ISO instants; absent means always open. Section deadlines are capped by `windowClosesAt`. */
  windowOpensAt: z.string().datetime().optional(),
  windowClosesAt: z.string().datetime().optional(),
  /** Whether the browser (web host) may sit it. Default: practice yes, finals no. */
  allowWebClient: z.boolean().optional(),
  /** Lockdown, checks and translators for this exam; what is left out takes the defaults (examPolicy.ts). */
  policy: ExamPolicy.partial().optional(),
  /**
   * Second marking of short answers: each needs two markers, and when their points differ by more than
   * this many points the response is disputed until a third mark or an agreed mark (shared/domain/results.ts).
   * Absent: one marker's mark counts.
   */
  secondMarkingMargin: z.number().min(0).max(100).optional(),
  sections: z.array(SectionDefinition).min(1).max(20),
});
export type ExamDefinition = z.infer<typeof ExamDefinition>;

// ---- Views: what learners see. No answer keys, no rubric.

export const QuestionView = z.discriminatedUnion('kind', [
  z.object({ id: z.string(), kind: z.literal('single_choice'), prompt: z.string(), points: z.number(), options: z.array(ChoiceOption) }),
  z.object({ id: z.string(), kind: z.literal('multiple_choice'), prompt: z.string(), points: z.number(), options: z.array(ChoiceOption) }),
  z.object({
    id: z.string(),
    kind: z.literal('fill_in'),
    prompt: z.string(),
    points: z.number(),
    inputType: z.enum(['number', 'text']),
    unit: z.string().optional(),
  }),
  z.object({ id: z.string(), kind: z.literal('short_answer'), prompt: z.string(), points: z.number(), maxLength: z.number() }),
]);
export type QuestionView = z.infer<typeof QuestionView>;

export const SessionStatus = z.enum([
  'created',
  'ready_to_start',
  'started',
  'ready_to_submit',
  'submitted',
  'second_review_required',
  'verified',
  'rejected',
  'error',
  'timed_out',
]);
export type SessionStatus = z.infer<typeof SessionStatus>;

export const ExamSummary = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  kind: ExamKind,
  description: z.string(),
  passPercent: z.number(),
  windowOpensAt: z.string().datetime().nullable(),
  windowClosesAt: z.string().datetime().nullable(),
  allowWebClient: z.boolean(),
  /** The resolved policy (`resolvePolicy`): the client evaluates its observations against it. */
  policy: ExamPolicy,
  /** The learner's accommodation for this exam (1 = none). */
  timeMultiplier: z.number(),
  sections: z.array(
    z.object({ id: z.string(), title: z.string(), durationMinutes: z.number(), questionCount: z.number().int() }),
  ),
  /** The learner's current or latest attempt; practice exams may have many, this is the newest. */
  attempt: z
    .object({
      sessionId: z.string(),
      status: SessionStatus,
      /** Handed in: an attempt review sent to `error` for staff stays closed to the learner. */
      submitted: z.boolean(),
    })
    .nullable(),
});
export type ExamSummary = z.infer<typeof ExamSummary>;

export const ExamListResponse = z.object({ exams: z.array(ExamSummary) });
export type ExamListResponse = z.infer<typeof ExamListResponse>;
