import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export interface DialogProps {
  readonly title: string;
  readonly children: ReactNode;
  /** The buttons; the first focusable element receives focus when the dialog opens. */
  readonly actions: ReactNode;
  readonly onCancel: () => void;
  /** `alertdialog` for what interrupts the learner and needs an answer (or blocks until it ends). */
  readonly role?: 'dialog' | 'alertdialog';
  /** An opaque backdrop: nothing of the page shows behind the dialog. */
  readonly opaque?: boolean;
}

/** Dialogs open now. */
let open = 0;

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog: the page behind becomes inert, Tab cycles inside, Escape cancels, and focus
 * returns to where it was when the dialog closes.
 */
export function Dialog({ title, children, actions, onCancel, role = 'dialog', opaque = false }: DialogProps) {
  const titleId = useId();
  const bodyId = useId();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const app = document.getElementById('root');
    open += 1;
    app?.setAttribute('inert', '');
    // A dialog without buttons (a blocking notice) takes focus itself, so screen readers read it.
    (ref.current?.querySelector<HTMLElement>(FOCUSABLE) ?? ref.current)?.focus();
    return () => {
      // A dialog opened from another (a confirmation) leaves the page inert for the one below.
      open -= 1;
      if (open === 0) app?.removeAttribute('inert');
      previous?.focus();
    };
  }, []);

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onCancel();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) {
      e.preventDefault();
      return;
    }
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <div className={opaque ? 'dialog-backdrop dialog-backdrop--opaque' : 'dialog-backdrop'}>
      <div
        ref={ref}
        className="dialog"
        role={role}
        tabIndex={-1}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        <div id={bodyId} className="dialog__body">
          {children}
        </div>
        <div className="dialog__actions">{actions}</div>
      </div>
    </div>,
    document.body,
  );
}
