import type { PowerMonitor } from 'electron';
import type { EmitHostEvent } from '../ipc/electronTransport';

const SIGNALS = [
  ['suspend', 'suspend'],
  ['resume', 'resume'],
  ['lock-screen', 'lock'],
  ['unlock-screen', 'unlock'],
] as const;

/**
 * Tells the renderer when the machine slept, woke, locked or unlocked, so it re-syncs its clock with
 * the server (a sleeping laptop must not gain exam time). Returns the function that stops listening.
 */
export function forwardPowerEvents(powerMonitor: Pick<PowerMonitor, 'on' | 'removeListener'>, emit: EmitHostEvent): () => void {
  const listeners = SIGNALS.map(([signal, state]) => {
    const listener = (): void => emit('power:onChange', { state });
    // One literal per call keeps each overload of PowerMonitor.on typed.
    powerMonitor.on(signal as 'suspend', listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) powerMonitor.removeListener(signal as 'suspend', listener);
  };
}
