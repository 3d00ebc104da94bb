import type { RenderProcessGoneDetails, WebContents } from 'electron';
import type { HostIncidentKind } from '../../shared/domain/observations';
import type { Logger } from '../log';
import type { DesktopLockdown } from './lockdown';

/** The exam page's contents as crash recovery watches them. */
export type WatchedContents = Pick<WebContents, 'on' | 'removeListener' | 'reload' | 'forcefullyCrashRenderer' | 'isDestroyed'>;

/** What the learner is told when the app gives up; `detail` is the longer explanation. */
export interface LearnerMessage {
  readonly title: string;
  readonly message: string;
  readonly detail: string;
}

export interface CrashRecoveryOptions {
  readonly lockdown: Pick<DesktopLockdown, 'recordIncident' | 'releaseAny'>;
  /** Shows the message (a native dialog) and resolves once the learner has closed it. */
  readonly tell: (message: LearnerMessage) => Promise<void>;
  /** Quits the app (app.quit: `will-quit` still flushes the recording). */
  readonly quit: () => void;
  readonly now: () => number;
  readonly log: Logger;
  readonly timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
  /** Reloads allowed within `reloadWindowMs` before the app gives up (default 3 in 10 minutes). */
  readonly maxReloads?: number;
  readonly reloadWindowMs?: number;
  /** How long a page that stopped responding may take to come back before it is reloaded (default 15 s). */
  readonly unresponsiveWaitMs?: number;
}

const resumeAdvice =
  'The exam lockdown is now off and Invigil will close. Your saved answers are kept and this attempt can be resumed: ' +
  'open Invigil again, sign in and choose Resume on this exam. The time of a section you opened keeps running on the ' +
  'server while you are away. If this happens again, contact your exam support team.';

/**
 * Never traps a learner (the lockdown refuses close and quit and keeps the window on top): when the
 * exam page crashes or stops responding it is reloaded, a bounded number of times; after that, or on
 * an error in the main process during an exam, the lockdown is released, the learner is told what
 * happened and that the attempt can be resumed, and the app quits. Each incident is logged and
 * recorded as a `host_incident` observation for the exam locked down at the time.
 */
