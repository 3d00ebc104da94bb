import { useEffect, useRef } from 'react';

export interface FatalScreenProps {
  readonly title?: string;
  readonly detail: string;
  readonly onRetry?: () => void;
}

export function FatalScreen({ title = 'Something went wrong', detail, onRetry }: FatalScreenProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main className="fatal" id="main-content">
      <div className="card fatal__card">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <p>
          Your answers are kept on this computer and on the server. Do not close the app. If you are in an exam, tell
          your proctor or programme support what you see here.
        </p>
        <p className="fatal__detail">
          Details for support: <code>{detail}</code>
        </p>
        {onRetry && (
          <button type="button" className="button button--primary" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    </main>
  );
}
