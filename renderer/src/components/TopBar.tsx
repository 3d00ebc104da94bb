export interface TopBarProps {
  readonly userName: string | null;
  /** Section links for the signed-in role (the review queue for proctors). */
  readonly links?: readonly { readonly href: string; readonly label: string; readonly current: boolean }[];
  readonly onSignOut: () => void;
}

export function TopBar({ userName, onSignOut, links = [] }: TopBarProps) {
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
        {links.length > 0 && (
          <nav className="topbar__nav" aria-label="Main">
            {links.map((l) => (
              <a key={l.href} href={l.href} aria-current={l.current ? 'page' : undefined}>
                {l.label}
              </a>
            ))}
          </nav>
        )}
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
