import { useEffect, useRef } from 'react';

/** Moves focus to the element (a heading with tabIndex -1) when it appears, so screen readers hear the new stage. */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}
