import {
  channels,
  eventNames,
  events,
  type Channel,
  type EventName,
  type EventPayload,
  type InvigilHost,
} from '../../shared/ipc/contract';
import { fail } from '../../shared/result';

/** Sends one request over the transport (ipcRenderer.invoke in the preload). */
export type Invoke = (channel: Channel, request: unknown) => Promise<unknown>;
/** Listens to one host event; returns the way to stop listening. */
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;

/**
 * Builds `window.invigil` from the contract tables, so the preload cannot drift from the contract:
 * one method per entry (named after the channel) plus `on`. It has no Electron import so Node tests
 * can check it; the preload wires it to ipcRenderer.
 */
export function buildHostApi(invoke: Invoke, subscribe: Subscribe): InvigilHost {
  const api: Record<string, unknown> = {};
  for (const channel of channels) {
    api[channel] = async (request: unknown) => {
      try {
        return await invoke(channel, request);
      } catch (error) {
        // A transport failure (no handler registered, main process gone) still reaches the UI as a result.
        return fail('host_unavailable', error instanceof Error ? error.message : 'the desktop host did not answer');
      }
    };
  }
  api.on = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): (() => void) => {
    if (!eventNames.includes(event)) throw new TypeError(`unknown host event: ${String(event)}`);
    return subscribe(event, (payload) => {
      // The main process validates too; checking here means a listener never sees a malformed payload.
      const parsed = events[event].safeParse(payload);
      if (parsed.success) listener(parsed.data as EventPayload<E>);
    });
  };
  return Object.freeze(api) as InvigilHost;
}
