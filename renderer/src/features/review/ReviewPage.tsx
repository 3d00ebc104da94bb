import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { DecideRequest, PlaybackGrant } from '../../../../shared/api/review';
import { useCurrentUser, useServices } from '../../app/services';
import { LoadFailed } from '../../components/LoadFailed';
import { Notice } from '../../components/Notice';
import { usePageHeading } from '../../components/usePageHeading';
import { describeError } from '../../services/api/errorText';
import { CommentForm, type CommentFormHandle } from './CommentForm';
import { DecisionForm } from './DecisionForm';
import { FlagList } from './FlagList';
import { IdentityPanel } from './IdentityPanel';
import { describeStatus, formatRisk, riskBand } from './queueText';
import { RiskPanel } from './RiskPanel';
import { RecordingPlayer, type PlayerHandle } from './RecordingPlayer';
import { AttemptPanel, EventLog, ReviewHistory, SectionTimings, SystemCheckPanel } from './SessionPanels';
import { SHORTCUT_HELP, shortcutFor } from './shortcuts';
import { adjacentFlag, buildTimeline, placeFlags, type PlacedFlag } from './timeline';
import { useLease } from './useLease';
import { useReviewData, type ReviewData } from './useReviewData';

const REVIEW_ERRORS: Record<string, string> = {
  review_lease_lost: 'Your claim on this session has ended (it ran out, or another proctor has it). Your work here was not saved; go back to the queue.',
  review_already_decided: 'You have already decided this session.',
  review_second_reviewer_required: 'The second review must be done by a different proctor.',
};
const reviewError = (e: { code: string; message: string }) => REVIEW_ERRORS[e.code] ?? describeError(e);

export function ReviewPage() {
  const { entryId = '' } = useParams();
  const { state, reload, regrant } = useReviewData(entryId);
  const heading = usePageHeading('Review session');
  if (state.phase === 'loading') {
    return (
      <section className="review" aria-labelledby="review-title">
        <h1 id="review-title" ref={heading} tabIndex={-1}>
          Review session
        </h1>
        <p role="status">Loading the session…</p>
      </section>
    );
  }
  if (state.phase === 'failed') {
    return (
      <section className="review" aria-labelledby="review-title">
        <h1 id="review-title" ref={heading} tabIndex={-1}>
          Review session
        </h1>
        <LoadFailed message={state.message} onRetry={reload} />
        <p>
          <Link to="/review">Back to the queue</Link>
        </p>
      </section>
    );
  }
  return <ReviewScreen data={state.data} reload={reload} regrant={regrant} />;
}

