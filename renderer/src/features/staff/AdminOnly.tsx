import type { ReactNode } from 'react';
import { Link, Navigate } from 'react-router-dom';
import { useCurrentUser } from '../../app/services';
import { usePageHeading } from '../../components/usePageHeading';

function NotAvailable({ learner }: { readonly learner: boolean }) {
  const heading = usePageHeading('Not available');
  return (
    <section className="page page--narrow" aria-labelledby="admin-only-title">
      <h1 id="admin-only-title" ref={heading} tabIndex={-1}>
        Not available
      </h1>
      <p>Grading and results are only for administrators.</p>
      <p>{learner ? <Link to="/exams">Go to your exams</Link> : <Link to="/review">Go to the review queue</Link>}</p>
    </section>
  );
}

/** The staff console's routes: administrators see them; others a plain "not available" page (the server says 403 anyway). */
export function AdminOnly({ children }: { readonly children: ReactNode }) {
  const user = useCurrentUser();
  if (!user) return <Navigate to="/sign-in" replace />;
  if (user.role !== 'admin') return <NotAvailable learner={user.role === 'learner'} />;
  return <>{children}</>;
}
