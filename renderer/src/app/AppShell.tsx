import type { ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { TopBar } from '../components/TopBar';
import { useCurrentUser, useServices } from './services';

export function AppShell({ children }: { readonly children: ReactNode }) {
  const { api } = useServices();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const signOut = () => {
    void api.signOut().then(() => navigate('/sign-in'));
  };
  return (
    <div className="shell">
      <TopBar userName={user?.fullName ?? null} onSignOut={signOut} />
      <main id="main-content" className="shell__main">
        {children}
      </main>
    </div>
  );
}
