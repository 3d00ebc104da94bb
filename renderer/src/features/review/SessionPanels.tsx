import type { CheckItem, SystemCheckReport } from '../../../../shared/api/checks';
import { lockdownMeasures, MEASURE_NAMES, measuresFromFigures, type MeasureStatus } from '../../../../shared/domain/lockdownCapabilities';
import type { SessionEvent } from '../../../../shared/api/events';
import type { ReviewAuditView, ReviewCommentView, ReviewDecisionView } from '../../../../shared/api/review';
import type { SessionView } from '../../../../shared/api/sessions';
import { kindLabel } from './eventText';
import { SEVERITY_LABEL, formatSeconds } from './timeline';

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '—');
const TRANSLATORS: Record<string, string> = { google: 'Google Translate', youdao: 'Youdao', bing: 'Bing Translator' };

export function SystemCheckPanel({ reports }: { readonly reports: readonly SystemCheckReport[] | null }) {
  const report = reports?.[0];
  if (!report) return <p className="muted">No system check was stored.</p>;
  return (
    <>
      <p className="muted">
        {report.hostKind === 'web' ? 'Web client' : 'Desktop app'} {report.appVersion}, checked at {time(report.checkedAt)}
        {reports.length > 1 && ` (${reports.length} reports, the latest shown)`}
      </p>
      <ul className="check-report">
        {report.items.map((item) => (
          <li key={item.id} className={`check-report__item check-report__item--${item.status}`}>
            <span className="check-report__status">{item.status === 'pass' ? '✓ Pass' : item.status === 'fail' ? '✗ Fail' : `! ${item.status}`}</span>{' '}
            <strong>{item.id.replace(/_/g, ' ')}</strong>: {item.observed}
          </li>
        ))}
      </ul>
      <LockdownReport item={report.items.find((i) => i.id === 'lockdown')} />
    </>
  );
}

const PROCTOR_STATUS: Record<MeasureStatus, string> = { enforced: 'Enforced', detected: 'Detected only', unavailable: 'Unavailable' };

/**
 * Per lockdown measure, what the learner's app says its lockdown could do on that computer (so a
 * proctor knows, say, that Alt+Tab was possible on this Windows machine). It is the learner
 * machine's own claim: shown, never relied on.
 */
