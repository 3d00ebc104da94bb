import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { channels, events, IPC_CHANNEL_PREFIX, type EventName, type EventPayload } from '../../shared/ipc/contract';
import { fail } from '../../shared/result';
import type { Logger } from '../log';
import { APP_ORIGIN, isSameOrigin } from '../security/appOrigin';
import { dispatch, type Handlers } from './handlers';

export interface ElectronTransportOptions {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  readonly handlers: Handlers;
  readonly log: Logger;
  readonly appOrigin?: string;
}

/**
 * Why a sender is refused, or null when it is the app's own top-level page. Subframes and other
 * origins (an injected iframe, a page navigated away) must never reach the learner's journal.
 */
export function senderProblem(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, appOrigin: string = APP_ORIGIN): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (frame.parent !== null) return 'only the main frame may call the host';
  if (!isSameOrigin(frame.url, appOrigin)) return 'the sender is not the Invigil app';
  return null;
}

/** Registers every contract entry on ipcMain; returns the function that removes them again. */
export function registerElectronTransport({ ipcMain, handlers, log, appOrigin = APP_ORIGIN }: ElectronTransportOptions): () => void {
  for (const channel of channels) {
    ipcMain.handle(IPC_CHANNEL_PREFIX + channel, async (event, request: unknown) => {
      const problem = senderProblem(event, appOrigin);
      if (problem !== null) {
        log.warn('ipc: refused sender', { channel, reason: problem });
        return fail('forbidden_sender', problem);
      }
      return dispatch(handlers, channel, request, log);
    });
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(IPC_CHANNEL_PREFIX + channel);
  };
}

/**
 * The production entry: the same registration on Electron's real ipcMain. Imported lazily so this
 * module stays loadable by Node tests (there `require('electron')` throws), and so raw ipcMain
 * never leaves the transport.
 */
export async function registerOnIpcMain(options: Omit<ElectronTransportOptions, 'ipcMain'>): Promise<() => void> {
  const { ipcMain } = await import('electron');
  return registerElectronTransport({ ...options, ipcMain });
}

export type EmitHostEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * Sends a host event to the app's own pages only (a window showing anything else gets nothing),
 * after checking the payload against the contract.
 */
export function createEventEmitter(options: {
  readonly targets: () => readonly Pick<WebContents, 'send' | 'getURL' | 'isDestroyed'>[];
  readonly log: Logger;
  readonly appOrigin?: string;
}): EmitHostEvent {
  const appOrigin = options.appOrigin ?? APP_ORIGIN;
  return (event, payload) => {
    const parsed = events[event].safeParse(payload);
    if (!parsed.success) {
      options.log.error('ipc: refused to send an invalid event', { event });
      return;
    }
    for (const target of options.targets()) {
      if (!target.isDestroyed() && isSameOrigin(target.getURL(), appOrigin)) target.send(IPC_CHANNEL_PREFIX + event, parsed.data);
    }
  };
}
