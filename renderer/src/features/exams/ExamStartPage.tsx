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
import { hasBegun, isFinished, isResumable } from '../../../../shared/domain/sessionStatus';

/** The steps of exam day, shown before the learner starts them. */
const steps: readonly Step[] = [
  { id: 'rules', label: 'Read the rules', state: 'current' },
  { id: 'consent', label: 'Consent to recording', state: 'upcoming' },
  { id: 'system', label: 'System check', state: 'upcoming' },
  { id: 'identity', label: 'Identity check', state: 'upcoming' },
  { id: 'desk', label: 'Desk check', state: 'later' },
  { id: 'translator', label: 'Choose a translator', state: 'upcoming' },
  { id: 'begin', label: 'Camera and microphone, then begin', state: 'upcoming' },
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

  /** Creates the attempt (or takes up the one not yet begun) and goes to its checks. */
  const proceed = async () => {
    const attempt = exam.attempt;
    const facts = { submitted: attempt?.submitted ?? false };
    if (attempt && hasBegun(attempt.status) && !isFinished(attempt.status, facts)) {
      navigate(`/sessions/${attempt.sessionId}`);
      return;
    }
    if (attempt && isResumable(attempt.status, facts) && !hasBegun(attempt.status)) {
      navigate(`/sessions/${attempt.sessionId}/checks`);
      return;
    }
    setBusy(true);
    setError(null);
    const created = await api.call('createSession', { body: { examId: exam.id } });
    if (!created.ok) {
      setBusy(false);
      setError(describeError(created.error));
      return;
    }
    navigate(`/sessions/${created.value.id}/checks`);
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
      <StepList steps={steps} />
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
          onClick={() => void proceed()}
          disabled={busy || blocker !== null}
          aria-describedby={blocker !== null ? 'start-blocker' : undefined}
        >
          {busy ? 'Preparing…' : 'Continue to the checks'}
        </button>
        <Link to="/exams" className="button button--ghost">
          Back to your exams
        </Link>
      </div>
    </div>
  );
}
