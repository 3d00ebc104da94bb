import { Notice } from './Notice';

/** What a page shows when its data could not be loaded: the reason, and a retry where one makes sense. */
export function LoadFailed({ message, onRetry }: { readonly message: string; readonly onRetry?: () => void }) {
  return (
    <Notice tone="danger" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </Notice>
  );
}
