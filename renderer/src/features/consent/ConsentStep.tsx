import { useState } from 'react';
import { useServices } from '../../app/services';
import { describeError } from '../../services/api/errorText';
import type { PreExamStepProps } from '../preExam/stepTypes';
import { useStepHeading } from '../systemCheck/useStepHeading';
import { AGREEMENTS, consentVersion, HOW_LONG, RECORDED, WHO_SEES } from './consentText';

/**
 * Consent before anything is recorded: what is recorded, who sees it, how long it is
 * kept, each agreement ticked by the learner. Nothing starts without it: the server refuses the
 * start until it holds this consent.
 */
export function ConsentStep({ session, onSessionChange, onDone }: PreExamStepProps) {
  const { api } = useServices();
  const heading = useStepHeading();
  const [ticked, setTicked] = useState<ReadonlySet<string>>(() => new Set());
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const all = AGREEMENTS.every((a) => ticked.has(a.id));

  const toggle = (id: string, on: boolean) =>
    setTicked((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const agree = async () => {
    setSending(true);
    setError(null);
    const reply = await api.call('recordConsent', { params: { sessionId: session.id }, body: { version: consentVersion, accepted: true } });
    setSending(false);
    if (!reply.ok) {
      setError(describeError(reply.error));
      return;
    }
    onSessionChange(reply.value);
    onDone();
  };

  return (
    <section className="card consent" aria-labelledby="consent-heading">
      <h2 id="consent-heading" ref={heading} tabIndex={-1}>
        Consent to recording
      </h2>
      <p>Read what Invigil records during this exam, then tick each box to agree. Nothing is recorded before you agree.</p>
      <div className="consent__facts">
        <div>
          <h3>What is recorded</h3>
          <ul>
            {RECORDED.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
        <div>
          <h3>Who sees it</h3>
          <p>{WHO_SEES}</p>
        </div>
        <div>
          <h3>How long it is kept</h3>
          <p>{HOW_LONG}</p>
        </div>
      </div>
      <fieldset className="consent__agreements">
        <legend>Your agreement</legend>
        {AGREEMENTS.map((a) => (
          <label key={a.id} className="tick">
            <input type="checkbox" checked={ticked.has(a.id)} onChange={(e) => toggle(a.id, e.target.checked)} />
            <span>{a.label}</span>
          </label>
        ))}
      </fieldset>
      {error && (
        <div className="notice notice--danger" role="alert">
          <p>{error}</p>
        </div>
      )}
      <div className="consent__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={!all || sending}
          aria-busy={sending}
          aria-describedby={all ? undefined : 'consent-why'}
          onClick={() => void agree()}
        >
          {sending ? 'Saving…' : 'I agree'}
        </button>
        {!all && (
          <span id="consent-why" className="muted">
            Tick all three boxes to agree. If you do not agree, you cannot take this exam; contact your programme staff.
          </span>
        )}
      </div>
    </section>
  );
}
