import { useEffect, useId, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { ListQueueResponse, ReviewEntryState, ReviewEntryView } from '../../../../shared/api/review';
import { useServices } from '../../app/services';
import { LoadFailed } from '../../components/LoadFailed';
import { usePageHeading } from '../../components/usePageHeading';
import { describeError } from '../../services/api/errorText';
import { describeEntryState, describeStatus, formatAge, formatRisk, riskBand, sortQueue } from './queueText';

type StatusFilter = 'all' | ReviewEntryState | 'second_review';

const LEASE_SECONDS = 120;

export function ReviewQueuePage() {
  const { api, now } = useServices();
  const navigate = useNavigate();
  const heading = usePageHeading('Review queue');
  const examId = useId();
  const statusId = useId();
  const [exam, setExam] = useState('');
  const [status, setStatus] = useState<StatusFilter>('queued');
  const [data, setData] = useState<ListQueueResponse | null>(null);
  const [exams, setExams] = useState<readonly string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [claimMessage, setClaimMessage] = useState('');
  const [claiming, setClaiming] = useState(false);
  const [round, setRound] = useState(0);

  useEffect(() => {
    let live = true;
    const body = {
      ...(exam ? { examId: exam } : {}),
      ...(status === 'second_review' ? { sessionStatus: 'second_review_required' as const } : status === 'all' ? {} : { state: status }),
      limit: 200,
    };
    // The unfiltered list names the exams for the filter (staff have no exam catalogue of their own).
    void Promise.all([api.call('listQueue', { body }), api.call('listQueue', { body: { limit: 200 } })]).then(([filtered, everything]) => {
      if (!live) return;
      if (!filtered.ok) {
        setError(describeError(filtered.error));
        return;
      }
      setError(null);
      setData(filtered.value);
      if (everything.ok) setExams([...new Set(everything.value.entries.map((e) => e.examId))].sort());
    });
    return () => {
      live = false;
    };
  }, [api, exam, status, round]);

  const claimNext = async () => {
    setClaiming(true);
    setClaimMessage('Claiming the next session…');
    const reply = await api.call('claimNext', { body: { leaseSeconds: LEASE_SECONDS, ...(exam ? { examId: exam } : {}) } });
    setClaiming(false);
    if (!reply.ok) {
      setClaimMessage(`Could not claim: ${describeError(reply.error)}`);
      return;
    }
    if (!reply.value.claim) {
      setClaimMessage(exam ? `Nothing to claim for ${exam}: the queue is empty.` : 'Nothing to claim: the queue is empty.');
      setRound((n) => n + 1);
      return;
    }
    setClaimMessage(`Claimed session ${reply.value.claim.sessionId}. Opening it…`);
    navigate(`/review/${reply.value.claim.entryId}`);
  };

  const entries: readonly ReviewEntryView[] = data ? sortQueue(data.entries) : [];
  const nowMs = now();
  return (
    <section className="review-queue" aria-labelledby="review-queue-title">
      <div className="review-queue__head">
        <h1 id="review-queue-title" ref={heading} tabIndex={-1}>
          Review queue
        </h1>
        <button type="button" className="button button--primary" onClick={() => void claimNext()} disabled={claiming} aria-busy={claiming}>
          Claim next
        </button>
      </div>
      <p role="status" aria-live="polite" className="review-queue__claim">
        {claimMessage}
      </p>

      <form className="review-filters" aria-label="Filter the queue" onSubmit={(e) => e.preventDefault()}>
        <div className="field field--inline">
          <label htmlFor={examId}>Exam</label>
          <select id={examId} value={exam} onChange={(e) => setExam(e.target.value)}>
            <option value="">All exams</option>
            {exams.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor={statusId}>Status</label>
          <select id={statusId} value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)}>
            <option value="queued">Waiting</option>
            <option value="second_review">Needs second review</option>
            <option value="claimed">Being reviewed</option>
            <option value="done">Decided</option>
            <option value="all">All</option>
          </select>
        </div>
        <button type="button" className="button button--ghost" onClick={() => setRound((n) => n + 1)}>
          Refresh
        </button>
      </form>

      {data && (
        <dl className="review-counts" aria-label="Sessions by state">
          <div>
            <dt>Waiting</dt>
            <dd>{data.counts.queued}</dd>
          </div>
          <div>
            <dt>Second review</dt>
            <dd>{data.counts.secondReview}</dd>
          </div>
          <div>
            <dt>Being reviewed</dt>
            <dd>{data.counts.claimed}</dd>
          </div>
          <div>
            <dt>Decided</dt>
            <dd>{data.counts.done}</dd>
          </div>
        </dl>
      )}

      {error && <LoadFailed message={error} onRetry={() => setRound((n) => n + 1)} />}
      {data && entries.length === 0 && <p className="review-queue__empty">No sessions match these filters.</p>}
      {entries.length > 0 && (
        <table className="review-table">
          <caption className="visually-hidden">Sessions, highest risk first, then longest waiting</caption>
          <thead>
            <tr>
              <th scope="col">Risk</th>
              <th scope="col">Exam</th>
              <th scope="col">Session</th>
              <th scope="col">Waiting</th>
              <th scope="col">Review</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => {
              const band = riskBand(e.riskScore);
              return (
                <tr key={e.entryId}>
                  <td>
                    <span className={`risk risk--${band}`}>
                      <span className="risk__value">{formatRisk(e.riskScore)}</span> <span className="risk__band">{band}</span>
                    </span>
                  </td>
                  <td>{e.examId}</td>
                  <td>
                    <Link to={`/review/${e.entryId}`} className="mono">
                      {e.sessionId}
                    </Link>
                  </td>
                  <td>
                    <time dateTime={e.enqueuedAt}>{formatAge(nowMs - Date.parse(e.enqueuedAt))}</time>
                  </td>
                  <td>{e.round === 2 ? 'Second' : 'First'}</td>
                  <td>
                    {describeEntryState(e)} · {describeStatus(e.sessionStatus)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {data && data.total > entries.length && (
        <p className="muted">
          Showing {entries.length} of {data.total}.
        </p>
      )}
    </section>
  );
}
