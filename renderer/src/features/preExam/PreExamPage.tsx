import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, Navigate, useParams } from 'react-router-dom';
import type { ExamSummary } from '../../../../shared/api/exams';
import type { SessionView } from '../../../../shared/api/sessions';
import { hasBegun, isFinished } from '../../../../shared/domain/sessionStatus';
import { fail, ok } from '../../../../shared/result';
import { useServices } from '../../app/services';
import { useLoad } from '../../app/useLoad';
import { LoadFailed } from '../../components/LoadFailed';
import { StepList } from '../../components/StepList';
import { usePageHeading } from '../../components/usePageHeading';
import { describeError } from '../../services/api/errorText';
import { ConsentStep } from '../consent/ConsentStep';
import { IdentityStep } from '../identity/IdentityStep';
import { SystemCheckStep } from '../systemCheck/SystemCheckStep';
import { TranslatorStep } from '../translator/TranslatorStep';
import { BeginStep } from './BeginStep';
import { currentStep, stepList } from './preExamSteps';
import type { PreExamStepProps } from './stepTypes';

/**
 * Everything between the start page and the first section: consent, system check,
 * identity, translator, then camera and Begin. Each step is recorded on the server, so a learner
 * who closes the app comes back to the first step not yet done.
 */
export function PreExamPage() {
  const { sessionId = '' } = useParams();
  const { api } = useServices();
  const load = useCallback(async () => {
    const [session, list] = await Promise.all([api.call('getSession', { params: { sessionId } }), api.call('listExams', {})]);
    if (!session.ok) return session;
    if (!list.ok) return list;
    const exam = list.value.exams.find((e) => e.id === session.value.examId);
    return exam ? ok({ session: session.value, exam }) : fail('not_found', 'exam not in list');
  }, [api, sessionId]);
  const { state } = useLoad(load);

  if (state.phase === 'loading') return <p role="status">Loading your checks…</p>;
  if (state.phase === 'failed') {
    return (
      <div className="page">
        <LoadFailed message={describeError(state.error)} />
        <Link to="/exams">Back to your exams</Link>
      </div>
    );
  }
  return <PreExamFlow exam={state.value.exam} initial={state.value.session} />;
}

function PreExamFlow({ exam, initial }: { readonly exam: ExamSummary; readonly initial: SessionView }) {
  const [session, setSession] = useState(initial);
  const [systemVisited, setSystemVisited] = useState(false);
  const heading = usePageHeading(`${exam.title}: before you begin`, { focus: false });
  const step = currentStep(session.checks, systemVisited);
  const { announcer } = useServices();

  // Each later step is announced when it appears (the first is the page itself).
  const shown = useRef(step);
  useEffect(() => {
    if (shown.current === step) return;
    shown.current = step;
    const label = stepList(step, session.checks).find((s) => s.state === 'current')?.label;
    if (label) announcer.announce(`Next step: ${label}.`);
  }, [announcer, step, session.checks]);

  if (hasBegun(session.status) && !isFinished(session.status)) return <Navigate to={`/sessions/${session.id}`} replace />;
  if (isFinished(session.status)) return <Navigate to="/exams" replace />;

  const props: PreExamStepProps = {
    exam,
    session,
    onSessionChange: setSession,
    onDone: () => {
      if (step === 'system') setSystemVisited(true);
    },
  };
  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to="/exams">Your exams</Link> <span aria-hidden="true">/</span> {exam.code}
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {exam.title}
      </h1>
      <StepList steps={stepList(step, session.checks)} />
      {step === 'consent' && <ConsentStep key="consent" {...props} />}
      {step === 'system' && <SystemCheckStep key="system" {...props} />}
      {step === 'identity' && <IdentityStep key="identity" {...props} />}
      {step === 'translator' && <TranslatorStep key="translator" {...props} />}
      {step === 'begin' && <BeginStep key="begin" {...props} />}
    </div>
  );
}
