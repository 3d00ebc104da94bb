import type { Severity } from '../../../../shared/api/events';
import type { MonitoringPolicy } from '../../../../shared/domain/examPolicy';
import type { FlagRule } from '../../../../shared/domain/flagIntervals';
import type { BlockedReason } from './pictureCheck';

/** The capture flags this monitor raises. */
export type MonitoredKind = 'absent' | 'multiple_faces' | 'different_person' | 'looking_away' | 'speech' | 'camera_blocked' | 'camera_lost';

/** The conditions a learner can put right themselves: they get a gentle prompt, never a score. */
export type PromptKind = Extract<MonitoredKind, 'absent' | 'multiple_faces' | 'camera_blocked' | 'speech'>;
export const PROMPT_KINDS: readonly PromptKind[] = ['absent', 'multiple_faces', 'camera_blocked', 'speech'];

const SECOND = 1000;
/** A face lost for a frame or two, or a pause between sentences, does not split one episode into several flags. */
const MERGE_MS = 2 * SECOND;

const rule = (debounceSeconds: number, severity: Severity, escalateAfterSeconds: number | null, mergeMs = MERGE_MS): FlagRule => ({
  debounceMs: debounceSeconds * SECOND,
  mergeGapMs: mergeMs,
  severity,
  escalateAfterMs: escalateAfterSeconds === null ? null : escalateAfterSeconds * SECOND,
});

/** Flag timing from the exam policy (already relaxed by the learner's accommodation on the server). */
export function flagRules(policy: MonitoringPolicy): Partial<Record<MonitoredKind, FlagRule>> {
  const rules: Partial<Record<MonitoredKind, FlagRule>> = {
    absent: rule(policy.absentSeconds, 'medium', Math.max(60, policy.absentSeconds * 6)),
    multiple_faces: rule(policy.multipleFacesSeconds, 'high', null),
    // One comparison per `identityCheckSeconds`: a mismatch opens it, the next match closes it.
    different_person: rule(0, 'high', null, 0),
    camera_blocked: rule(policy.cameraBlockedSeconds, 'medium', Math.max(60, policy.cameraBlockedSeconds * 6)),
    camera_lost: rule(0, 'medium', 60, 0),
  };
  if (policy.lookingAwaySeconds > 0) rules.looking_away = rule(policy.lookingAwaySeconds, 'low', Math.max(60, policy.lookingAwaySeconds * 4));
  if (policy.speechSeconds > 0) rules.speech = rule(policy.speechSeconds, 'low', Math.max(60, policy.speechSeconds * 6));
  return rules;
}

/** Prompts come quickly (the learner can fix the cause before it becomes a flag) and go as soon as it is fixed. */
export function promptRule(kind: PromptKind, policy: MonitoringPolicy): FlagRule {
  const flagSeconds = kind === 'speech' ? policy.speechSeconds : kind === 'absent' ? policy.absentSeconds : kind === 'multiple_faces' ? policy.multipleFacesSeconds : policy.cameraBlockedSeconds;
  return { debounceMs: Math.min(2, flagSeconds) * SECOND, mergeGapMs: SECOND, severity: 'info', escalateAfterMs: null };
}

/** What the proctor reads: what was seen, and the policy's allowance. */
export function flagReason(kind: MonitoredKind, policy: MonitoringPolicy, detail: { blocked?: BlockedReason | null; distance?: number }): string {
  switch (kind) {
    case 'absent':
      return `No face was in view of the camera for longer than the ${policy.absentSeconds} s the exam allows.`;
    case 'multiple_faces':
      return `More than one face was in view of the camera for longer than ${policy.multipleFacesSeconds} s.`;
    case 'different_person':
      return `The face in view did not match the identity photo (distance ${detail.distance?.toFixed(2) ?? '?'}, limit ${policy.differentPersonDistance}).`;
    case 'looking_away':
      return `The head was turned well away from the screen for longer than ${policy.lookingAwaySeconds} s.`;
    case 'speech':
      return `Speaking or other voices were heard for longer than ${policy.speechSeconds} s.`;
    case 'camera_blocked': {
      const how = detail.blocked === 'dark' ? 'black or very dark' : detail.blocked === 'covered' ? 'covered (no detail in the picture)' : 'frozen (the picture stopped changing)';
      return `The camera picture was ${how} for longer than ${policy.cameraBlockedSeconds} s.`;
    }
    case 'camera_lost':
      return 'The camera stopped delivering video (unplugged, taken by another app, or turned off).';
  }
}

export const promptText: Record<PromptKind, string> = {
  absent: 'We can’t see your face — please move back into view of the camera.',
  multiple_faces: 'We can see more than one person. Please make sure you are alone for the exam.',
  camera_blocked: 'Your camera picture is dark or covered. Please uncover the camera and check your light.',
  speech: 'We can hear talking. Please work quietly; if someone is with you, ask them to leave the room.',
};
