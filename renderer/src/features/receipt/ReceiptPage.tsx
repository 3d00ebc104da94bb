import { useCallback, useEffect } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import type { Receipt } from '../../../../shared/api/sessions';
import { useServices } from '../../app/services';
import { useLoad } from '../../app/useLoad';
import { usePageHeading } from '../../components/usePageHeading';
import { describeError } from '../../services/api/errorText';
import { formatDateTime } from '../exams/examStatus';
import { learnerResultText, useLearnerResults } from '../exams/learnerResult';
import { LoadFailed } from '../../components/LoadFailed';
import { UploadProgressPanel } from '../recording/UploadProgressPanel';

export function ReceiptPage() {
  const { sessionId = '' } = useParams();
  const { api, recording } = useServices();
  const load = useCallback(() => api.call('getReceipt', { params: { sessionId } }), [api, sessionId]);
  // However the exam ended, its recording ends here at the latest (a no-op when submit already stopped it).
  useEffect(() => void recording.stop(sessionId, 'submitted'), [recording, sessionId]);
  const { state, reload } = useLoad(load);
  if (state.phase === 'loading') return <p role="status" className="page">Loading your receipt…</p>;
  if (state.phase === 'failed') {
    return (
      <div className="page page--narrow">
        <LoadFailed message={describeError(state.error)} onRetry={reload} />
        <Link to="/exams">Back to your exams</Link>
      </div>
    );
  }
  return <ReceiptView receipt={state.value} sessionId={sessionId} />;
}

function ReceiptView({ receipt, sessionId }: { readonly receipt: Receipt; readonly sessionId: string }) {
  const title = receipt.practice ? 'Trial test submitted' : 'Exam submitted';
  const heading = usePageHeading(title);
  const navigate = useNavigate();
  // Set by the exam player when a proctor ended the attempt.
  const endedReason = (useLocation().state as { endedReason?: string | null } | null)?.endedReason ?? null;
  const { api } = useServices();
  const result = useLearnerResults(api, [sessionId]).get(sessionId);
  const resultText = result ? learnerResultText(result) : null;
  const score = receipt.autoScore;
  const passed = score !== null && score.percent >= receipt.passPercent;
  return (
    <div className="page page--narrow">
      <div className="card receipt">
        <div className="receipt__check" aria-hidden="true">
          ✓
        </div>
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <p className="lead">{receipt.examTitle}</p>
        {endedReason !== null && (
          <p className="notice notice--warning" role="status">
            Your proctor ended this exam: {endedReason}
          </p>
        )}
        <dl className="facts facts--receipt">
          <div>
            <dt>Receipt code</dt>
            <dd className="receipt__code">{receipt.receiptCode}</dd>
          </div>
          <div>
            <dt>Submitted</dt>
            <dd>{formatDateTime(receipt.submittedAt)}</dd>
          </div>
          <div>
            <dt>Answered</dt>
            <dd>
              {receipt.answeredCount} of {receipt.questionCount} questions
            </dd>
          </div>
          {receipt.practice && score !== null && (
            <div>
              <dt>Auto-graded score</dt>
              <dd>
                {score.points} of {score.maxPoints} points ({score.percent} %) — pass mark {receipt.passPercent} %
                {score.pendingManualPoints === 0 && (passed ? ' — passed' : ' — below the pass mark')}
              </dd>
            </div>
          )}
          {resultText !== null && (
            <div>
              <dt>Result</dt>
              <dd>{resultText}</dd>
            </div>
          )}
        </dl>
        {receipt.practice && score !== null && score.pendingManualPoints > 0 && (
          <p className="muted">
            Short answers ({score.pendingManualPoints} points) are graded by staff, so they are not in this score yet.
          </p>
        )}
        {!receipt.practice && <p className="muted">Keep the receipt code. Your result is published after the proctor’s review.</p>}
        <UploadProgressPanel sessionId={sessionId} />
        <button type="button" className="button button--primary" onClick={() => navigate('/exams')}>
          Back to your exams
        </button>
      </div>
    </div>
  );
}
