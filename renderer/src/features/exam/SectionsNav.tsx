import type { SectionView } from '../../../../shared/api/sessions';
import { formatRemaining } from '../../../../shared/domain/deadline';

export function sectionStateText(section: SectionView, remaining: number | null | undefined): string {
  switch (section.state) {
    case 'not_opened':
      return 'Not opened';
    case 'open':
      return remaining == null ? 'Open' : `Open — ${formatRemaining(remaining)} left`;
    case 'submitted':
      return 'Submitted';
    case 'expired':
      return 'Time expired';
  }
}

export interface SectionsNavProps {
  readonly sections: readonly SectionView[];
  readonly selectedId: string | null;
  readonly remaining: ReadonlyMap<string, number | null>;
  readonly onSelect: (sectionId: string) => void;
}

export function SectionsNav({ sections, selectedId, remaining, onSelect }: SectionsNavProps) {
  return (
    <nav className="sections-nav" aria-label="Sections">
      <h2 className="sections-nav__title">Sections</h2>
      <ul>
        {sections.map((s, i) => (
          <li key={s.id}>
            <button
              type="button"
              className={`sections-nav__item sections-nav__item--${s.state}`}
              aria-current={s.id === selectedId ? 'true' : undefined}
              onClick={() => onSelect(s.id)}
            >
              <span className="sections-nav__name">
                {i + 1}. {s.title}
              </span>
              <span className="sections-nav__state">{sectionStateText(s, remaining.get(s.id))}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
