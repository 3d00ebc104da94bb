import { useCallback, useEffect, useState } from 'react';
import { useServices } from '../../app/services';

export type DiskState =
  | { readonly phase: 'checking' }
  | { readonly phase: 'done'; readonly freeBytes: number; readonly enough: boolean }
  | { readonly phase: 'failed'; readonly code: string };

/** Asks the host whether `requiredBytes` of recording fit on its disk (with its own margin). */
export function useDiskCheck(requiredBytes: number) {
  const { host } = useServices();
  const [state, setState] = useState<DiskState>({ phase: 'checking' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    void host['recording:checkDisk']({ requiredBytes }).then((r) => {
      if (!live) return;
      setState(r.ok ? { phase: 'done', freeBytes: r.value.freeBytes, enough: r.value.enough } : { phase: 'failed', code: r.error.code });
    });
    return () => {
      live = false;
    };
  }, [host, requiredBytes, round]);
  const recheck = useCallback(() => {
    setState({ phase: 'checking' });
    setRound((n) => n + 1);
  }, []);
  return { state, recheck };
}
