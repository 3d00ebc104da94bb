import type { ExamPolicy } from '../../shared/domain/examPolicy';
import type { TranslatorId } from '../../shared/domain/translatorUrls';
import type { HostErrorCode, ReplyOf } from '../../shared/ipc/contract';
import { fail, type Result } from '../../shared/result';

export interface EngageRequest {
  readonly sessionId: string;
  readonly policy: ExamPolicy;
  readonly translator: TranslatorId | null;
}

/**
 * The exam lockdown as the handler table sees it. The desktop host implements
 * it with Electron (adapters/lockdown.ts); the web host cannot, and says so.
 */
export interface Lockdown {
  engage(request: EngageRequest): Promise<Result<ReplyOf<'lockdown:engage'>, HostErrorCode>>;
  release(sessionId: string): Promise<Result<ReplyOf<'lockdown:release'>, HostErrorCode>>;
  /** The learner leaves before submitting ("I need to leave"): released like `release`, the reason logged. */
  leave(sessionId: string, reason: string): Promise<Result<ReplyOf<'lockdown:leave'>, HostErrorCode>>;
  setTranslatorVisible(visible: boolean, widthFraction: number, translator?: TranslatorId): Promise<Result<ReplyOf<'translator:setVisible'>, HostErrorCode>>;
}

const notHere = 'A web browser cannot lock the exam down or show the translator beside it; use the Invigil desktop app.';

/** The web host's lockdown: every call answers `unsupported`, so the UI tells the learner plainly. */
export const unsupportedLockdown: Lockdown = {
  engage: async () => fail('unsupported', notHere),
  release: async () => fail('unsupported', notHere),
  leave: async () => fail('unsupported', notHere),
  setTranslatorVisible: async () => fail('unsupported', notHere),
};
