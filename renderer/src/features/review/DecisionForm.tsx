import { useId, useState, type FormEvent } from 'react';
import { ReviewDecision, ReviewReasonCode, type DecideRequest } from '../../../../shared/api/review';
import { ConfirmDialog } from '../../components/ConfirmDialog';

const DECISIONS: Record<ReviewDecision, { label: string; hint: string }> = {
  clean: { label: 'Clean', hint: 'Nothing of concern; the attempt is verified.' },
  suspicious: { label: 'Suspicious', hint: 'Needs a second reviewer before it is rejected.' },
  rules_violation: { label: 'Rules violation', hint: 'Needs a second reviewer before it is rejected.' },
  not_reviewed: { label: 'Not reviewable', hint: 'The recording cannot be reviewed (missing, unplayable).' },
};

export const reasonLabel = (code: ReviewReasonCode): string => {
  const text = code.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

export interface DecisionFormProps {
  readonly round: 1 | 2;
  readonly disabled: boolean;
  /** Resolves to an error sentence, or null when the decision was recorded. */
  readonly onDecide: (d: DecideRequest) => Promise<string | null>;
}

/** The decision, its reason codes and notes, confirmed in a dialog because it cannot be taken back. */
export function DecisionForm({ round, disabled, onDecide }: DecisionFormProps) {
  const id = useId();
  const [decision, setDecision] = useState<ReviewDecision | null>(null);
  const [reasons, setReasons] = useState<readonly ReviewReasonCode[]>([]);
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const check = (): string | null => {
    if (!decision) return 'Choose a decision.';
    if (decision !== 'clean' && reasons.length === 0) return `A ${DECISIONS[decision].label.toLowerCase()} decision needs at least one reason.`;
    if (reasons.includes('other') && notes.trim() === '') return 'Say in the notes what "other" means.';
    return null;
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = check();
    setError(problem);
    if (!problem) setConfirming(true);
  };
  const confirm = async () => {
    if (!decision) return;
    setBusy(true);
    const failed = await onDecide({ decision, reasonCodes: decision === 'clean' ? [] : [...reasons], notes: notes.trim() });
    setBusy(false);
    setConfirming(false);
    setError(failed);
  };
  const toggle = (code: ReviewReasonCode, on: boolean) => setReasons((r) => (on ? [...r, code] : r.filter((c) => c !== code)));

  return (
    <form className="decision-form" onSubmit={submit} aria-label={round === 2 ? 'Second review decision' : 'Decision'} noValidate>
      {round === 2 && <p className="muted">Second review: a suspicious or violating first decision is confirmed here (see the first decision below).</p>}
      <fieldset disabled={disabled}>
        <legend>Outcome</legend>
        {ReviewDecision.options.map((d) => (
          <label key={d} className="choice">
            <input type="radio" name={`${id}-decision`} value={d} checked={decision === d} onChange={() => setDecision(d)} />
            <span>
              <strong>{DECISIONS[d].label}</strong> <span className="muted">— {DECISIONS[d].hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {decision !== null && decision !== 'clean' && (
        <fieldset className="reason-codes" disabled={disabled}>
          <legend>Reasons</legend>
          {ReviewReasonCode.options.map((code) => (
            <label key={code} className="choice choice--compact">
              <input type="checkbox" checked={reasons.includes(code)} onChange={(e) => toggle(code, e.target.checked)} />
              <span>{reasonLabel(code)}</span>
            </label>
          ))}
        </fieldset>
      )}
      <div className="field">
        <label htmlFor={`${id}-notes`}>Notes</label>
        <textarea id={`${id}-notes`} rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={4000} disabled={disabled} />
      </div>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={disabled}>
        Record decision…
      </button>
      {confirming && decision && (
        <ConfirmDialog title="Record this decision?" confirmLabel="Record decision" busy={busy} onConfirm={() => void confirm()} onCancel={() => setConfirming(false)}>
          <p>
            <strong>{DECISIONS[decision].label}</strong>
            {decision !== 'clean' && reasons.length > 0 && <> — {reasons.map(reasonLabel).join(', ')}</>}
          </p>
          <p>{DECISIONS[decision].hint} A decision cannot be changed once recorded.</p>
        </ConfirmDialog>
      )}
    </form>
  );
}
