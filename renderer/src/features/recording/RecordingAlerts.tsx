import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import type { Recorder, RecorderStatus } from '../../services/recorder/recorder';

/**
 * What the player says when recording is in trouble: a warning while the camera is lost (it clears
 * itself when a new take starts), and a blocking notice when the disk is full, which the learner
 * acknowledges before going on with the exam.
 */
export function RecordingAlerts({ recorder, status }: { readonly recorder: Recorder | null; readonly status: RecorderStatus }) {
  const [acknowledgedTake, setAcknowledged] = useState<number | null>(null);
  const diskFullKey = status.takesStarted;
  return (
    <>
      {(status.state === 'camera_lost' || status.state === 'host_error') && (
        <div className="notice notice--warning recording-alert" role="alert">
          <p>
            <strong>{status.state === 'camera_lost' ? 'Your camera stopped.' : 'Recording is paused.'}</strong> {status.message}
          </p>
        </div>
      )}
      {status.state === 'disk_full' && acknowledgedTake !== diskFullKey && (
        <Dialog
          title="Recording stopped: the disk is full"
          // Escape acknowledges, like the button: the exam goes on either way.
          onCancel={() => setAcknowledged(diskFullKey)}
          actions={
            <>
              <button type="button" className="button button--primary" onClick={() => setAcknowledged(diskFullKey)}>
                Continue the exam
              </button>
              <button type="button" className="button button--secondary" onClick={() => recorder?.retry()}>
                Record again
              </button>
            </>
          }
        >
          <p role="alert">{status.message}</p>
        </Dialog>
      )}
      {status.state === 'disk_full' && acknowledgedTake === diskFullKey && (
        <div className="notice notice--danger recording-alert">
          <p>Recording stopped because the disk is full. Your exam continues.</p>
          <button type="button" className="button button--secondary" onClick={() => recorder?.retry()}>
            Record again
          </button>
        </div>
      )}
    </>
  );
}
