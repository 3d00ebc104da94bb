import { useEffect, useRef } from 'react';

/** Names the document and moves focus to the page's heading, so screen readers hear the new page. */
export function usePageHeading(title: string) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Invigil`;
    ref.current?.focus();
  }, [title]);
  return ref;
}
