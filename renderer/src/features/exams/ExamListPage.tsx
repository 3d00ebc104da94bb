import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { ExamSummary } from '../../../../shared/api/exams';
import { useCurrentUser, useServices } from '../../app/services';
import { useLoad } from '../../app/useLoad';
import { Notice } from '../../components/Notice';
import { usePageHeading } from '../../components/usePageHeading';
import { describeError } from '../../services/api/errorText';
import { ExamCard } from './ExamCard';
import { startBlocker } from './examStatus';
import { useLearnerResults } from './learnerResult';
import { LoadFailed } from '../../components/LoadFailed';
import { PendingUploadsBanner } from '../recording/PendingUploadsBanner';

/** The trial test leads: it is what a learner should run before any final. */
const practiceFirst = (exams: readonly ExamSummary[]) =>
  [...exams].sort((a, b) => Number(b.kind === 'practice') - Number(a.kind === 'practice'));

export function ExamListPage() {
  const { api, appInfo, now } = useServices();
  const [openedAt] = useState(now);
  const user = useCurrentUser();
  const navigate = useNavigate();
  const heading = usePageHeading('Your exams');
  const load = useCallback(() => api.call('listExams', {}), [api]);
  const { state, reload } = useLoad(load);
  // Results of handed-in attempts ("Passed — 72 %", "Results not released yet").
  const handedIn = state.phase === 'ready' ? state.value.exams.flatMap((e) => (e.attempt?.submitted ? [e.attempt.sessionId] : [])) : [];
  const results = useLearnerResults(api, handedIn);

  return (
    <div className="page">
      <div className="page__header">
        <h1 ref={heading} tabIndex={-1}>
          Your exams
        </h1>
        {user && <p className="muted">Signed in as {user.fullName} ({user.email})</p>}
      </div>
      <PendingUploadsBanner />
      {appInfo.hostKind === 'web' && (
        <Notice tone="info">
          You are using Invigil in a web browser. The trial test works here; finals need the Invigil desktop app.
        </Notice>
      )}
      {state.phase === 'loading' && <p role="status">Loading your exams…</p>}
      {state.phase === 'failed' && (
        <LoadFailed message={describeError(state.error)} onRetry={reload} />
      )}
      {state.phase === 'ready' &&
        (state.value.exams.length === 0 ? (
          <p>You have no exams yet. Your programme staff add them when you enrol.</p>
        ) : (
          <div className="exam-grid">
            {practiceFirst(state.value.exams).map((exam) => (
              <ExamCard
                key={exam.id}
                exam={exam}
                blocker={startBlocker(exam, appInfo.hostKind, openedAt)}
                onOpen={(to) => navigate(to)}
                result={exam.attempt ? (results.get(exam.attempt.sessionId) ?? null) : null}
              />
            ))}
          </div>
        ))}
    </div>
  );
}
