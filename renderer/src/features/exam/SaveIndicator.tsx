import type { SyncStatus } from '../../services/answers/answerSync';

export function saveStatusText(status: SyncStatus): string {
  switch (status.kind) {
    case 'saved':
      return 'All answers saved';
    case 'saving':
      return 'Saving…';
    case 'offline':
      return `Offline — ${status.kept} ${status.kept === 1 ? 'change' : 'changes'} kept on this computer`;
    case 'error':
      return status.blocking ? 'Answers cannot be saved' : status.message;
  }
}

/** The autosave line. A polite status: announced when it changes, never interrupting. */
export function SaveIndicator({ status }: { readonly status: SyncStatus }) {
  return (
    <p className={`save-indicator save-indicator--${status.kind}`} role="status">
      <span className="save-indicator__dot" aria-hidden="true" />
      {saveStatusText(status)}
    </p>
  );
}
