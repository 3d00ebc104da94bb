import type { ReactNode } from 'react';

/** A boxed message. `alert` announces it at once (errors); otherwise it is plain text. */
export function Notice({ tone, role, children }: { readonly tone: 'info' | 'success' | 'warning' | 'danger'; readonly role?: 'alert' | 'status'; readonly children: ReactNode }) {
  return (
    <div className={`notice notice--${tone}`} role={role}>
      {children}
    </div>
  );
}
