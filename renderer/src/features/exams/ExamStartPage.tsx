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

/** The checks of exam day (DESIGN §4) that later releases add here, in this order. */
const STEPS: readonly Step[] = [
  { id: 'rules', label: 'Read the rules', state: 'current' },
  { id: 'consent', label: 'Consent to recording', state: 'later' },
  { id: 'system', label: 'System check', state: 'later' },
  { id: 'identity', label: 'Identity check', state: 'later' },
  { id: 'desk', label: 'Desk check', state: 'later' },
  { id: 'translator', label: 'Choose a translator', state: 'later' },
  { id: 'sections', label: 'Answer the sections', state: 'upcoming' },
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
  const { api, appInfo, now } = useServices();
  const [openedAt] = useState(now);
  const navigate = useNavigate();
  const heading = usePageHeading(exam.title);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const blocker = startBlocker(exam, appInfo.hostKind, openedAt);
  const minutes = exam.sections.map((s) => s.durationMinutes * exam.timeMultiplier);
  const sameLength = minutes.every((m) => m === minutes[0]);

  const begin = async () => {
    setBusy(true);
    setError(null);
    const attempt = exam.attempt;
    let sessionId: string;
    if (attempt && (attempt.status === 'started' || attempt.status === 'ready_to_submit' || attempt.status === 'error')) {
      navigate(`/sessions/${attempt.sessionId}`);
      return;
    }
    if (attempt && (attempt.status === 'created' || attempt.status === 'ready_to_start')) {
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
      <StepList steps={STEPS} />
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
          disabled={busy || blocker !== null}
          aria-describedby={blocker !== null ? 'start-blocker' : undefined}
        >
          {busy ? 'Starting…' : 'Begin'}
        </button>
        <Link to="/exams" className="button button--ghost">
          Back to your exams
        </Link>
      </div>
    </div>
  );
}
