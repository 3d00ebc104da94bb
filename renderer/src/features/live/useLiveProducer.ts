import { useEffect, useState, useSyncExternalStore } from 'react';
import { useServices } from '../../app/services';
import type { LearnerControlEvent, LiveStatus } from '../../services/live/liveProducer';

export interface LearnerLiveState {
  readonly status: LiveStatus;
  readonly handRaised: boolean;
  readonly raiseHand: (raised: boolean) => void;
}

/**
 * The learner's live media for this session while the component using it is mounted (the exam
 * player, from Begin to submit or leaving): it sends the tracks of the recording's own stream and
 * follows it when the recorder reopens the camera. Failures never leave the producer.
 */
export function useLiveProducer(sessionId: string, stream: MediaStream | null, onControl?: (event: LearnerControlEvent) => void): LearnerLiveState {
  const { live } = useServices();
  const [producer] = useState(() => live.createProducer(sessionId));
  useEffect(() => {
    producer.start();
    return () => producer.stop();
  }, [producer]);
  useEffect(() => producer.setStream(stream), [producer, stream]);
  useEffect(() => (onControl ? producer.onControl(onControl) : undefined), [producer, onControl]);
  const status = useSyncExternalStore(
    (cb) => producer.subscribe(cb),
    () => producer.status,
  );
  const handRaised = useSyncExternalStore(
    (cb) => producer.subscribe(cb),
    () => producer.handRaised,
  );
  return { status, handRaised, raiseHand: (raised) => producer.raiseHand(raised) };
}
