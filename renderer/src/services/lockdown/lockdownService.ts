import type { ExamPolicy } from '../../../../shared/domain/examPolicy';
import type { LockdownCapabilities } from '../../../../shared/domain/lockdownCapabilities';
import type { TranslatorId } from '../../../../shared/domain/translatorUrls';
import type { Result } from '../../../../shared/result';

/** What the lockdown could put in place on this host; the UI and the proctor see the same. */
export interface LockdownStatus {
  readonly sessionId: string;
  /** Desktop kiosk window, or the browser's full screen (the web host cannot keep a learner in it). */
  readonly mode: 'kiosk' | 'browser_fullscreen' | 'none';
  readonly contentProtection: boolean;
  readonly processScan: boolean;
  /** Per measure, what this lockdown prevents, only detects or cannot reach here (with the Keyboard Lock when obtained). */
  readonly capabilities: LockdownCapabilities;
}

export type LockdownErrorCode = 'engage_failed';

/**
 * The exam's lockdown, from Begin to submit. On the desktop the host locks the window and
 * reports what it sees; in a browser only the Fullscreen API, focus and visibility are available.
 * Observations become session events through the exam policy (`policyEvaluation.ts`) and are sent
 * to the server, idempotently, like answers.
 */
export interface LockdownService {
  engage(sessionId: string, policy: ExamPolicy, translator: TranslatorId | null): Promise<Result<LockdownStatus, LockdownErrorCode>>;
  /** After submit: releases the window, closes open events (focus still lost) and sends what is left. */
  release(sessionId: string): Promise<void>;
  /**
   * "I need to leave": records the learner's reason as an event, then releases like `release`. The
   * attempt stays resumable (the server keeps the section timers); the next engage locks down again.
   */
  leave(sessionId: string, reason: string): Promise<void>;
  current(): LockdownStatus | null;
  /** The learner tried to quit or close the exam window (desktop): the exam asks them to submit first. */
  onQuitRequested(listener: () => void): () => void;
}