export class CrashRecovery {
  private readonly reloads: number[] = [];
  private hang: { readonly since: number; readonly timer: ReturnType<typeof setTimeout> } | null = null;
  /** Set while the app itself kills a hung page: the `render-process-gone` that follows is not a new crash. */
  private killing = false;
  private gaveUp = false;
  private readonly maxReloads: number;
  private readonly reloadWindowMs: number;
  private readonly unresponsiveWaitMs: number;
  private readonly timers: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };

  constructor(private readonly options: CrashRecoveryOptions) {
    this.maxReloads = options.maxReloads ?? 3;
    this.reloadWindowMs = options.reloadWindowMs ?? 10 * 60_000;
    this.unresponsiveWaitMs = options.unresponsiveWaitMs ?? 15_000;
    this.timers = options.timers ?? { setTimeout, clearTimeout };
  }

  /** True once the app has released the lockdown for good and is quitting. */
  get givenUp(): boolean {
    return this.gaveUp;
  }

  /** Watches the exam page; returns the function that stops watching. */
  watch(contents: WatchedContents): () => void {
    const gone = (_event: unknown, details: RenderProcessGoneDetails) => this.onGone(contents, details);
    const unresponsive = () => this.onUnresponsive(contents);
    const responsive = () => this.onResponsive();
    contents.on('render-process-gone', gone);
    contents.on('unresponsive', unresponsive);
    contents.on('responsive', responsive);
    return () => {
      contents.removeListener('render-process-gone', gone);
      contents.removeListener('unresponsive', unresponsive);
      contents.removeListener('responsive', responsive);
      this.clearHang();
    };
  }

  /**
   * An uncaught exception or unhandled rejection in the main process. Nothing is known to work after
   * it, so an exam locked down now is released and the app quits; with no exam locked down the learner
   * can quit as usual, and the error is only logged.
   */
  async mainProcessError(origin: 'uncaughtException' | 'unhandledRejection', error: unknown): Promise<void> {
    // Name and frames only: a message may quote a payload.
    this.options.log.error('crash recovery: error in the main process', {
      origin,
      error: error instanceof Error ? error.name : typeof error,
      at: error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 4).join(' | ').trim() : undefined,
    });
    if (this.gaveUp) return;
    // The page is alive: it hears the incident now and sends it before the app closes (or at Resume).
    const sessionId = this.options.lockdown.recordIncident(
      { incident: 'main_process_error', outcome: 'released', detail: 'The lockdown was released and the app closed.' },
      'live',
    );
    if (sessionId === null) return;
    await this.giveUp('main_process_error', {
      title: 'Invigil had to stop the exam',
      message: 'Invigil hit an internal error and cannot safely go on with the exam.',
      detail: resumeAdvice,
    });
  }

  private onGone(contents: WatchedContents, details: RenderProcessGoneDetails): void {
    if (this.killing) {
      this.killing = false;
      return; // the hang handler killed it and has already reloaded it
    }
    if (details.reason === 'clean-exit' || this.gaveUp || contents.isDestroyed()) return;
    this.clearHang();
    this.options.log.error('crash recovery: the exam page crashed', { reason: details.reason, exitCode: details.exitCode });
    this.reloadOrGiveUp(contents, 'renderer_crashed', `The page process ended (${details.reason}).`);
  }

  private onUnresponsive(contents: WatchedContents): void {
    if (this.hang !== null || this.gaveUp) return; // Electron repeats the event while the page stays hung
    const since = this.options.now();
    this.options.log.warn('crash recovery: the exam page stopped responding', { waitMs: this.unresponsiveWaitMs });
    const timer = this.timers.setTimeout(() => {
      this.hang = null;
      if (this.gaveUp || contents.isDestroyed()) return;
      const seconds = Math.round((this.options.now() - since) / 1000);
      this.options.log.error('crash recovery: the exam page did not recover', { seconds });
      this.reloadOrGiveUp(contents, 'renderer_unresponsive', `It did not respond for ${seconds} seconds.`);
    }, this.unresponsiveWaitMs);
    this.hang = { since, timer };
  }

  private onResponsive(): void {
    const hang = this.hang;
    if (hang === null) return;
    this.clearHang();
    const seconds = Math.round((this.options.now() - hang.since) / 1000);
    this.options.log.info('crash recovery: the exam page responds again', { seconds });
    this.options.lockdown.recordIncident(
      { incident: 'renderer_unresponsive', outcome: 'recovered', detail: `It did not respond for ${seconds} seconds.` },
      'live',
    );
  }

  private reloadOrGiveUp(contents: WatchedContents, incident: HostIncidentKind, detail: string): void {
    const now = this.options.now();
    while (this.reloads.length > 0 && now - (this.reloads[0] ?? now) >= this.reloadWindowMs) this.reloads.shift();
    const hung = incident === 'renderer_unresponsive';
    if (this.reloads.length >= this.maxReloads) {
      // A hung page would hold up closing the window: end its process first.
      if (hung) this.kill(contents);
      const minutes = Math.round(this.reloadWindowMs / 60_000);
      this.options.lockdown.recordIncident({ incident, outcome: 'released', detail: `${detail} It failed ${this.reloads.length + 1} times in ${minutes} minutes.` }, 'after_reload');
      void this.giveUp(incident, {
        title: 'Invigil had to stop the exam',
        message: `The exam page stopped working ${this.reloads.length + 1} times in ${minutes} minutes and could not be restarted.`,
        detail: resumeAdvice,
      });
      return;
    }
    this.reloads.push(now);
    // The page that comes back hears of it when it locks the exam down again (lockdown:engage).
    this.options.lockdown.recordIncident({ incident, outcome: 'reloaded', detail }, 'after_reload');
    this.options.log.warn('crash recovery: reloading the exam page', { incident, reload: this.reloads.length, of: this.maxReloads });
    // Electron: reload() straight after forcefullyCrashRenderer() loads the page in a new process.
    if (hung) this.kill(contents);
    contents.reload();
  }

  private kill(contents: WatchedContents): void {
    this.killing = true;
    contents.forcefullyCrashRenderer();
  }

  private async giveUp(incident: HostIncidentKind, message: LearnerMessage): Promise<void> {
    if (this.gaveUp) return;
    this.gaveUp = true;
    this.clearHang();
    let sessionId: string | null = null;
    try {
      sessionId = await this.options.lockdown.releaseAny('Invigil is closing after a problem. Open it again to resume the exam.');
    } catch (error) {
      this.options.log.error('crash recovery: releasing the lockdown failed', { error: error instanceof Error ? error.name : typeof error });
    }
    this.options.log.error('crash recovery: lockdown released, the app will quit', { incident, sessionId: sessionId ?? 'none' });
    try {
      await this.options.tell(message);
    } catch (error) {
      this.options.log.error('crash recovery: the message could not be shown', { error: error instanceof Error ? error.name : typeof error });
    }
    this.options.quit();
  }

  private clearHang(): void {
    if (this.hang !== null) this.timers.clearTimeout(this.hang.timer);
    this.hang = null;
  }
}

/** The process-wide error events crash recovery listens to (Node's `process`). */
export interface ProcessErrors {
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

/**
 * Routes uncaught exceptions and unhandled rejections of the main process to `handle` (crash
 * recovery once it exists). The listeners themselves never throw: a failing handler is logged.
 */
export function handleProcessErrors(
  processErrors: ProcessErrors,
  handle: (origin: 'uncaughtException' | 'unhandledRejection', error: unknown) => Promise<void> | void,
  log: Logger,
): void {
  const safely = (origin: 'uncaughtException' | 'unhandledRejection', error: unknown) => {
    try {
      void Promise.resolve(handle(origin, error)).catch((failure: unknown) => {
        log.error('crash recovery: the error handler failed', { error: failure instanceof Error ? failure.name : typeof failure });
      });
    } catch (failure) {
      log.error('crash recovery: the error handler failed', { error: failure instanceof Error ? failure.name : typeof failure });
    }
  };
  processErrors.on('uncaughtException', (error) => safely('uncaughtException', error));
  processErrors.on('unhandledRejection', (reason) => safely('unhandledRejection', reason));
}
