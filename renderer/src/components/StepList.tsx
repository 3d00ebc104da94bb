export interface Step {
  readonly id: string;
  readonly label: string;
  readonly state: 'done' | 'current' | 'upcoming' | 'later';
}

/**
 * The steps between the exam list and the first section. Checks that a later release adds
 * (consent, system check, identity, desk check, translator) appear as "later" until they exist.
 */
export function StepList({ steps }: { readonly steps: readonly Step[] }) {
  return (
    <ol className="steps" aria-label="Steps before the exam">
      {steps.map((s, i) => (
        <li key={s.id} className={`steps__item steps__item--${s.state}`} aria-current={s.state === 'current' ? 'step' : undefined}>
          <span className="steps__number" aria-hidden="true">
            {i + 1}
          </span>
          <span className="steps__label">{s.label}</span>
          {s.state === 'later' && <span className="steps__note">Coming in a later version</span>}
          {s.state === 'done' && <span className="visually-hidden"> (done)</span>}
        </li>
      ))}
    </ol>
  );
}
