import { useCallback, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { ExamSummary } from '../../../../shared/api/exams';
import { ok } from '../../../../shared/result';
import { useServices } from '../../app/services';
import { useLoad } from '../../app/useLoad';
import { StepList, type Step } from '../../components/StepList';
import { usePageHeading } from '../../components/usePageHeading';
import { describeError } from '../../services/api/errorText';
import { formatMinutes, startBlocker } from './examStatus';
import { LoadFailed } from '../../components/LoadFailed';
import { requiredRecordingBytes } from '../../services/recorder/recordingBudget';
import { CameraStep } from '../recording/CameraStep';
import { DiskSpaceCheck } from '../recording/DiskSpaceCheck';
import { useCameraPreview } from '../recording/useCameraPreview';
import { useDiskCheck } from '../recording/useDiskCheck';
import { hasBegun, isResumable } from '../../../../shared/domain/sessionStatus';

/** The checks of exam day (DESIGN §4); those a later release adds show as "later", in this order. */
const steps = (recordingReady: boolean): readonly Step[] => [
  { id: 'rules', label: 'Read the rules', state: 'done' },
  { id: 'consent', label: 'Consent to recording', state: 'later' },
  { id: 'camera', label: 'Camera and microphone', state: recordingReady ? 'done' : 'current' },
  { id: 'identity', label: 'Identity check', state: 'later' },
  { id: 'desk', label: 'Desk check', state: 'later' },
  { id: 'translator', label: 'Choose a translator', state: 'later' },
  { id: 'sections', label: 'Answer the sections', state: recordingReady ? 'current' : 'upcoming' },
];

export function ExamStartPage() {
  const { examId = '' } = useParams();
  const { api } = useServices();
  const load = useCallback(async () => {
    const list = await api.call('listExams', {});
    if (!list.ok) return list;
    const exam = list.value.exams.find((e) => e.id === examId);
    return exam ? ok(exam) : { ok: false as const, error: { code: 'not_found', message: 'exam not in list' } };
  }, [api, examId]);
  const { state } = useLoad(load);

  if (state.phase === 'loading') return <p role="status">Loading the exam…</p>;
  if (state.phase === 'failed') {
    return (
      <div className="page">
        <LoadFailed message={describeError(state.error)} />
        <Link to="/exams">Back to your exams</Link>
      </div>
    );
  }
  return <StartExam exam={state.value} />;
}

function StartExam({ exam }: { readonly exam: ExamSummary }) {
  const { api, appInfo, now, recording, uploads, log } = useServices();
  const [openedAt] = useState(now);
  const navigate = useNavigate();
  const heading = usePageHeading(exam.title);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const blocker = startBlocker(exam, appInfo.hostKind, openedAt);
  const minutes = exam.sections.map((s) => s.durationMinutes * exam.timeMultiplier);
  const sameLength = minutes.every((m) => m === minutes[0]);
  const requiredBytes = requiredRecordingBytes(minutes.reduce((a, b) => a + b, 0));
  const camera = useCameraPreview();
  const disk = useDiskCheck(requiredBytes);
  const cameraReady = camera.state.phase === 'live';
  const diskReady = disk.state.phase === 'done' && disk.state.enough;
  // A session created by an earlier Begin whose recording did not start: Begin again continues it.
  const [startedId, setStartedId] = useState<string | null>(null);
  const notReady = [
    !cameraReady && 'your camera and microphone work',
    !diskReady && 'there is enough free disk space for the recording',
  ].filter((r): r is string => typeof r === 'string');
  const why = blocker !== null ? 'start-blocker' : notReady.length > 0 ? 'begin-why' : undefined;

  const begin = async () => {
    setBusy(true);
    setError(null);
    const attempt = exam.attempt;
    let sessionId: string;
    if (startedId !== null) return startRecording(startedId);
    if (attempt && hasBegun(attempt.status)) {
      navigate(`/sessions/${attempt.sessionId}`);
      return;
    }
    if (attempt && isResumable(attempt.status)) {
      sessionId = attempt.sessionId;
    } else {
      const created = await api.call('createSession', { body: { examId: exam.id, client: appInfo.hostKind } });
      if (!created.ok) {
        setBusy(false);
        setError(describeError(created.error));
        return;
      }
      sessionId = created.value.id;
    }
    const started = await api.call('startSession', { params: { sessionId }, body: {} });
    if (!started.ok) {
      setBusy(false);
      setError(describeError(started.error));
      return;
    }
    setStartedId(sessionId);
    await startRecording(sessionId);
  };

  /** Hands the uploader its token, starts the recording (first take), then opens the exam. */
  const startRecording = async (sessionId: string) => {
    const authorized = await uploads.authorize(sessionId);
    // Not fatal: the recording is kept on this computer, and the host asks again (needs_authorization).
    if (!authorized.ok) log.warn('uploads not authorized at exam start', { code: authorized.error.code });
    const recorded = await recording.ensure(sessionId);
    if (!recorded.ok) {
      setBusy(false);
      setError(`The recording could not start, so the exam cannot begin yet. ${recorded.error.message}`);
      return;
    }
    navigate(`/sessions/${sessionId}`);
  };

  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to="/exams">Your exams</Link> <span aria-hidden="true">/</span> {exam.code}
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {exam.title}
      </h1>
      {exam.kind === 'practice' && (
        <p className="lead">This is a trial test. It does not count towards your grade, and you can take it as often as you like.</p>
      )}
      <StepList steps={steps(cameraReady && diskReady)} />
      <section className="card rules" aria-labelledby="rules-heading">
        <h2 id="rules-heading">Before you begin</h2>
        <ul className="rules__list">
          <li>
            This exam has {exam.sections.length} {exam.sections.length === 1 ? 'section' : 'sections'}.{' '}
            {sameLength && minutes[0] !== undefined
              ? `Each section has its own timer of ${formatMinutes(minutes[0])}.`
              : `Each section has its own timer: ${exam.sections.map((s, i) => `${s.title} ${formatMinutes(minutes[i] ?? s.durationMinutes)}`).join(', ')}.`}
            {exam.timeMultiplier > 1 && ` This includes your extended time (×${exam.timeMultiplier}).`}
          </li>
          <li>
            <strong>Once you open a section, its timer keeps running</strong> — even if you close the app or lose your internet
            connection. Open a section only when you are ready to work on it.
          </li>
          <li>Your answers are saved as you go, on this computer and on the server.</li>
          <li>
            Allowed: one two-sided blank sheet of paper, a pen or pencil, and one approved translator (Google Translate, Youdao or
            Bing Translator). Nothing else.
          </li>
          <li>The pass mark is {exam.passPercent} %.</li>
        </ul>
      </section>
      <CameraStep
        preview={camera.state}
        devices={camera.devices}
        choice={camera.choice}
        onChoose={camera.choose}
        onRetry={camera.retry}
      >
        <DiskSpaceCheck state={disk.state} requiredBytes={requiredBytes} onRecheck={disk.recheck} />
      </CameraStep>
      {blocker !== null && (
        <p className="notice notice--warning" id="start-blocker">
          {blocker}
        </p>
      )}
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
          disabled={busy || blocker !== null || notReady.length > 0}
          aria-describedby={why}
        >
          {busy ? 'Starting…' : 'Begin'}
        </button>
        <Link to="/exams" className="button button--ghost">
          Back to your exams
        </Link>
      </div>
      {blocker === null && notReady.length > 0 && (
        <p className="muted" id="begin-why">
          You can begin when {notReady.join(' and ')}.
        </p>
      )}
    </div>
  );
}
