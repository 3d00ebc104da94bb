import { SessionEvent, type SessionEventInput } from '../../../../shared/api/events';
import type { ExamPolicy } from '../../../../shared/domain/examPolicy';
import { webLockdownCapabilities, withKeyboardLock } from '../../../../shared/domain/lockdownCapabilities';
import type { DisplayInfo, LockdownObservation } from '../../../../shared/domain/observations';
import type { TranslatorId } from '../../../../shared/domain/translatorUrls';
import type { InvigilHost } from '../../../../shared/ipc/contract';
import { fail, ok, type Result } from '../../../../shared/result';
import type { Logger } from '../logger';
import type { EventOutbox } from './eventOutbox';
import type { LockdownErrorCode, LockdownService, LockdownStatus } from './lockdownService';

/** The exam policy's reading of observations (policyEvaluation.ts), as a port so this stays testable. */
export interface EventRules<S> {
  /** `displays`: the screens attached when the exam begins (null when the host cannot list them). */
  initial(policy: ExamPolicy, displays: readonly DisplayInfo[] | null): S;
  observe(policy: ExamPolicy, state: S, observation: LockdownObservation): { state: S; events: SessionEventInput[] };
  /** At the end of the exam: intervals still open (focus still lost) end now. */
  close(policy: ExamPolicy, state: S, at: string): { state: S; events: SessionEventInput[] };
}

/** What a plain browser can do: the Fullscreen API, the Keyboard Lock API, and observations of focus, visibility and screens. */
export interface BrowserLockdown {
  enterFullscreen(): Promise<boolean>;
  exitFullscreen(): Promise<void>;
  /** Asks the Keyboard Lock API for the system keys it can hold (keyboardLock.ts); true once granted. Never throws. */
  lockKeys(): Promise<boolean>;
  unlockKeys(): void;
  /** Starts reporting observations; returns the stop function. */
  watch(listener: (o: LockdownObservation) => void): () => void;
}

export interface ExamLockdownDeps<S> {
  readonly host: Pick<InvigilHost, 'lockdown:engage' | 'lockdown:release' | 'lockdown:leave' | 'system:probe' | 'on'>;
  /** True on the desktop host (kiosk window); false in a browser. */
  readonly desktop: boolean;
  readonly browser: BrowserLockdown;
  readonly rules: EventRules<S>;
  readonly outbox: (sessionId: string) => EventOutbox;
  readonly now: () => Date;
  readonly log: Logger;
}

interface Engaged<S> {
  readonly status: LockdownStatus;
  readonly policy: ExamPolicy;
  readonly outbox: EventOutbox;
  state: S;
  stop: () => void;
}

/**
 * The lockdown from Begin to submit. Desktop: the host's kiosk window and its observations, plus
 * the Keyboard Lock API in the page's own full screen. Browser: full screen when allowed, and what the page can see. Either way each
 * observation goes through the exam policy, and the resulting events through the outbox.
 */
export class ExamLockdown<S> implements LockdownService {
  private engaged: Engaged<S> | null = null;
  private readonly quitListeners = new Set<() => void>();

  constructor(private readonly deps: ExamLockdownDeps<S>) {}

  onQuitRequested(listener: () => void): () => void {
    this.quitListeners.add(listener);
    return () => this.quitListeners.delete(listener);
  }

  current(): LockdownStatus | null {
    return this.engaged?.status ?? null;
  }

