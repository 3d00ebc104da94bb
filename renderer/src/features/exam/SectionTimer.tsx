import { formatRemaining } from '../../../../shared/domain/deadline';

/** The big countdown. `role="timer"` is not announced on every tick; warnings go to the live region. */
export function SectionTimer({ remaining }: { readonly remaining: number | null | undefined }) {
  const low = remaining != null && remaining <= 5 * 60_000;
  return (
    <div className={`timer${low ? ' timer--low' : ''}`}>
      <span className="timer__caption" aria-hidden="true">
        Time left
      </span>
      <span role="timer" aria-label="Time left in this section" className="timer__value">
        {remaining == null ? '--:--' : formatRemaining(remaining)}
      </span>
    </div>
  );
}
