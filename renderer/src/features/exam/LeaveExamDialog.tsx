import { useId, useState } from 'react';
import { Dialog } from '../../components/Dialog';

/** The longest reason the host accepts (the `lockdown:leave` contract entry). */
const MAX_REASON = 500;

export interface LeaveExamDialogProps {
  /** Ends the lockdown with the reason; resolves when the learner may go. */
  readonly onLeave: (reason: string) => Promise<void>;
  readonly onCancel: () => void;
}

/**
 * "I need to leave": asks for a reason (the proctor sees it), says what leaving means, then ends the
 * lockdown. Staying is the first button and Escape: leaving cannot be undone, only resumed.
 */
export function LeaveExamDialog({ onLeave, onCancel }: LeaveExamDialogProps) {
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const fieldId = useId();
  const hintId = useId();
  const errorId = useId();

  const leave = async () => {
    const given = reason.trim();
    if (given === '') {
      setMissing(true);
      document.getElementById(fieldId)?.focus();
      return;
    }
    setBusy(true);
    await onLeave(given);
  };

  return (
    <Dialog
      title="Leave the exam now?"
      onCancel={busy ? () => undefined : onCancel}
      actions={
        <>
          <button type="button" className="button button--secondary" onClick={onCancel} disabled={busy}>
            Stay in the exam
          </button>
          <button type="button" className="button button--primary" onClick={() => void leave()} disabled={busy} aria-busy={busy}>
            {busy ? 'Leaving…' : 'Leave the exam'}
          </button>
        </>
      }
    >
      <p>
        Leaving ends the exam lockdown now, without submitting. Your answers are saved and this attempt stays open: you can
        resume it later from your exams. The time of a section you have opened keeps running on the server while you are away.
      </p>
      <div className="field">
        <label htmlFor={fieldId}>Why do you need to leave?</label>
        <p id={hintId} className="muted">
          Your proctor sees this with your recording.
        </p>
        <textarea
          id={fieldId}
          value={reason}
          maxLength={MAX_REASON}
          rows={3}
          required
          aria-required="true"
          aria-invalid={missing}
          aria-describedby={missing ? `${hintId} ${errorId}` : hintId}
          disabled={busy}
          onChange={(e) => {
            setReason(e.target.value);
            if (e.target.value.trim() !== '') setMissing(false);
          }}
        />
        {missing && (
          <p id={errorId} className="field__error" role="alert">
            Say in a few words why you need to leave.
          </p>
        )}
      </div>
    </Dialog>
  );
}
