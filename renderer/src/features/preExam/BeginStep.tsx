import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useServices } from '../../app/services';
import { describeError } from '../../services/api/errorText';
import { attestedActionBody } from '../../services/attestation/attestedAction';
import { CameraStep } from '../recording/CameraStep';
import { useCameraPreview } from '../recording/useCameraPreview';
import type { PreExamStepProps } from './stepTypes';

/**
 * The last step: the camera the recording will use, then Begin — the lockdown engages, the server
 * starts the session, the recording starts, and the exam opens.
 */
export function BeginStep({ exam, session, onSessionChange }: PreExamStepProps) {
  const { api, host, appInfo, recording, uploads, lockdown, log } = useServices();
  const navigate = useNavigate();
  const camera = useCameraPreview();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cameraReady = camera.state.phase === 'live';
  const top = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Like every pre-exam step, focus starts at the step's heading.
    const heading = top.current?.querySelector('h2');
    heading?.setAttribute('tabindex', '-1');
    heading?.focus();
  }, []);

  const begin = async () => {
    setBusy(true);
    setError(null);
    // Locked down first: the session starts only in a secured window.
    const locked = await lockdown.engage(session.id, exam.policy, session.checks.translator);
    if (!locked.ok) {
      setBusy(false);
      setError(`The exam window could not be secured, so the exam cannot begin yet. ${locked.error.message}`);
      return;
    }
    if (session.status === 'created' || session.status === 'ready_to_start') {
      const body = await attestedActionBody({ appInfo, host, api }, { purpose: 'start_session', sessionId: session.id, sectionId: null });
      const started = body.ok ? await api.call('startSession', { params: { sessionId: session.id }, body: body.value }) : body;
      if (!started.ok) {
        await lockdown.release(session.id);
        setBusy(false);
        setError(describeError(started.error));
        return;
      }
      onSessionChange(started.value);
    }
    const authorized = await uploads.authorize(session.id);
    // Not fatal: the recording is kept on this computer, and the host asks again (needs_authorization).
    if (!authorized.ok) log.warn('uploads not authorized at exam start', { code: authorized.error.code });
    const recorded = await recording.ensure(session.id);
    if (!recorded.ok) {
      setBusy(false);
      setError(`The recording could not start, so the exam cannot begin yet. ${recorded.error.message}`);
      return;
    }
    navigate(`/sessions/${session.id}`);
  };

  return (
    <div ref={top}>
      <CameraStep preview={camera.state} devices={camera.devices} choice={camera.choice} onChoose={camera.choose} onRetry={camera.retry} />
      {error !== null && (
        <div className="notice notice--danger" role="alert">
          {error}
        </div>
      )}
      <div className="actions">
        <button
          type="button"
          className="button button--primary button--large"
          onClick={() => void begin()}
          disabled={busy || !cameraReady}
          aria-describedby={cameraReady ? undefined : 'begin-why'}
        >
          {busy ? 'Starting…' : 'Begin'}
        </button>
      </div>
      {!cameraReady && (
        <p className="muted" id="begin-why">
          You can begin when your camera and microphone work.
        </p>
      )}
    </div>
  );
}
