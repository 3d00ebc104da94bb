import { useEffect, useRef } from 'react';

/** Moves focus to a pre-exam step's heading when the step appears, so screen readers start there. */
export function useStepHeading() {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}