  async engage(sessionId: string, policy: ExamPolicy, translator: TranslatorId | null): Promise<Result<LockdownStatus, LockdownErrorCode>> {
    if (this.engaged?.status.sessionId === sessionId) return ok(this.engaged.status);
    if (this.engaged) await this.release(this.engaged.status.sessionId);
    const { deps } = this;
    let status: LockdownStatus;
    let stopWatching: () => void;
    let displays: readonly DisplayInfo[] | null = null;
    // What the host handled while no page could hear it (this page crashed or hung and was reloaded).
    let incidents: readonly LockdownObservation[] = [];
    const onObservation = (o: LockdownObservation) => this.observe(o);
    if (deps.desktop) {
      const done = await deps.host['lockdown:engage']({ sessionId, policy, translator });
      if (!done.ok) {
        deps.log.error('lockdown failed to engage', { code: done.error.code });
        return fail('engage_failed', done.error.message);
      }
      // The page goes full screen inside the kiosk window too, at once (the Begin click still counts
      // as the learner's gesture): the Keyboard Lock API acts only there. Either may be refused
      // (after a reload there is no gesture); the answers then stay without the lock.
      const keysLocked = (await deps.browser.enterFullscreen()) && (await deps.browser.lockKeys());
      const capabilities = keysLocked ? withKeyboardLock(done.value.capabilities) : done.value.capabilities;
      if (keysLocked) deps.log.info('lockdown: keyboard lock obtained', { appSwitching: capabilities.measures.app_switching.status });
      // The screens attached now are the baseline: a display added later is what counts.
      const seen = await deps.host['system:probe']({});
      displays = seen.ok ? (seen.value.displays?.displays ?? null) : null;
      status = {
        sessionId,
        mode: done.value.kiosk ? 'kiosk' : 'none',
        contentProtection: done.value.contentProtection,
        processScan: done.value.processScan,
        capabilities,
      };
      stopWatching = deps.host.on('lockdown:onObservation', onObservation);
      incidents = done.value.incidents ?? [];
    } else {
      const fullscreen = await deps.browser.enterFullscreen();
      status = { sessionId, mode: fullscreen ? 'browser_fullscreen' : 'none', contentProtection: false, processScan: false, capabilities: webLockdownCapabilities() };
      stopWatching = deps.browser.watch(onObservation);
    }
    this.engaged = { status, policy, outbox: deps.outbox(sessionId), state: deps.rules.initial(policy, displays), stop: stopWatching };
    for (const incident of incidents) this.observe(incident);
    // Events a crash left unsent go now.
    void this.engaged.outbox.flush();
    return ok(status);
  }

  async release(sessionId: string): Promise<void> {
    const engaged = this.engaged;
    if (!engaged || engaged.status.sessionId !== sessionId) return;
    this.engaged = null;
    engaged.stop();
    const closed = this.deps.rules.close(engaged.policy, engaged.state, this.deps.now().toISOString());
    if (this.deps.desktop) {
      // The keys go back to the OS and the page leaves full screen before the window leaves kiosk.
      this.deps.browser.unlockKeys();
      await this.deps.browser.exitFullscreen();
      const released = await this.deps.host['lockdown:release']({ sessionId });
      if (!released.ok) this.deps.log.warn('lockdown release failed', { code: released.error.code });
    } else {
      await this.deps.browser.exitFullscreen();
    }
    await engaged.outbox.add(closed.events.map((e) => SessionEvent.parse(e)));
    engaged.outbox.dispose();
  }

  async leave(sessionId: string, reason: string): Promise<void> {
    const engaged = this.engaged;
    if (!engaged || engaged.status.sessionId !== sessionId) return;
    // Recorded here for both hosts, before the watching stops; the desktop host logs it too.
    this.observe({ kind: 'host_incident', at: this.deps.now().toISOString(), incident: 'learner_left', outcome: 'released', detail: reason });
    if (this.deps.desktop) {
      const left = await this.deps.host['lockdown:leave']({ sessionId, reason });
      if (!left.ok) this.deps.log.warn('lockdown leave failed', { code: left.error.code });
    }
    await this.release(sessionId);
  }

  private observe(observation: LockdownObservation): void {
    const engaged = this.engaged;
    if (!engaged) return;
    if (observation.kind === 'quit_requested') for (const l of this.quitListeners) l();
    const next = this.deps.rules.observe(engaged.policy, engaged.state, observation);
    engaged.state = next.state;
    if (next.events.length > 0) void engaged.outbox.add(next.events.map((e) => SessionEvent.parse(e)));
  }
}
