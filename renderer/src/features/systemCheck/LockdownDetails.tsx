import { lockdownMeasures, MEASURE_NAMES, type LockdownCapabilities, type MeasureStatus } from '../../../../shared/domain/lockdownCapabilities';

/** The status in words a learner reads (never colour alone). */
export const LEARNER_STATUS: Record<MeasureStatus, string> = {
  enforced: 'Prevented',
  detected: 'Noticed and reported',
  unavailable: 'Not possible on this computer',
};

/**
 * "What this computer's lockdown does": each measure with its status in words and one sentence,
 * folded away by default so the list above and the Continue button stay in view.
 */
export function LockdownDetails({ model }: { readonly model: LockdownCapabilities }) {
  return (
    <details className="lockdown-details">
      <summary>What this computer’s lockdown does</summary>
      <ul className="lockdown-details__list">
        {lockdownMeasures.map((measure) => {
          const { status, statement } = model.measures[measure];
          return (
            <li key={measure} className={`lockdown-details__item lockdown-details__item--${status}`} data-measure={measure}>
              <span className="lockdown-details__name">{MEASURE_NAMES[measure]}</span>
              <span className="visually-hidden">: </span>
              <span className="lockdown-details__status">{LEARNER_STATUS[status]}</span>
              <span className="lockdown-details__statement">{statement}</span>
            </li>
          );
        })}
      </ul>
    </details>
  );
}
