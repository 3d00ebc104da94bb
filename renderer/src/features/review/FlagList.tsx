import { kindLabel } from './eventText';
import { SEVERITY_LABEL, formatSeconds, type PlacedFlag } from './timeline';

/** The flags in time order with their evidence: severity in words, reason, confidence and thumbnail. */
export function FlagList({ flags, selectedId, onSeek, labelledBy }: {
  readonly flags: readonly PlacedFlag[];
  readonly selectedId: string | null;
  readonly onSeek: (f: PlacedFlag) => void;
  readonly labelledBy: string;
}) {
  if (flags.length === 0) return <p className="muted">No flags were raised in this session.</p>;
  return (
    <ol className="flag-list" aria-labelledby={labelledBy}>
      {flags.map((f) => (
        <li key={f.event.id} className={`flag-item flag-item--${f.event.severity}${selectedId === f.event.id ? ' flag-item--selected' : ''}`} aria-current={selectedId === f.event.id ? 'true' : undefined}>
          {f.event.thumbnail ? (
            <img className="flag-item__thumb" src={`data:image/jpeg;base64,${f.event.thumbnail}`} alt={`Camera at ${formatSeconds(f.at)}`} width={80} height={60} />
          ) : (
            <span className="flag-item__thumb flag-item__thumb--none" aria-hidden="true" />
          )}
          <div className="flag-item__body">
            <p className="flag-item__title">
              <span className={`sev sev--${f.event.severity}`}>{SEVERITY_LABEL[f.event.severity]}</span> <strong>{kindLabel(f.event.kind)}</strong>{' '}
              <button type="button" className="link-button mono" onClick={() => onSeek(f)} disabled={!f.seek} aria-label={`Seek to ${kindLabel(f.event.kind)} at ${formatSeconds(f.at)}`}>
                {formatSeconds(f.at)}
                {f.until !== null && f.until > f.at ? `–${formatSeconds(f.until)}` : ''}
              </button>
              {!f.seek && <span className="muted"> (outside the recording)</span>}
            </p>
            <p className="flag-item__reason">
              {f.event.reason}
              {f.event.confidence !== null && <span className="muted"> · confidence {Math.round(f.event.confidence * 100)} %</span>}
            </p>
          </div>
        </li>
      ))}
    </ol>
  );
}