export function LockdownReport({ item }: { readonly item: CheckItem | undefined }) {
  if (!item) return <p className="muted">This system check does not say what the lockdown could do (an older app).</p>;
  const statuses = measuresFromFigures(item.figures);
  const platform = typeof item.figures.platform === 'string' ? item.figures.platform.slice(0, 80) : null;
  return (
    <table className="compact-table lockdown-report">
      <caption>
        Lockdown on {platform ?? 'the learner’s computer'} <span className="muted">(reported by the learner’s app)</span>
      </caption>
      <thead>
        <tr>
          <th scope="col">Measure</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {lockdownMeasures.map((measure) => {
          const status = statuses[measure];
          return (
            <tr key={measure} data-measure={measure}>
              <th scope="row">{MEASURE_NAMES[measure]}</th>
              <td className={status ? `lockdown-report__status lockdown-report__status--${status}` : 'muted'}>{status ? PROCTOR_STATUS[status] : 'Not reported'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function AttemptPanel({ session }: { readonly session: SessionView | null }) {
  if (!session) return <p className="muted">The attempt could not be loaded.</p>;
  const t = session.checks.translator;
  return (
    <dl className="review-facts">
      <div>
        <dt>Exam</dt>
        <dd>
          {session.examTitle}
          {session.practice && ' (practice)'}
        </dd>
      </div>
      <div>
        <dt>Client</dt>
        <dd>{session.client}</dd>
      </div>
      <div>
        <dt>Translator</dt>
        <dd>{t ? TRANSLATORS[t] ?? t : session.checks.translatorRequired ? 'None chosen' : 'Not required'}</dd>
      </div>
      <div>
        <dt>Time allowed</dt>
        <dd>{session.timeMultiplier === 1 ? 'Standard' : `× ${session.timeMultiplier} (accommodation)`}</dd>
      </div>
      <div>
        <dt>Started · submitted</dt>
        <dd>
          {time(session.startedAt)} · {time(session.submittedAt)}
        </dd>
      </div>
    </dl>
  );
}

/** Section timings only: the answers are the graders' business, not the proctor's. */
export function SectionTimings({ session }: { readonly session: SessionView | null }) {
  if (!session) return null;
  return (
    <table className="compact-table">
      <caption className="visually-hidden">Section timings</caption>
      <thead>
        <tr>
          <th scope="col">Section</th>
          <th scope="col">Opened</th>
          <th scope="col">Closed</th>
          <th scope="col">Used</th>
        </tr>
      </thead>
      <tbody>
        {session.sections.map((s) => {
          const used = s.openedAt && s.closedAt ? (Date.parse(s.closedAt) - Date.parse(s.openedAt)) / 1000 : null;
          return (
            <tr key={s.id}>
              <td>{s.title}</td>
              <td>{time(s.openedAt)}</td>
              <td>{time(s.closedAt)}</td>
              <td>
                {used === null ? s.state.replace(/_/g, ' ') : formatSeconds(used)} of {Math.round(s.durationMinutes * session.timeMultiplier)} min
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function EventLog({ events, onSeek }: { readonly events: readonly SessionEvent[] | null; readonly onSeek: (e: SessionEvent) => void }) {
  if (!events) return <p className="muted">The event log could not be loaded.</p>;
  if (events.length === 0) return <p className="muted">No events were recorded.</p>;
  return (
    <table className="compact-table">
      <caption className="visually-hidden">Session events</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Event</th>
          <th scope="col">Severity</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {[...events]
          .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt))
          .map((e) => (
            <tr key={e.id}>
              <td>
                <button type="button" className="link-button" onClick={() => onSeek(e)} aria-label={`Play from ${time(e.startedAt)}: ${kindLabel(e.kind)}`}>
                  {time(e.startedAt)}
                </button>
              </td>
              <td>{kindLabel(e.kind)}</td>
              <td>
                <span className={`sev sev--${e.severity}`}>{SEVERITY_LABEL[e.severity]}</span>
              </td>
              <td>{e.reason}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

const ACTION: Record<string, string> = {
  enqueue: 'Entered the queue',
  claim: 'Claimed',
  release: 'Released',
  lease_expired: 'Lease ran out',
  comment: 'Commented',
  decision: 'Decided',
  media_deleted: 'Recording and ID images deleted (retention)',
};

export function ReviewHistory({ decisions, comments, audit, onSeek }: {
  readonly decisions: readonly ReviewDecisionView[];
  readonly comments: readonly ReviewCommentView[];
  readonly audit: readonly ReviewAuditView[];
  readonly onSeek: (second: number) => void;
}) {
  return (
    <>
      {decisions.length > 0 && (
        <ul className="decisions">
          {decisions.map((d) => (
            <li key={d.round}>
              <strong>
                {d.round === 1 ? 'First' : 'Second'} review: {d.decision.replace(/_/g, ' ')}
              </strong>{' '}
              {d.reasonCodes.length > 0 && <>({d.reasonCodes.map((c) => c.replace(/_/g, ' ')).join(', ')})</>} — {time(d.decidedAt)}
              {d.notes && <p className="decisions__notes">{d.notes}</p>}
            </li>
          ))}
        </ul>
      )}
      <h4>Comments</h4>
      {comments.length === 0 ? (
        <p className="muted">No comments yet.</p>
      ) : (
        <ul className="comments">
          {comments.map((c) => (
            <li key={c.id}>
              <button type="button" className="link-button mono" onClick={() => onSeek(c.startSecond)} aria-label={`Play from ${formatSeconds(c.startSecond)}`}>
                {formatSeconds(c.startSecond)}–{formatSeconds(c.endSecond)}
              </button>{' '}
              {c.text} <span className="muted">(round {c.round})</span>
            </li>
          ))}
        </ul>
      )}
      <details className="audit">
        <summary>Audit log ({audit.length})</summary>
        <ol>
          {audit.map((a, i) => (
            <li key={i}>
              {time(a.at)} · {ACTION[a.action] ?? a.action} · round {a.round}
              {a.actorId ? ` · ${a.actorId}` : ''}
            </li>
          ))}
        </ol>
      </details>
    </>
  );
}
