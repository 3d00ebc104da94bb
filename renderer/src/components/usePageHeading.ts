import { useEffect, useRef } from 'react';

/**
 * Names the document and moves focus to the page's heading, so screen readers hear the new page.
 * A page whose content moves focus itself (each pre-exam step focuses its own heading) passes
 * `focus: false`, since a parent's effect would otherwise run last and take the focus back.
 */
export function usePageHeading(title: string, options: { readonly focus?: boolean } = {}) {
  const ref = useRef<HTMLHeadingElement>(null);
  const focus = options.focus ?? true;
  useEffect(() => {
    document.title = `${title} · Invigil`;
    if (focus) ref.current?.focus();
  }, [title, focus]);
  return ref;
}
