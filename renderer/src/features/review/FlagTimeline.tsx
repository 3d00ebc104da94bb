import { SEVERITY_LABEL, formatSeconds, positionOf, type PlacedFlag, type Timeline } from './timeline';
import { kindLabel } from './eventText';

export interface FlagTimelineProps {
  readonly timeline: Timeline;
  readonly flags: readonly PlacedFlag[];
  /** The playhead, in timeline seconds. */
  readonly current: number;
  readonly selectedId: string | null;
  readonly onSeekFlag: (flag: PlacedFlag) => void;
  readonly onSeekSecond: (second: number) => void;
}

const pct = (v: number) => `${(v * 100).toFixed(3)}%`;

/**
 * The recording as one bar: takes as spans, gaps as hatched blanks labelled with their reason, flags
 * as markers (shape and text name the severity, colour only repeats it). Markers are buttons, so Tab
 * reaches each; the bar itself seeks where it is clicked.
 */
export function FlagTimeline({ timeline, flags, current, selectedId, onSeekFlag, onSeekSecond }: FlagTimelineProps) {
  const onBarClick = (e: React.MouseEvent<HTMLDivElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    if (rect.width <= 0) return;
    onSeekSecond(((e.clientX - rect.left) / rect.width) * timeline.duration);
  };
  return (
    <div className="timeline">
      <div className="timeline__scale" aria-hidden="true">
        <span>0:00</span>
        <span>{formatSeconds(timeline.duration / 2)}</span>
        <span>{formatSeconds(timeline.duration)}</span>
      </div>
      {/* The bar is a pointer shortcut; keyboard users have the flag buttons, the video's own controls and J/L. */}
      <div className="timeline__bar" onClick={onBarClick} data-testid="timeline-bar">
        {timeline.takes.map((t) => (
          <div
            key={`take-${t.index}`}
            className={`timeline__take${t.playable ? '' : ' timeline__take--unplayable'}`}
            style={{ left: pct(positionOf(timeline, t.from)), width: pct(positionOf(timeline, t.to) - positionOf(timeline, t.from)) }}
            title={`Take ${t.index + 1}: ${formatSeconds(t.from)}–${formatSeconds(t.to)}${t.playable ? '' : ' (not playable yet)'}`}
          />
        ))}
        {timeline.gaps.map((g, i) => (
          <div
            key={`gap-${i}`}
            className="timeline__gap"
            style={{ left: pct(positionOf(timeline, g.from)), width: pct(positionOf(timeline, g.to) - positionOf(timeline, g.from)) }}
            title={`Not recorded ${formatSeconds(g.from)}–${formatSeconds(g.to)}: ${g.reason.replace(/_/g, ' ')}`}
          >
            <span className="visually-hidden">
              Gap in the recording from {formatSeconds(g.from)} to {formatSeconds(g.to)}: {g.reason.replace(/_/g, ' ')}
            </span>
          </div>
        ))}
        <div className="timeline__playhead" style={{ left: pct(positionOf(timeline, current)) }} aria-hidden="true" />
      </div>
      <ol className="timeline__flags" aria-label="Flags on the timeline">
        {flags.map((f) => {
          const label = `${SEVERITY_LABEL[f.event.severity]}: ${kindLabel(f.event.kind)} at ${formatSeconds(f.at)}${f.seek ? '' : ' (not in the recording)'}`;
          return (
            <li key={f.event.id} style={{ left: pct(f.position) }} className="timeline__flag-slot">
              <button
                type="button"
                className={`flag-marker flag-marker--${f.event.severity}${selectedId === f.event.id ? ' flag-marker--selected' : ''}`}
                aria-label={label}
                title={`${label}. ${f.event.reason}`}
                aria-pressed={selectedId === f.event.id}
                disabled={!f.seek}
                onClick={() => onSeekFlag(f)}
              >
                <span aria-hidden="true">{f.event.severity === 'high' ? '▲' : f.event.severity === 'medium' ? '◆' : '●'}</span>
              </button>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
