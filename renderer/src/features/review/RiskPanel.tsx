import { useCallback } from 'react';
import { useServices } from '../../app/services';
import { useLoad } from '../../app/useLoad';
import { describeError } from '../../services/api/errorText';
import { formatRisk } from './queueText';

/**
 * Why this attempt has its risk score: per kind of flag, what it added and why (the documented
 * weights of shared/domain/riskScore.ts). Evidence for the proctor, never a verdict.
 */
export function RiskPanel({ sessionId }: { readonly sessionId: string }) {
  const { api } = useServices();
  const load = useCallback(() => api.call('sessionRisk', { params: { sessionId } }), [api, sessionId]);
  const { state } = useLoad(load);
  return (
    <section aria-labelledby="risk-title" className="panel">
      <h2 id="risk-title">Why this risk</h2>
      {state.phase === 'loading' && <p className="muted">Loading…</p>}
      {state.phase === 'failed' && <p className="muted">The explanation could not be loaded: {describeError(state.error)}</p>}
      {state.phase === 'ready' && (
        <>
          <p>
            Score <strong>{formatRisk(state.value.score)}</strong> of 100. {state.value.summary}
          </p>
          {state.value.contributions.length > 0 && (
            <ul className="risk-reasons">
              {state.value.contributions
                .filter((c) => c.points > 0)
                .map((c) => (
                  <li key={c.kind}>{c.reason}</li>
                ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
