import { useCallback, useEffect, useState } from 'react';
import type { Failure, Result } from '../../../shared/result';

export type LoadState<T> =
  | { readonly phase: 'loading' }
  | { readonly phase: 'failed'; readonly error: Failure }
  | { readonly phase: 'ready'; readonly value: T };

/**
 * Runs a result-returning load on mount (and on `reload`), ignoring replies that arrive after
 * unmount. `load` must be stable (wrap it in useCallback): a new function means a new load.
 */
export function useLoad<T>(run: () => Promise<Result<T>>) {
  const [state, setState] = useState<LoadState<T>>({ phase: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    void run().then((r) => {
      if (!live) return;
      setState(r.ok ? { phase: 'ready', value: r.value } : { phase: 'failed', error: r.error });
    });
    return () => {
      live = false;
    };
  }, [run, round]);
  const reload = useCallback(() => {
    setState({ phase: 'loading' });
    setRound((n) => n + 1);
  }, []);
  return { state, reload, setState };
}
