import { formatBytes } from './format';
import type { DiskState } from './useDiskCheck';

export function DiskSpaceCheck({ state, requiredBytes, onRecheck }: { readonly state: DiskState; readonly requiredBytes: number; readonly onRecheck: () => void }) {
  if (state.phase === 'checking') return <p className="check-line">Checking free disk space…</p>;
  if (state.phase === 'failed') {
    return (
      <div className="notice notice--danger" role="alert">
        <p>
          Invigil could not check the free disk space on this computer ({state.code}). Choose Check again; if it keeps failing,
          restart Invigil.
        </p>
        <button type="button" className="button button--secondary" onClick={onRecheck}>
          Check again
        </button>
      </div>
    );
  }
  if (state.enough) {
    return (
      <p className="check-line check-line--ok">
        <span aria-hidden="true">✓ </span>Enough free disk space for the recording: it needs up to {formatBytes(requiredBytes)} and{' '}
        {formatBytes(state.freeBytes)} is free.
      </p>
    );
  }
  return (
    <div className="notice notice--danger" role="alert">
      <p>
        Not enough free disk space for the recording. This exam needs {formatBytes(requiredBytes)} free; this computer has{' '}
        {formatBytes(state.freeBytes)}. Free some space (empty the Recycle Bin or Trash, delete large files you do not need), then
        choose Check again.
      </p>
      <button type="button" className="button button--secondary" onClick={onRecheck}>
        Check again
      </button>
    </div>
  );
}
