import type { ReactNode } from 'react';
import type { CheckId, CheckItem, CheckStatus } from '../../../../shared/api/checks';
import { CHECK_NAMES } from '../../services/systemCheck/checkItems';

const STATUS: Record<CheckStatus | 'pending', { readonly label: string; readonly icon: string }> = {
  pass: { label: 'Passed', icon: '✓' },
  warn: { label: 'Warning', icon: '!' },
  fail: { label: 'Failed', icon: '✕' },
  unsupported: { label: 'Not supported here', icon: '–' },
  pending: { label: 'Checking…', icon: '…' },
};

/**
 * The system check's items: name, status in words (never colour alone), what was seen, how to fix
 * it, and for some items more below it once they are known (`details`).
 */
export function CheckList({
  ids,
  items,
  details = {},
}: {
  readonly ids: readonly CheckId[];
  readonly items: Partial<Record<CheckId, CheckItem>>;
  readonly details?: Partial<Record<CheckId, ReactNode>>;
}) {
  return (
    <ul className="checks" aria-label="System check results">
      {ids.map((id) => {
        const item = items[id];
        const status = item?.status ?? 'pending';
        const { label, icon } = STATUS[status];
        return (
          <li key={id} className={`check check--${status}`} data-check={id}>
            <span className="check__icon" aria-hidden="true">
              {icon}
            </span>
            <div className="check__body">
              <p className="check__title">
                <span className="check__name">{CHECK_NAMES[id]}</span>
                <span className="visually-hidden">: </span>
                <span className="check__status">{label}</span>
              </p>
              {item && <p className="check__observed">{item.observed}</p>}
              {item?.fix && <p className="check__fix">{item.fix}</p>}
              {item && details[id]}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
