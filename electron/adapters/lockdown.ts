import type { PowerMonitor, PowerSaveBlocker, Screen } from 'electron';
import { lockdownCapabilities, type PlatformDescriptor } from '../../shared/domain/lockdownCapabilities';
import type { LockdownObservation } from '../../shared/domain/observations';
import { allowedTranslators, type TranslatorId } from '../../shared/domain/translatorUrls';
import type { HostErrorCode, ReplyOf } from '../../shared/ipc/contract';
import { fail, ok, type Result } from '../../shared/result';
import type { Logger } from '../log';
import type { EngageRequest, Lockdown } from '../services/lockdown';
import type { SystemProbe } from '../services/systemProbe';
import type { IsolatedClipboard } from './clipboard';
import { watchDisplays } from './displays';
import { lockApplicationMenu, lockExamWindow, watchExamWindow, type LockableWindow, type MenuFactory } from './examWindow';
import { guardKeyboard, type GuardedContents } from './keyboard';
import { openTranslatorView, type HostWindow, type TranslatorView, type TranslatorViewOptions } from './translatorView';

export type ExamWindow = LockableWindow & HostWindow & { readonly webContents: GuardedContents };

export interface DesktopLockdownOptions {
  /** The window the exam runs in (null before it exists or after it closed). */
  readonly examWindow: () => ExamWindow | null;
  readonly screen: Pick<Screen, 'getPrimaryDisplay' | 'getAllDisplays' | 'on' | 'removeListener'>;
  readonly powerMonitor: Pick<PowerMonitor, 'on' | 'removeListener'>;
  readonly powerSaveBlocker: Pick<PowerSaveBlocker, 'start' | 'stop' | 'isStarted'>;
  readonly app: { on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown };
  readonly clipboard: IsolatedClipboard;
  readonly probe: Pick<SystemProbe, 'processes'>;
  readonly createView: TranslatorViewOptions['createView'];
  readonly fromPartition: TranslatorViewOptions['fromPartition'];
  /** Web contents whose navigation the translator adapter owns (see guardAllWebContents). */
  readonly translatorContents: WeakSet<object>;
  readonly report: (observation: LockdownObservation) => void;
  readonly now: () => number;
  /** The computer as detected at start-up (adapters/platformSession.ts). */
  readonly platform: PlatformDescriptor;
  readonly log: Logger;
  /** Why this launch may not run an exam (debugging switched on), or null. */
  readonly launchProblem: string | null;
  /** A fresh random string for the translator's partition name. */
  readonly nonce: () => string;
  readonly timers?: { setInterval: typeof setInterval; clearInterval: typeof clearInterval };
  /** Electron's `Menu`: while engaged the application menu is the minimal exam menu (see EXAM_MENU). */
  readonly menu?: MenuFactory;
}

type EngageReply = ReplyOf<'lockdown:engage'>;

/** A fault the host handled, or the learner leaving (see `HostIncidentKind`). */
export type HostIncident = Extract<LockdownObservation, { kind: 'host_incident' }>;

/** `live`: the page hears it now. `after_reload`: the page is gone; handed over at its next `lockdown:engage`. */
export type IncidentDelivery = 'live' | 'after_reload';

/** Incidents kept per session for the reloaded page; a page that never comes back cannot grow this without bound. */
const MAX_UNSEEN = 50;

interface Engaged {
  readonly sessionId: string;
  readonly reply: EngageReply;
  /** The translators this attempt may use: the chosen one (`one-of`) or every approved one (`any-of`). */
  readonly allowed: readonly TranslatorId[];
  /** The side view shown now, and how to open another (any-of: the learner switches). */
  translator: { readonly id: TranslatorId; readonly view: TranslatorView } | null;
  readonly open: (translator: TranslatorId) => TranslatorView;
  readonly undo: (() => void | Promise<void>)[];
}

/**
 * The desktop lockdown: composes the thin adapters for one exam at a time and undoes
 * them in reverse order at release (or when engaging fails half-way).
 */
export class DesktopLockdown implements Lockdown {
  private engaged: Engaged | null = null;
  /** Incidents no page has heard yet, per session, oldest first. */
  private readonly unseen = new Map<string, HostIncident[]>();
  /** Set once the app is closing after a fault: no exam may be locked down again in this run. */
  private closing: string | null = null;

  constructor(private readonly options: DesktopLockdownOptions) {
    // Quitting (Cmd+Q, the dock, a logout prompt) during an exam is refused; the renderer asks the
    // learner to submit first, then releases the lockdown and quitting works again.
    options.app.on('before-quit', (event) => {
      if (this.engaged === null) return;
      event.preventDefault();
      this.report({ kind: 'quit_requested', at: this.at() });
    });
  }

  get isEngaged(): boolean {
    return this.engaged !== null;
  }

