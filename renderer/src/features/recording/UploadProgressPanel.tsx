import { useEffect, useState } from 'react';
import type { UploadProgress } from '../../../../shared/ipc/contract';
import { useServices } from '../../app/services';
import { describeError } from '../../services/api/errorText';
import { formatBytes, formatTimeLeft } from './format';
import { useUploadProgress } from './useRecording';

export const KEEP_OPEN = 'Keep Invigil open until the upload finishes. If you close it, the upload continues the next time you open Invigil.';
export const SAFE_TO_CLOSE = 'Your recording has been uploaded. It is safe to close Invigil.';
export const REFUSED_KEPT = 'Uploading has stopped; the part not uploaded stays on this computer.';

/**
 * The receipt's upload section: how much of the recording has reached the server, how long the
 * rest should take, and — the point of it — whether the learner may close the app now.
 */
export function UploadProgressPanel({ sessionId }: { readonly sessionId: string }) {
  const { uploads } = useServices();
  const progress = useUploadProgress(sessionId);
  const [unavailable, setUnavailable] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void uploads.refresh(sessionId).then((r) => {
      if (!live) return;
      setUnavailable(r.ok ? null : r.error.code);
      // The host may be waiting for a token (a new sign-in, or the old one expired).
      if (r.ok && r.value.state === 'needs_authorization') void uploads.authorize(sessionId);
    });
    return () => {
      live = false;
    };
  }, [uploads, sessionId]);

  return (
    <section className="upload-panel" aria-labelledby="upload-heading">
      <h2 id="upload-heading" className="upload-panel__title">
        Your recording
      </h2>
      {progress ? (
        <UploadDetails progress={progress} />
      ) : unavailable !== null ? (
        <p>The app cannot tell how far the upload is ({unavailable}).</p>
      ) : (
        <p>Checking the upload of your recording…</p>
      )}
      {progress?.refused ? (
        // The server will not take this recording whatever the app does: say so instead of "keep open".
        <p className="notice notice--danger upload-panel__statement" role="alert">
          {describeError(progress.refused)} {REFUSED_KEPT}
        </p>
      ) : progress?.safeToClose ? (
        <p className="notice notice--success upload-panel__statement">{SAFE_TO_CLOSE}</p>
      ) : (
        (progress || unavailable !== null) && <p className="notice notice--warning upload-panel__statement">{KEEP_OPEN}</p>
      )}
    </section>
  );
}

function UploadDetails({ progress }: { readonly progress: UploadProgress }) {
  const left = progress.pendingBytes + progress.recordingBytes;
  const total = progress.uploadedBytes + left;
  const percent = total === 0 ? 100 : Math.floor((progress.uploadedBytes / total) * 100);
  const timeLeft = progress.safeToClose ? null : formatTimeLeft(left, progress.bytesPerSecond);
  const summary = `${formatBytes(progress.uploadedBytes)} of ${formatBytes(total)} uploaded${timeLeft ? `, ${timeLeft}` : ''}`;
  return (
    <>
      <div
        className="progress"
        role="progressbar"
        aria-label="Uploading your recording"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={summary}
      >
        <div className="progress__bar" style={{ width: `${percent}%` }} />
      </div>
      <p className="upload-panel__summary">{summary}</p>
      <UploadState progress={progress} />
    </>
  );
}

function UploadState({ progress }: { readonly progress: UploadProgress }) {
  switch (progress.state) {
    case 'retrying':
      return (
        <p className="muted">
          The connection to the server was interrupted. Invigil keeps trying
          {progress.nextRetryAt ? ` (next try at ${new Date(progress.nextRetryAt).toLocaleTimeString()})` : ''}.
        </p>
      );
    case 'needs_authorization':
      return <p className="muted">Renewing the permission to upload…</p>;
    case 'idle':
      return progress.safeToClose || progress.refused ? null : <p className="muted">Waiting to upload…</p>;
    default:
      return null;
  }
}
