import { z } from 'zod';
import { translatorIds } from '../domain/translatorUrls';
import { HostObservations } from '../domain/observations';

/**
 * What the learner agrees to and what their computer showed before the start. Each is
 * stored with the session for the proctor; `startSession` refuses until the exam's required steps
 * are done (`start_requirements_missing`, with the missing steps in `details`).
 */

/** Bumped whenever the consent text changes; the server stores the version the learner saw. */
export const CONSENT_VERSION = '2026-11-1';

export const RecordConsentRequest = z.object({
  version: z.literal(CONSENT_VERSION),
  /** The learner ticked each: recording of camera and microphone, ID images, monitoring of the computer. */
  accepted: z.literal(true),
});
export type RecordConsentRequest = z.infer<typeof RecordConsentRequest>;

export const CheckId = z.enum([
  'camera',
  'microphone',
  'displays',
  'virtual_machine',
  'processes',
  'fullscreen',
  'bandwidth',
  'disk',
  'app_version',
  'ocr_engine',
  /** What this computer's lockdown prevents, detects or cannot reach; per-measure statuses in `figures` (lockdownCapabilities.ts). */
  'lockdown',
]);
export type CheckId = z.infer<typeof CheckId>;

export const CheckStatus = z.enum(['pass', 'warn', 'fail', 'unsupported']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const CheckItem = z.object({
  id: CheckId,
  status: CheckStatus,
  /** What was seen, in one sentence ("2 displays: Built-in Retina, DELL U2720Q"). */
  observed: z.string().max(500),
  /** How to fix it, in one sentence; null when it passed. */
  fix: z.string().max(500).nullable(),
  /** Measured figures (kbps, free bytes, width …) for the proctor. */
  figures: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])).default({}),
}).refine((item) => item.id !== 'lockdown' || item.status === 'pass' || item.status === 'warn', {
  // The learner's app describes its own lockdown: shown to the proctor, never a reason to refuse the start.
  message: 'The lockdown item is pass or warn, never fail.',
  path: ['status'],
});
export type CheckItem = z.infer<typeof CheckItem>;

export const SystemCheckReport = z.object({
  checkedAt: z.string().datetime(),
  hostKind: z.enum(['desktop', 'web']),
  appVersion: z.string().max(64),
  items: z.array(CheckItem).min(1).max(20),
  /** The raw observations the items came from (processes trimmed to the flagged ones). */
  observations: HostObservations.nullable(),
});
export type SystemCheckReport = z.infer<typeof SystemCheckReport>;

/** A report blocks the start when any item failed. */
export const reportBlocks = (report: SystemCheckReport): boolean => report.items.some((i) => i.status === 'fail');

export const ChooseTranslatorRequest = z.object({ translator: z.enum(translatorIds) });
export type ChooseTranslatorRequest = z.infer<typeof ChooseTranslatorRequest>;

/** Each requirement of the start and whether it is met; part of SessionView. */
export const StartChecks = z.object({
  consent: z.boolean(),
  systemCheck: z.enum(['missing', 'passed', 'failed']),
  identity: z.enum(['not_required', 'not_started', 'in_progress', 'passed', 'manual_review']),
  translator: z.enum(translatorIds).nullable(),
  translatorRequired: z.boolean(),
});
export type StartChecks = z.infer<typeof StartChecks>;

/** Upload bandwidth probe: the client posts this many random bytes and times the reply. */
export const BANDWIDTH_PROBE_BYTES = 1024 * 1024;
export const BandwidthProbeReply = z.object({ receivedBytes: z.number().int(), serverMs: z.number() });
export type BandwidthProbeReply = z.infer<typeof BandwidthProbeReply>;

/** The oldest app version the server accepts (desktop and web); older apps are told to update. */
export const VersionPolicy = z.object({ minimumAppVersion: z.string(), serverVersion: z.string() });
export type VersionPolicy = z.infer<typeof VersionPolicy>;
