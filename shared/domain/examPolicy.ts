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

/**
 * Thresholds of the capture flags. A flag starts only after its condition has lasted the
 * given seconds; an accommodation profile can relax them (`relaxMonitoring`).
 */
export const MonitoringPolicy = z.object({
  /** Face detections per second during the exam. */
  detectionsPerSecond: z.number().min(0.5).max(10).default(2),
  /** No face for longer than this → `absent`. */
  absentSeconds: z.number().int().min(1).max(600).default(10),
  /** Two or more faces for longer than this → `multiple_faces`. */
  multipleFacesSeconds: z.number().int().min(1).max(600).default(3),
  /** Seconds between comparisons with the identity photo; descriptor distance over the threshold → `different_person`. */
  identityCheckSeconds: z.number().int().min(10).max(3600).default(60),
  differentPersonDistance: z.number().min(0.3).max(1).default(0.6),
  /** Face turned away (landmarks) for longer than this → `looking_away`; 0 turns it off. */
  lookingAwaySeconds: z.number().int().min(0).max(600).default(15),
  /** Voice activity lasting longer than this → `speech`; 0 turns it off. */
  speechSeconds: z.number().int().min(0).max(600).default(5),
  /** Black, frozen or covered picture for longer than this → `camera_blocked`. */
  cameraBlockedSeconds: z.number().int().min(1).max(600).default(5),
});
export type MonitoringPolicy = z.infer<typeof MonitoringPolicy>;

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
  monitoring: MonitoringPolicy.default(MonitoringPolicy.parse({})),
});
export type ExamPolicy = z.infer<typeof ExamPolicy>;
export type ExamPolicyInput = z.input<typeof ExamPolicy>;

/** The policy an exam runs under: the seed's choices over the defaults for its kind. */
export function resolvePolicy(exam: { kind: 'final' | 'practice'; allowWebClient?: boolean | undefined; policy?: ExamPolicyInput | undefined }): ExamPolicy & { allowWebClient: boolean } {
  const parsed = ExamPolicy.parse(exam.policy ?? {});
  return { ...parsed, allowWebClient: parsed.allowWebClient ?? exam.allowWebClient ?? exam.kind === 'practice' };
}
