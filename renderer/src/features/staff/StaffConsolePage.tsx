import { useCallback } from 'react';
import { Link } from 'react-router-dom';
import { useCurrentUser, useServices } from '../../app/services';
import { useLoad } from '../../app/useLoad';
import { LoadFailed } from '../../components/LoadFailed';
import { usePageHeading } from '../../components/usePageHeading';
import { describeError } from '../../services/api/errorText';
import { formatWhen } from './staffText';

/** The administrator's landing page: grading and results, with the proctors' pages one link away. */
export function StaffConsolePage() {
  const { api } = useServices();
  const user = useCurrentUser();
  const heading = usePageHeading('Staff console');
  const load = useCallback(() => api.call('gradingExams', {}), [api]);
  const { state, reload } = useLoad(load);

  const exams = state.phase === 'ready' ? state.value.exams : [];
  const withShortAnswers = exams.filter((e) => e.questions.length > 0);
  return (
    <div className="page staff">
      <div className="page__header">
        <h1 ref={heading} tabIndex={-1}>
          Staff console
        </h1>
        {user && <p className="muted">Signed in as {user.fullName} (administrator)</p>}
      </div>
      {state.phase === 'loading' && <p role="status">Loading the exams…</p>}
      {state.phase === 'failed' && <LoadFailed message={describeError(state.error)} onRetry={reload} />}
      <div className="staff-console">
        <section className="card staff-console__section" aria-labelledby="console-grading">
          <h2 id="console-grading">Grading</h2>
          <p className="muted">Short answers, marked blind: no names, one response at a time.</p>
          {state.phase === 'ready' && withShortAnswers.length === 0 && <p>No exam has short answers to grade.</p>}
          {withShortAnswers.length > 0 && (
            <ul className="plain-list staff-console__list">
              {withShortAnswers.map((exam) => {
                const toGrade = exam.questions.reduce((n, q) => n + q.progress.toGrade, 0);
                return (
                  <li key={exam.examId}>
                    <Link to={`/staff/grading?exam=${encodeURIComponent(exam.examId)}`}>{exam.title}</Link>{' '}
                    <span className="muted">
                      — {toGrade === 0 ? 'nothing to grade' : `${toGrade} ${toGrade === 1 ? 'response' : 'responses'} to grade`}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
          <p>
            <Link className="button button--primary" to="/staff/grading">
              Open grading
            </Link>
          </p>
        </section>
        <section className="card staff-console__section" aria-labelledby="console-results">
          <h2 id="console-results">Results</h2>
          <p className="muted">Pass or fail at each exam’s pass mark; release to learners and download the CSV for the registrar.</p>
          {exams.length > 0 && (
            <ul className="plain-list staff-console__list">
              {exams.map((exam) => (
                <li key={exam.examId}>
                  <Link to={`/staff/results?exam=${encodeURIComponent(exam.examId)}`}>{exam.title}</Link>{' '}
                  <span className="muted">— {exam.release ? `released ${formatWhen(exam.release.releasedAt)}` : 'not released'}</span>
                </li>
              ))}
            </ul>
          )}
          <p>
            <Link className="button button--primary" to="/staff/results">
              Open results
            </Link>
          </p>
        </section>
        <section className="card staff-console__section" aria-labelledby="console-proctoring">
          <h2 id="console-proctoring">Proctoring</h2>
          <ul className="plain-list staff-console__list">
            <li>
              <Link to="/review">Review queue</Link> <span className="muted">— recorded attempts waiting for a decision</span>
            </li>
            <li>
              <Link to="/live">Live</Link> <span className="muted">— learners in their exam now</span>
            </li>
          </ul>
        </section>
      </div>
    </div>
  );
}
