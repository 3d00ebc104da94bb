import { useEffect, useRef, useState } from 'react';
import type { SectionView } from '../../../../shared/api/sessions';
import { useServices } from '../../app/services';
import { SectionCountdown } from '../../services/clock/sectionCountdown';

export interface CountdownHandlers {
  readonly onWarning: (sectionId: string, minutes: number) => void;
  readonly onExpire: (sectionId: string) => void;
}

/**
 * One countdown per open section (normally one). Returns the milliseconds left per section, or
 * null while the clock has no server sample yet. Holds the clock re-sync while any section is open.
 */
export function useCountdowns(sections: readonly SectionView[], handlers: CountdownHandlers): ReadonlyMap<string, number | null> {
  const { clock, clockSync, setInterval } = useServices();
  const [remaining, setRemaining] = useState<ReadonlyMap<string, number | null>>(new Map());
  const handlersRef = useRef(handlers);
  useEffect(() => {
    handlersRef.current = handlers;
  });

  const open = sections.filter((s) => s.state === 'open' && s.deadline !== null);
  const key = open.map((s) => `${s.id}@${s.deadline}`).join('|');

  useEffect(() => {
    if (key === '') return;
    let live = true;
    const release = clockSync.hold();
    const countdowns = key.split('|').map((part) => {
      const at = part.lastIndexOf('@');
      const id = part.slice(0, at);
      return new SectionCountdown({
        deadline: Date.parse(part.slice(at + 1)),
        clock,
        setInterval,
        onTick: (ms) =>
          setRemaining((prev) => {
            if (prev.get(id) === ms) return prev;
            const next = new Map(prev);
            next.set(id, ms);
            return next;
          }),
        onWarning: (minutes) => handlersRef.current.onWarning(id, minutes),
        onExpire: () => handlersRef.current.onExpire(id),
      });
    });
    for (const c of countdowns) c.start();
    // A fresh sample right away, so the timer shows from the server's clock, not a guess.
    void clockSync.syncNow().then(() => live && countdowns.forEach((c) => c.tick()));
    return () => {
      live = false;
      for (const c of countdowns) c.stop();
      release();
    };
  }, [key, clock, clockSync, setInterval]);

  return remaining;
}
