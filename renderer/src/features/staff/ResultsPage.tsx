import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import type { ExamResultsResponse, StaffAuditEntry } from '../../../../shared/api/grading';
import { useServices } from '../../app/services';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { LoadFailed } from '../../components/LoadFailed';
import { Notice } from '../../components/Notice';
import { usePageHeading } from '../../components/usePageHeading';
import { describeError } from '../../services/api/errorText';
import { formatPercent } from '../exams/learnerResult';
import { downloadText } from './download';
import { ExamPicker } from './ExamPicker';
import { useStaffExams } from './useStaffExams';
import { auditText, formatWhen, outcomeText, percentText, pointsText, reviewStatusLabel } from './staffText';

/** Results per exam: the table, release (confirmed), the registrar's CSV and who did what. */
export function ResultsPage() {
  const heading = usePageHeading('Results');
  const { state, reload, setParams, examId } = useStaffExams();
  const exams = state.phase === 'ready' ? state.value.exams : [];
  const exam = exams.find((e) => e.examId === examId) ?? null;

  return (
    <div className="page staff">
      <p className="breadcrumb">
        <Link to="/staff">Staff console</Link>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        Results
      </h1>
      {state.phase === 'loading' && <p role="status">Loading the exams…</p>}
      {state.phase === 'failed' && <LoadFailed message={describeError(state.error)} onRetry={reload} />}
      {exams.length > 0 && (
        <ExamPicker exams={exams} value={exam ? examId : ''} onChange={(id) => setParams(id ? { exam: id } : {})} />
      )}
      {exam && <ExamResults key={exam.examId} examId={exam.examId} />}
    </div>
  );
}

function ExamResults({ examId }: { readonly examId: string }) {
  const { api } = useServices();
  const [data, setData] = useState<ExamResultsResponse | null>(null);
  const [audit, setAudit] = useState<readonly StaffAuditEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [actionError, setActionError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void Promise.all([api.call('examResults', { params: { examId } }), api.call('staffAudit', { params: { examId } })]).then(([results, entries]) => {
      if (!live) return;
      if (!results.ok) {
        setError(describeError(results.error));
        return;
      }
      setError(null);
      setData(results.value);
      if (entries.ok) setAudit(entries.value.entries);
    });
    return () => {
      live = false;
    };
  }, [api, examId, round]);

  if (error !== null) return <LoadFailed message={error} onRetry={() => setRound((n) => n + 1)} />;
  if (!data) return <p role="status">Loading the results…</p>;

  const release = async () => {
    setBusy(true);
    setActionError(null);
    const reply = await api.call('releaseResults', { params: { examId }, body: {} });
    setBusy(false);
    setConfirming(false);
    if (!reply.ok) {
      setActionError(`Not released. ${describeError(reply.error)}`);
      return;
    }
    const n = reply.value.verified;
    setStatus(`Results released. ${n} verified ${n === 1 ? 'attempt now shows' : 'attempts now show'} pass or fail to the learner.`);
    setRound((n) => n + 1);
  };

  const download = async () => {
    setBusy(true);
    setActionError(null);
    const reply = await api.call('exportResults', { params: { examId }, body: {} });
    setBusy(false);
    if (!reply.ok) {
      setActionError(`The CSV could not be made. ${describeError(reply.error)}`);
      return;
    }
    downloadText(reply.value.fileName, reply.value.csv);
    setStatus(`Downloaded ${reply.value.fileName} (${reply.value.rows} ${reply.value.rows === 1 ? 'row' : 'rows'}).`);
    setRound((n) => n + 1);
  };

  return (
    <section aria-labelledby="results-exam-title" className="results">
      <h2 id="results-exam-title">{data.examTitle}</h2>
      <dl className="review-counts" aria-label="Summary">
        <div>
          <dt>Pass mark</dt>
          <dd>{formatPercent(data.passPercent)} %</dd>
        </div>
        <div>
          <dt>Verified attempts</dt>
          <dd>{data.verified}</dd>
        </div>
        <div>
          <dt>Waiting for grading</dt>
          <dd>{data.pendingVerified}</dd>
        </div>
        <div>
          <dt>Released</dt>
          <dd className="results__released">{data.release ? `${formatWhen(data.release.releasedAt)} by ${data.release.releasedBy}` : 'Not yet'}</dd>
        </div>
      </dl>
      <p className="muted">Learners see a result only for a verified attempt, once the results are released and its short answers graded.</p>
      <div className="actions">
        <button type="button" className="button button--primary" onClick={() => setConfirming(true)} disabled={busy}>
          {data.release ? 'Release again…' : 'Release results…'}
        </button>
        <button type="button" className="button button--secondary" onClick={() => void download()} disabled={busy} aria-busy={busy}>
          Download CSV
        </button>
      </div>
      <p role="status" aria-live="polite" className="review-queue__claim">
        {status}
      </p>
      {actionError !== null && (
        <Notice tone="danger" role="alert">
          {actionError}
        </Notice>
      )}
      {confirming && (
        <ConfirmDialog title={`Release the results of ${data.examTitle}?`} confirmLabel="Release results" busy={busy} onConfirm={() => void release()} onCancel={() => setConfirming(false)}>
          <p>
            Learners with a verified attempt will see “Passed” or “Not passed” and their percent on their exam list. The release is recorded
            with your name.
          </p>
          {data.pendingVerified > 0 && (
            <p>
              {data.pendingVerified} verified {data.pendingVerified === 1 ? 'attempt still has' : 'attempts still have'} short answers to grade,
              so the server will refuse until they are graded.
            </p>
          )}
        </ConfirmDialog>
      )}

      {data.rows.length === 0 ? (
        <p>No attempt has been handed in yet.</p>
      ) : (
        <table className="review-table results__table">
          <caption className="visually-hidden">Attempts, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Learner</th>
              <th scope="col">Attempt</th>
              <th scope="col">Review status</th>
              <th scope="col">Points</th>
              <th scope="col">Percent</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((row) => (
              <tr key={row.sessionId}>
                <th scope="row">
                  {row.learnerName} <span className="muted">{row.learnerEmail}</span>
                </th>
                <td>{row.attemptNo}</td>
                <td>{reviewStatusLabel[row.sessionStatus]}</td>
                <td>{pointsText(row.result)}</td>
                <td>{percentText(row.result)}</td>
                <td>{outcomeText(row.result)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="results-activity">Activity</h2>
      {audit.length === 0 ? (
        <p className="muted">No grades, releases or downloads yet.</p>
      ) : (
        <ul className="plain-list results__audit" aria-labelledby="results-activity">
          {audit.slice(0, 20).map((entry, i) => (
            <li key={`${entry.at}-${i}`}>
              <time dateTime={entry.at}>{formatWhen(entry.at)}</time> — {auditText(entry)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
