import { useEffect, useRef, useState } from 'react';
import type { ReviewEntryView } from '../../../../shared/api/review';
import { useServices } from '../../app/services';

export type LeaseState = 'held' | 'not-held' | 'lost' | 'ended';

/** The claim asks for 120 s (ReviewQueuePage); a heartbeat every 30 s survives two lost beats. */
export const HEARTBEAT_MS = 30_000;

/**
 * Keeps this proctor's claim alive while the review screen is open and releases it on leaving, unless
 * a decision ended it. A refused heartbeat means the lease is gone (it ran out, or another proctor now
 * holds the entry): the screen says so and stops writing.
 */
export function useLease(entry: ReviewEntryView | null, userId: string | null) {
  const { api, setInterval, setTimeout } = useServices();
  const entryId = entry?.entryId ?? null;
  const held = entry !== null && entry.state === 'claimed' && entry.holderId === userId;
  // What the screen learnt since loading (a decision ended the lease, or a heartbeat was refused).
  const [learnt, setLearnt] = useState<{ readonly entryId: string | null; readonly state: 'lost' | 'ended' } | null>(null);
  const lease: LeaseState = learnt && learnt.entryId === entryId ? learnt.state : held ? 'held' : 'not-held';
  const leaseRef = useRef(lease);
  useEffect(() => {
    leaseRef.current = lease;
  });
  const pendingRelease = useRef<(() => void) | null>(null);

  useEffect(() => {
    if (!held || entryId === null) return;
    // A remount of the same screen (React's development double mount) keeps the claim.
    pendingRelease.current?.();
    pendingRelease.current = null;
    const stop = setInterval(() => {
      if (leaseRef.current !== 'held') return;
      void api.call('heartbeat', { params: { entryId }, body: {} }).then((r) => {
        if (!r.ok && leaseRef.current === 'held' && (r.error.code === 'review_lease_lost' || r.error.code === 'not_found')) {
          setLearnt({ entryId, state: 'lost' });
        }
      });
    }, HEARTBEAT_MS);
    return () => {
      stop();
      // Leaving the screen gives the entry back at once rather than when the lease runs out.
      if (leaseRef.current === 'held') {
        pendingRelease.current = setTimeout(() => void api.call('release', { params: { entryId }, body: {} }), 0);
      }
    };
  }, [api, setInterval, setTimeout, held, entryId]);

  return {
    lease,
    markEnded: () => {
      leaseRef.current = 'ended';
      setLearnt({ entryId, state: 'ended' });
    },
    markLost: () => {
      leaseRef.current = 'lost';
      setLearnt({ entryId, state: 'lost' });
    },
  };
}