function ReviewScreen({ data, reload, regrant }: { readonly data: ReviewData; readonly reload: () => void; readonly regrant: () => Promise<PlaybackGrant | null> }) {
  const { api, now } = useServices();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { entry, decisions, comments, audit, mediaDeletedAt } = data.detail;
  const title = data.session ? `Review: ${data.session.examTitle}` : 'Review session';
  const heading = usePageHeading(title);
  const { lease, markEnded, markLost } = useLease(entry, user?.id ?? null);
  const [status, setStatus] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const player = useRef<PlayerHandle>(null);
  const commentForm = useRef<CommentFormHandle>(null);

  const timeline = useMemo(() => (data.manifest ? buildTimeline(data.manifest, now()) : null), [data.manifest, now]);
  const flags = useMemo(() => (timeline && data.events ? placeFlags(timeline, data.events.filter((e) => e.severity !== 'info')) : []), [timeline, data.events]);
  const writable = lease === 'held';

  const seekFlag = useCallback((f: PlacedFlag) => {
    setSelected(f.event.id);
    player.current?.seek(f.at);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e);
      if (!action) return;
      const p = player.current;
      const at = p?.current() ?? 0;
      if (action === 'toggle-play') p?.togglePlay();
      else if (action === 'back-5') p?.seek(Math.max(0, at - 5));
      else if (action === 'forward-5') p?.seek(at + 5);
      else if (action === 'mark') commentForm.current?.markAt(at);
      else {
        const f = adjacentFlag(flags, at, action === 'next-flag' ? 1 : -1);
        if (f) {
          seekFlag(f);
          setStatus(`Flag: ${f.event.reason}`);
        } else setStatus(action === 'next-flag' ? 'No later flag.' : 'No earlier flag.');
      }
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [flags, seekFlag]);

  const comment = async (c: { startSecond: number; endSecond: number; text: string }) => {
    const r = await api.call('comment', { params: { entryId: entry.entryId }, body: c });
    if (!r.ok) {
      if (r.error.code === 'review_lease_lost') markLost();
      return reviewError(r.error);
    }
    setStatus('Comment added.');
    reload();
    return null;
  };
  const decide = async (d: DecideRequest) => {
    const r = await api.call('decide', { params: { entryId: entry.entryId }, body: d });
    if (!r.ok) {
      if (r.error.code === 'review_lease_lost') markLost();
      return reviewError(r.error);
    }
    markEnded();
    setStatus(`Decision recorded: ${d.decision.replace(/_/g, ' ')}. The attempt is now ${describeStatus(r.value.entry.sessionStatus)}.`);
    reload();
    return null;
  };
  const claimNext = async () => {
    const r = await api.call('claimNext', { body: { leaseSeconds: 120 } });
    if (r.ok && r.value.claim) navigate(`/review/${r.value.claim.entryId}`);
    else setStatus(r.ok ? 'Nothing to claim: the queue is empty.' : reviewError(r.error));
  };

  const band = riskBand(entry.riskScore);
  const myDecision = decisions.find((d) => d.reviewerId === user?.id);
  return (
    <div className="review">
      <header className="review__head">
        <div>
          <p className="review__crumbs">
            <Link to="/review">Review queue</Link> / <span className="mono">{entry.sessionId}</span>
          </p>
          <h1 id="review-title" ref={heading} tabIndex={-1}>
            {title}
          </h1>
          <p className="review__meta">
            <span className={`risk risk--${band}`}>
              Risk <span className="risk__value">{formatRisk(entry.riskScore)}</span> <span className="risk__band">{band}</span>
            </span>
            <span>{entry.round === 2 ? 'Second review' : 'First review'}</span>
            <span>Attempt {describeStatus(entry.sessionStatus)}</span>
            <span>{lease === 'held' ? 'Claimed by you' : lease === 'lost' ? 'Claim lost' : lease === 'ended' ? 'Decided' : entry.state === 'claimed' ? 'Claimed by another proctor' : 'Read only (not claimed)'}</span>
          </p>
        </div>
        <details className="shortcuts">
          <summary>Keyboard shortcuts</summary>
          <dl>
            {SHORTCUT_HELP.map((s) => (
              <div key={s.keys}>
                <dt>
                  <kbd>{s.keys}</kbd>
                </dt>
                <dd>{s.does}</dd>
              </div>
            ))}
          </dl>
        </details>
      </header>
      <p role="status" aria-live="polite" className="review__status">
        {status}
      </p>
      {lease === 'lost' && (
        <Notice tone="danger" role="alert">
          <p>{REVIEW_ERRORS.review_lease_lost}</p>
          <Link to="/review" className="button button--secondary">
            Back to the queue
          </Link>
        </Notice>
      )}
      {lease === 'ended' && (
        <Notice tone="success">
          <p>Your decision is recorded{myDecision ? `: ${myDecision.decision.replace(/_/g, ' ')}` : ''}.</p>
          <div className="button-row">
            <button type="button" className="button button--primary" onClick={() => void claimNext()}>
              Claim next
            </button>
            <Link to="/review" className="button button--secondary">
              Back to the queue
            </Link>
          </div>
        </Notice>
      )}
      {data.problems.map((p) => (
        <Notice key={p} tone="warning">
          <p>{p}</p>
        </Notice>
      ))}

      <div className="review__grid">
        <section className="review__main" aria-labelledby="recording-title">
          <h2 id="recording-title">Recording</h2>
          {mediaDeletedAt ? (
            <Notice tone="info">
              <p>The recording and ID images were deleted under the retention policy on {new Date(mediaDeletedAt).toLocaleDateString()}. Decisions, comments and the audit log are kept.</p>
            </Notice>
          ) : timeline && data.grant ? (
            <RecordingPlayer
              ref={player}
              timeline={timeline}
              flags={flags}
              grant={data.grant}
              serverUrl={data.serverUrl}
              selectedFlagId={selected}
              onSelectFlag={(f) => setSelected(f.event.id)}
              regrant={regrant}
            />
          ) : (
            <p className="muted">No recording has arrived for this attempt.</p>
          )}
          {data.manifest && !data.manifest.verified && (
            <Notice tone="warning">
              <p>The recording's hash chain did not verify: segments may be missing or altered.</p>
            </Notice>
          )}

          <h2 id="flags-title">Flags ({flags.length})</h2>
          <FlagList flags={flags} selectedId={selected} onSeek={seekFlag} labelledBy="flags-title" />

          <CommentForm ref={commentForm} disabled={!writable} onSubmit={comment} />
        </section>

        <aside className="review__side" aria-label="Decision and evidence">
          <section aria-labelledby="decision-title" className="panel">
            <h2 id="decision-title">Decision</h2>
            {writable ? (
              <DecisionForm round={entry.round} disabled={!writable} onDecide={decide} />
            ) : (
              <p className="muted">{lease === 'ended' ? 'Decided.' : 'Claim this session from the queue to decide it.'}</p>
            )}
            <ReviewHistory decisions={decisions} comments={comments} audit={audit} onSeek={(s) => player.current?.seek(s)} />
          </section>
          <RiskPanel sessionId={entry.sessionId} />
          <section aria-labelledby="identity-title" className="panel">
            <h2 id="identity-title">Identity</h2>
            <IdentityPanel identity={data.identity} grant={data.grant} serverUrl={data.serverUrl} deleted={mediaDeletedAt !== null} />
          </section>
          <section aria-labelledby="attempt-title" className="panel">
            <h2 id="attempt-title">Attempt and translator</h2>
            <AttemptPanel session={data.session} />
            <h3>Section timings</h3>
            <SectionTimings session={data.session} />
          </section>
          <section aria-labelledby="syscheck-title" className="panel">
            <h2 id="syscheck-title">System check</h2>
            <SystemCheckPanel reports={data.checks} />
          </section>
          <section aria-labelledby="events-title" className="panel">
            <h2 id="events-title">Event log</h2>
            <EventLog
              events={data.events}
              onSeek={(e) => {
                const f = flags.find((x) => x.event.id === e.id);
                if (f) seekFlag(f);
                else if (timeline) player.current?.seek((Date.parse(e.startedAt) - timeline.originMs) / 1000);
              }}
            />
          </section>
        </aside>
      </div>
    </div>
  );
}
