import { useSyncExternalStore } from 'react';
import { useServices } from '../../app/services';
import { Notice } from '../../components/Notice';
import { formatBytes } from './format';
import { bytesWaiting, useAllUploads } from './useRecording';

/** On the exam list: recordings a closed app left behind are still going up; the learner should not uninstall or wipe. */
export function PendingUploadsBanner() {
  const { recording } = useServices();
  const all = useAllUploads();
  const recordingId = useSyncExternalStore(
    (cb) => recording.subscribe(cb),
    () => {
      const active = recording.active();
      return active && active.status.state !== 'stopped' ? active.sessionId : null;
    },
  );
  const pending = [...all.values()].filter((p) => !p.safeToClose && p.sessionId !== recordingId);
  if (pending.length === 0) return null;
  const left = pending.reduce((sum, p) => sum + bytesWaiting(p), 0);
  return (
    <Notice tone="info">
      <p className="pending-uploads">
        <span className="pending-uploads__spinner" aria-hidden="true" />
        Uploading recordings from an earlier session…{left > 0 && ` ${formatBytes(left)} left.`} Keep Invigil open until it finishes.
      </p>
    </Notice>
  );
}
