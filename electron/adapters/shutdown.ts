import type { BrowserWindow, WindowSessionEndEvent } from 'electron';
import type { Logger } from '../log';
import type { DesktopLockdown } from './lockdown';

type Timers = { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };

export interface ShutdownOptions {
  readonly app: { on(event: 'will-quit', listener: (event: { preventDefault(): void }) => void): unknown; exit(code?: number): void };
  /** Work to finish before the process ends (close the uploader, then the recording journal). Run once. */
  readonly flush: () => Promise<void>;
  /** The longest the app waits for `flush` before it exits anyway (default 5 s). */
  readonly timeoutMs?: number;
  readonly log: Logger;
  readonly timers?: Timers;
}

export interface Shutdown {
  /** Runs the flush (once) and resolves when it is done, failed or timed out. */
  finish(): Promise<void>;
}

/**
 * Holds `will-quit` until the shutdown work is done, or `timeoutMs` has passed, then exits. Electron
 * does not wait for promises started in a `will-quit` listener; `app.exit()` emits no further
 * quit events, so the app cannot loop.
 */
export function finishBeforeQuit(options: ShutdownOptions): Shutdown {
  const timers = options.timers ?? { setTimeout, clearTimeout };
  const timeoutMs = options.timeoutMs ?? 5000;
  let finishing: Promise<void> | null = null;
  const finish = (): Promise<void> => {
    finishing ??= new Promise<void>((resolve) => {
      const startedAt = Date.now();
      const timer = timers.setTimeout(() => {
        options.log.warn('shutdown: gave up waiting for the last writes', { timeoutMs });
        resolve();
      }, timeoutMs);
      options
        .flush()
        .catch((error: unknown) => {
          options.log.error('shutdown: a last write failed', { error: error instanceof Error ? error.name : typeof error });
        })
        .finally(() => {
          timers.clearTimeout(timer);
          options.log.info('shutdown: last writes done', { ms: Date.now() - startedAt });
          resolve();
        });
    });
    return finishing;
  };
  let exiting = false;
  options.app.on('will-quit', (event) => {
    if (exiting) return;
    event.preventDefault();
    void finish().then(() => {
      exiting = true;
      options.app.exit(0);
    });
  });
  return { finish };
}

/** The exam window as the Windows session-end handler needs it. */
export type SessionEndWindow = Pick<BrowserWindow, 'on'>;

/**
 * Windows logging off, restarting or shutting down (`query-session-end`, then `session-end`; win32
 * only, never fired elsewhere). The lockdown refuses to close the window, which would hold up the
 * user's logoff: it is released (recorded as `session_ending`) and the last writes are started. The
 * session end itself is never delayed.
 */
export function releaseOnSessionEnd(
  window: SessionEndWindow,
  options: { readonly lockdown: Pick<DesktopLockdown, 'recordIncident' | 'releaseAny'>; readonly shutdown: Shutdown; readonly log: Logger },
): void {
  const handle = (phase: 'query-session-end' | 'session-end') => (event: WindowSessionEndEvent) => {
    const reasons = event.reasons.join(',') || 'unknown';
    options.log.warn('shutdown: the Windows session is ending', { phase, reasons });
    options.lockdown.recordIncident({ incident: 'session_ending', outcome: 'released', detail: `Windows reported: ${reasons}.` }, 'live');
    void options.lockdown
      .releaseAny('The computer is logging off or shutting down. Open Invigil again afterwards to resume the exam.')
      .catch((error: unknown) => options.log.error('shutdown: release failed', { error: error instanceof Error ? error.name : typeof error }))
      .then(() => options.shutdown.finish());
  };
  window.on('query-session-end', handle('query-session-end'));
  window.on('session-end', handle('session-end'));
}