  async engage({ sessionId, policy, translator }: EngageRequest): Promise<Result<EngageReply, HostErrorCode>> {
    const { options } = this;
    if (options.launchProblem !== null) return fail('unsupported', options.launchProblem);
    if (this.closing !== null) return fail('unsupported', this.closing);
    if (this.engaged !== null) {
      if (this.engaged.sessionId === sessionId) return ok(this.handOver(sessionId, this.engaged.reply));
      return fail('invalid_request', 'Another exam is locked down on this computer; submit it first.');
    }
    if (translator !== null && (policy.translators === 'none' || !policy.approvedTranslators.includes(translator))) {
      return fail('invalid_request', `This exam does not allow the ${translator} translator.`);
    }
    const window = options.examWindow();
    if (window === null) return fail('not_found', 'The exam window is not open.');

    const undo: Engaged['undo'] = [];
    try {
      options.clipboard.reset(policy.clipboard);
      options.clipboard.clearSystem();
      undo.push(() => {
        options.clipboard.wipe();
        options.clipboard.clearSystem();
      });

      const lock = lockExamWindow(window, options.screen, options.platform.os);
      undo.push(() => lock.restore());
      if (options.menu !== undefined) undo.push(lockApplicationMenu(options.menu));
      const shortcut = (action: string) => this.report({ kind: 'shortcut_blocked', at: this.at(), action });
      undo.push(guardKeyboard(window.webContents, { clipboard: options.clipboard, report: shortcut }));
      undo.push(
        watchExamWindow(
          window,
          (observation) => {
            // Leaving the window is when another program could read the system clipboard.
            if (observation.kind === 'focus_lost') options.clipboard.clearSystem();
            this.report(observation);
          },
          options.now,
        ),
      );
      undo.push(watchDisplays(options.screen, (observation) => this.report(observation), options.now));
      undo.push(this.watchPower(window));

      const blocker = options.powerSaveBlocker.start('prevent-display-sleep');
      undo.push(() => {
        if (options.powerSaveBlocker.isStarted(blocker)) options.powerSaveBlocker.stop(blocker);
      });

      undo.push(this.scanProcesses(policy.processScanSeconds));

      const allowed =
        policy.translators === 'none'
          ? []
          : allowedTranslators({ mode: policy.translators, allowed: policy.approvedTranslators }, translator ?? undefined);
      const open = (id: TranslatorId) => this.openTranslator(id, sessionId, window, shortcut);
      const first = translator ?? (policy.translators === 'any-of' ? (allowed[0] ?? null) : null);
      // Opened last: nothing after it can fail. Whichever view is open at release is wiped and destroyed there.
      const view = first === null ? null : { id: first, view: open(first) };

      const engaged = {
        kiosk: lock.kiosk,
        alwaysOnTop: lock.alwaysOnTop,
        contentProtection: lock.contentProtection,
        displaySleepBlocked: options.powerSaveBlocker.isStarted(blocker),
        processScan: true,
      };
      // What this lockdown does here: the platform's answers, lowered to what just took effect.
      const capabilities = lockdownCapabilities({ host: 'desktop', platform: options.platform, engaged });
      const reply = {
        kiosk: engaged.kiosk,
        contentProtection: capabilities.measures.screen_capture.status === 'enforced',
        displaySleepBlocked: engaged.displaySleepBlocked,
        processScan: engaged.processScan,
        capabilities,
      };
      this.engaged = { sessionId, reply, allowed, translator: view, open, undo };
      options.log.info('lockdown: engaged', { sessionId, translator: view?.id ?? 'none', ...engaged });
      return ok(this.handOver(sessionId, reply));
    } catch (error) {
      await runUndo(undo, options.log);
      throw error;
    }
  }

  async release(sessionId: string): Promise<Result<Record<string, never>, HostErrorCode>> {
    const engaged = this.engaged;
    if (engaged === null) return ok({});
    if (engaged.sessionId !== sessionId) return fail('not_found', 'That exam is not the one locked down.');
    this.engaged = null;
    await engaged.translator?.view.destroy();
    await runUndo(engaged.undo, this.options.log);
    this.options.log.info('lockdown: released', { sessionId });
    return ok({});
  }

  async leave(sessionId: string, reason: string): Promise<Result<Record<string, never>, HostErrorCode>> {
    if (this.engaged !== null && this.engaged.sessionId === sessionId) {
      // The reason is the learner's own text: the renderer sends it to the server; the log keeps its length.
      this.options.log.warn('lockdown: the learner left the exam', { sessionId, reasonLength: reason.length });
    }
    return this.release(sessionId);
  }

  /**
   * Records a fault the host handled for the exam locked down now (none: nothing to record, returns
   * null). `live` reports it at once; `after_reload` keeps it for the reloaded page's next engage.
   */
  recordIncident(incident: Pick<HostIncident, 'incident' | 'outcome' | 'detail'>, delivery: IncidentDelivery): string | null {
    const engaged = this.engaged;
    if (engaged === null) return null;
    const observation: HostIncident = { kind: 'host_incident', at: this.at(), ...incident, detail: incident.detail.slice(0, 500) };
    if (delivery === 'live') {
      this.report(observation);
    } else {
      const kept = this.unseen.get(engaged.sessionId) ?? [];
      this.unseen.set(engaged.sessionId, [...kept, observation].slice(-MAX_UNSEEN));
    }
    return engaged.sessionId;
  }

