import type { ReactNode } from 'react';
import { Link, Navigate } from 'react-router-dom';
import { useCurrentUser } from '../../app/services';
import { usePageHeading } from '../../components/usePageHeading';

export const isStaff = (role: string | undefined): boolean => role === 'proctor' || role === 'admin';

function NotAvailable() {
  const heading = usePageHeading('Not available');
  return (
    <section className="page page--narrow" aria-labelledby="not-available-title">
      <h1 id="not-available-title" ref={heading} tabIndex={-1}>
        Not available
      </h1>
      <p>Session review is only for proctors and administrators. Your account is a learner account.</p>
      <p>
        <Link to="/exams">Go to your exams</Link>
      </p>
    </section>
  );
}

/** Review routes: staff see them; a learner sees a plain "not available" page (the server says 403 anyway). */
export function StaffOnly({ children }: { readonly children: ReactNode }) {
  const user = useCurrentUser();
  if (!user) return <Navigate to="/sign-in" replace />;
  if (!isStaff(user.role)) return <NotAvailable />;
  return <>{children}</>;
}

/** Learners land on their exams, administrators on the staff console, proctors on the review queue. */
export function LearnerOnly({ children }: { readonly children: ReactNode }) {
  const user = useCurrentUser();
  if (user && isStaff(user.role)) return <Navigate to={user.role === 'admin' ? '/staff' : '/review'} replace />;
  return <>{children}</>;
}
