import type { Display, Screen } from 'electron';
import type { DisplayInfo, DisplaysObservation, LockdownObservation } from '../../shared/domain/observations';

type DisplaySource = Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay'>;

/** One Electron display as the contract describes it (labels cut to the schema's limits). */
export function toDisplayInfo(display: Display, primaryId: number): DisplayInfo {
  const { width, height } = display.size;
  return {
    id: String(display.id).slice(0, 64),
    label: (display.label ?? '').slice(0, 200),
    internal: typeof display.internal === 'boolean' ? display.internal : null,
    primary: display.id === primaryId,
    width: Math.max(0, Math.round(width)),
    height: Math.max(0, Math.round(height)),
    // Mirrored displays share their position and count once (policyEvaluation.countDisplays).
    x: Math.round(display.bounds.x),
    y: Math.round(display.bounds.y),
    // A closed lid or a detached panel can stay listed with no area; it does not count as a screen.
    active: width > 0 && height > 0 && display.detected !== false,
  };
}

export function readDisplays(screen: DisplaySource): DisplaysObservation {
  const primaryId = screen.getPrimaryDisplay().id;
  return { displays: screen.getAllDisplays().slice(0, 32).map((display) => toDisplayInfo(display, primaryId)), extended: null };
}

/** Screens plugged in or removed during the exam become observations; returns the function that stops. */
export function watchDisplays(
  screen: DisplaySource & Pick<Screen, 'on' | 'removeListener'>,
  report: (observation: LockdownObservation) => void,
  now: () => number,
): () => void {
  const at = () => new Date(now()).toISOString();
  const primaryId = () => screen.getPrimaryDisplay().id;
  const added = (_event: unknown, display: Display) =>
    report({ kind: 'display_added', at: at(), display: toDisplayInfo(display, primaryId()) });
  const removed = (_event: unknown, display: Display) =>
    report({ kind: 'display_removed', at: at(), display: toDisplayInfo(display, primaryId()) });
  screen.on('display-added', added);
  screen.on('display-removed', removed);
  return () => {
    screen.removeListener('display-added', added);
    screen.removeListener('display-removed', removed);
  };
}