  /**
   * Releases whatever exam is locked down (a fault the app cannot recover from) and refuses to lock
   * one down again in this run, saying `closing`; returns the released session, or null.
   */
  async releaseAny(closing: string): Promise<string | null> {
    this.closing = closing;
    const sessionId = this.engaged?.sessionId ?? null;
    if (sessionId !== null) await this.release(sessionId);
    return sessionId;
  }

  /**
   * Shows or hides the side view. `translator` switches to another allowed translator (`any-of`
   * exams): the old view's storage is wiped and it is destroyed before the new one opens.
   */
  async setTranslatorVisible(
    visible: boolean,
    widthFraction: number,
    translator?: TranslatorId,
  ): Promise<Result<{ visible: boolean; translator: TranslatorId | null }, HostErrorCode>> {
    const engaged = this.engaged;
    if (engaged === null) return fail('not_found', 'No exam is locked down.');
    const target = translator ?? engaged.translator?.id;
    if (target === undefined) return fail('not_found', 'No translator was chosen for this exam.');
    if (!engaged.allowed.includes(target)) return fail('invalid_request', `This exam does not allow the ${target} translator.`);
    if (engaged.translator?.id !== target) {
      await engaged.translator?.view.destroy();
      engaged.translator = { id: target, view: engaged.open(target) };
      this.options.log.info('lockdown: translator switched', { sessionId: engaged.sessionId, translator: target });
    }
    return ok({ visible: engaged.translator.view.setVisible(visible, widthFraction), translator: target });
  }

  private openTranslator(translator: TranslatorId, sessionId: string, window: ExamWindow, shortcut: (action: string) => void): TranslatorView {
    const { options } = this;
    return openTranslatorView({
      translator,
      // Unique per session and per engage, in memory only (no `persist:` prefix).
      partition: `invigil-translator-${sessionId.replace(/[^A-Za-z0-9_-]/g, '_')}-${options.nonce()}`,
      window,
      createView: options.createView,
      fromPartition: options.fromPartition,
      report: (observation) => this.report(observation),
      now: options.now,
      log: options.log,
      prepare: (contents) => {
        options.translatorContents.add(contents);
        // Removed with the contents: the view is destroyed at release.
        guardKeyboard(contents as unknown as GuardedContents, { clipboard: options.clipboard, report: shortcut });
      },
    });
  }

  /**
   * Sleep and wake become observations. Locking the screen (macOS and Windows only; Linux has no such
   * event) cannot be prevented: it is reported as leaving the exam window, and unlocking as coming
   * back only when the window really has focus again (otherwise its own focus event says so later).
   */
  private watchPower(window: ExamWindow): () => void {
    const { powerMonitor } = this.options;
    const suspend = () => this.report({ kind: 'suspend', at: this.at() });
    const resume = () => this.report({ kind: 'resume', at: this.at() });
    const locked = () => this.report({ kind: 'focus_lost', at: this.at() });
    const unlocked = () => {
      if (window.isFocused()) this.report({ kind: 'focus_regained', at: this.at() });
    };
    powerMonitor.on('suspend', suspend);
    powerMonitor.on('resume', resume);
    powerMonitor.on('lock-screen', locked);
    powerMonitor.on('unlock-screen', unlocked);
    return () => {
      powerMonitor.removeListener('suspend', suspend);
      powerMonitor.removeListener('resume', resume);
      powerMonitor.removeListener('lock-screen', locked);
      powerMonitor.removeListener('unlock-screen', unlocked);
    };
  }

  /** One scan now, then every `seconds`; a slow scan is never overlapped by the next. */
  private scanProcesses(seconds: number): () => void {
    const { probe, clipboard, log } = this.options;
    const timers = this.options.timers ?? { setInterval, clearInterval };
    let running = false;
    let stopped = false;
    const scan = async () => {
      if (running) return;
      running = true;
      try {
        // A translator page's own "copy" button can still reach the system clipboard (see docs/security.md).
        clipboard.clearSystem();
        const processes = await probe.processes();
        if (processes !== null && !stopped) this.report({ kind: 'processes', at: this.at(), processes });
        if (processes === null) log.warn('lockdown: process scan failed');
      } finally {
        running = false;
      }
    };
    void scan();
    const timer = timers.setInterval(() => void scan(), seconds * 1000);
    return () => {
      stopped = true;
      timers.clearInterval(timer);
    };
  }

  /** The engage reply, with the incidents kept for this session (handed over once). */
  private handOver(sessionId: string, reply: EngageReply): EngageReply {
    const incidents = this.unseen.get(sessionId);
    if (incidents === undefined) return reply;
    this.unseen.delete(sessionId);
    return { ...reply, incidents };
  }

  private report(observation: LockdownObservation): void {
    this.options.report(observation);
  }

  private at(): string {
    return new Date(this.options.now()).toISOString();
  }
}

async function runUndo(undo: readonly (() => void | Promise<void>)[], log: Logger): Promise<void> {
  for (const step of [...undo].reverse()) {
    try {
      await step();
    } catch (error) {
      // Keep undoing: one stuck step must not leave the window locked.
      log.error('lockdown: a release step failed', { error: error instanceof Error ? error.name : typeof error });
    }
  }
}
