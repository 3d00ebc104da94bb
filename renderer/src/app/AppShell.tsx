import type { ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { TopBar } from '../components/TopBar';
import { useCurrentUser, useServices } from './services';

export function AppShell({ children }: { readonly children: ReactNode }) {
  const { api, recording } = useServices();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const staff = user?.role === 'proctor' || user?.role === 'admin';
  const links = staff
    ? [
        ...(user?.role === 'admin' ? [{ href: '#/staff', label: 'Staff console', current: pathname.startsWith('/staff') }] : []),
        { href: '#/review', label: 'Review queue', current: pathname.startsWith('/review') },
        { href: '#/live', label: 'Live', current: pathname.startsWith('/live') },
      ]
    : [];
  const signOut = () => {
    // Nobody is recorded after they sign out; the take ends as interrupted and the exam can be resumed.
    void recording
      .stopAll()
      .then(() => api.signOut())
      .then(() => navigate('/sign-in'));
  };
  return (
    <div className="shell">
      <TopBar userName={user?.fullName ?? null} onSignOut={signOut} links={links} />
      <main id="main-content" className="shell__main">
        {children}
      </main>
    </div>
  );
}
