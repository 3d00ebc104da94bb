import type { ReactNode } from 'react';

export function Badge({ tone, children }: { readonly tone: 'info' | 'neutral' | 'success' | 'warning' | 'danger'; readonly children: ReactNode }) {
  return <span className={`badge badge--${tone}`}>{children}</span>;
}
