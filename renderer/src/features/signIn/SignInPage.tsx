import { useEffect, useId, useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useCurrentUser, useServices } from '../../app/services';
import { enrollInstall } from '../../services/attestation/attestedAction';
import { usePageHeading } from '../../components/usePageHeading';
import { describeError } from '../../services/api/errorText';

export function SignInPage() {
  const { api, host, appInfo, log } = useServices();
  const user = useCurrentUser();
  const location = useLocation();
  const heading = usePageHeading('Sign in to Invigil');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [serverUrl, setServerUrl] = useState<string | null>(null);
  const errorId = useId();

  useEffect(() => {
    let live = true;
    void api.serverUrl().then((url) => live && setServerUrl(url));
    return () => {
      live = false;
    };
  }, [api]);

  const from = (location.state as { from?: string } | null)?.from;
  // Signing in updates the user, and this redirect takes the learner back to where they were sent from.
  if (user) return <Navigate to={from && from !== '/sign-in' ? from : '/exams'} replace />;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!email.trim() || !password) {
      setError('Enter your email address and your password.');
      return;
    }
    setBusy(true);
    setError(null);
    const result = await api.signIn(email.trim(), password);
    if (result.ok && result.value.role === 'learner') {
      // The desktop app enrols its install key now, so the first exam start needs one request less;
      // starting an exam enrols it again if this did not get through.
      const enrolled = await enrollInstall({ appInfo, host, api });
      if (!enrolled.ok) log.warn('install key not enrolled at sign-in', { code: enrolled.error.code });
    }
    setBusy(false);
    if (!result.ok) {
      setError(
        result.error.code === 'network'
          ? `The server cannot be reached${serverUrl ? ` at ${serverUrl}` : ''}. Check your internet connection or the server address, then try again.`
          : describeError(result.error),
      );
    }
  };

  return (
    <div className="signin">
      <div className="card signin__card">
        <h1 ref={heading} tabIndex={-1}>
          Sign in to Invigil
        </h1>
        <p className="muted">Use the account of your certificate programme.</p>
        {error !== null && (
          <div id={errorId} className="notice notice--danger" role="alert">
            {error}
          </div>
        )}
        <form onSubmit={(e) => void onSubmit(e)} noValidate className="form">
          <div className="field">
            <label htmlFor="signin-email">Email</label>
            <input
              id="signin-email"
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-describedby={error !== null ? errorId : undefined}
              required
            />
          </div>
          <div className="field">
            <label htmlFor="signin-password">Password</label>
            <input
              id="signin-password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </div>
          <button type="submit" className="button button--primary button--block" disabled={busy} aria-busy={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="fineprint">Server: {serverUrl ?? '…'}</p>
      </div>
    </div>
  );
}
