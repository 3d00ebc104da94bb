import { z } from 'zod';
import { translatorIds } from './translatorUrls';

/**
 * Per-exam rules for lockdown, checks and monitoring ("software varies by exam"). Exam seeds carry
 * one (`ExamDefinition.policy`); `resolvePolicy` fills what a seed leaves out with the defaults for
 * its kind. Evaluation is pure code in `policyEvaluation.ts`.
 */

/** What a blocked application is, so a policy can block by kind and the learner is told why. */
export const ProcessCategory = z.enum([
  /** TeamViewer, AnyDesk, Chrome Remote Desktop, VNC servers, RustDesk, Parsec … */
  'remote_control',
  /** Zoom, Teams, Discord, Skype, Slack huddles: anything that can share the screen. */
  'screen_share',
  /** OBS, Bandicam, Camtasia, ShareX, SimpleScreenRecorder … */
  'recorder',
  /** WhatsApp, Telegram, Signal, WeChat, QQ, Messenger … */
  'messaging',
  /** Other web browsers (the translator is offered inside Invigil). */
  'browser',
  /** AI assistants and note apps that read the screen. */
  'assistant',
]);
export type ProcessCategory = z.infer<typeof ProcessCategory>;

export const TranslatorMode = z.enum(['one-of', 'any-of', 'none']);
export type TranslatorMode = z.infer<typeof TranslatorMode>;

export const ExamPolicy = z.object({
  /** Active displays allowed (a closed laptop lid does not count). */
  maxDisplays: z.number().int().min(1).max(4).default(1),
  /** `refuse`: a virtual machine blocks the start; `flag`: allowed, flagged for the proctor. */
  virtualMachines: z.enum(['refuse', 'flag', 'allow']).default('refuse'),
  blockedCategories: z.array(ProcessCategory).default(['remote_control', 'screen_share', 'recorder', 'messaging', 'browser', 'assistant']),
  /** Executable names exempt from the blocked lists (an accessibility tool the programme approved). */
  allowedApplications: z.array(z.string().min(1).max(260)).max(100).default([]),
  /** `isolated`: copy and paste only between the exam and the translator; `off`: no clipboard at all. */
  clipboard: z.enum(['isolated', 'off']).default('isolated'),
  translators: TranslatorMode.default('one-of'),
  /** The translators offered (a subset of the three approved ones). */
  approvedTranslators: z.array(z.enum(translatorIds)).min(1).max(3).default(['google', 'youdao', 'bing']),
  /** Whether the web host (a plain browser) may sit the exam. Default: practice yes, finals no. */
  allowWebClient: z.boolean().optional(),
  /** Identity check before the start: `required` (photo ID + face), or `off` (test seeds only). */
  identity: z.enum(['required', 'off']).default('required'),
  /** Seconds of focus loss tolerated before it becomes an event worth a proctor's look. */
  focusLossGraceSeconds: z.number().int().min(0).max(600).default(5),
  /** Seconds between process scans during the exam. */
  processScanSeconds: z.number().int().min(5).max(600).default(30),
});
export type ExamPolicy = z.infer<typeof ExamPolicy>;
export type ExamPolicyInput = z.input<typeof ExamPolicy>;

/** The policy an exam runs under: the seed's choices over the defaults for its kind. */
export function resolvePolicy(exam: { kind: 'final' | 'practice'; allowWebClient?: boolean | undefined; policy?: ExamPolicyInput | undefined }): ExamPolicy & { allowWebClient: boolean } {
  const parsed = ExamPolicy.parse(exam.policy ?? {});
  return { ...parsed, allowWebClient: parsed.allowWebClient ?? exam.allowWebClient ?? exam.kind === 'practice' };
}
