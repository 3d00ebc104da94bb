export interface TopBarProps {
  readonly userName: string | null;
  readonly onSignOut: () => void;
}

export function TopBar({ userName, onSignOut }: TopBarProps) {
  return (
    <header className="topbar">
      <a className="skip-link" href="#main-content">
        Skip to main content
      </a>
      <div className="topbar__inner">
        <span className="wordmark" aria-label="Invigil">
          <span className="wordmark__mark" aria-hidden="true">
            I
          </span>
          <span aria-hidden="true">Invigil</span>
        </span>
        {userName !== null && (
          <div className="topbar__user">
            <span className="topbar__name">{userName}</span>
            <button type="button" className="button button--ghost" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        )}
      </div>
    </header>
  );
}
