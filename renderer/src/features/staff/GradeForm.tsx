import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { GRADE_COMMENT_MAX, type MarkView } from '../../../../shared/api/grading';
import { isValidMarkPoints } from '../../../../shared/domain/results';
import { formatPoints } from './staffText';

export interface GradeFormProps {
  readonly maxPoints: number;
  /** This marker's earlier mark, to change it. */
  readonly initial: MarkView | null;
  /** A disputed response (second marking) may take the agreed mark. */
  readonly disputed: boolean;
  /** Saves; resolves to an error sentence, or null when saved. */
  readonly onSave: (mark: { points: number; comment: string; agreed: boolean }) => Promise<string | null>;
  readonly onSkip: () => void;
}

/** Reads "2.5" or "2,5"; null for anything that is not a number. */
function readPoints(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '' || !/^\d*\.?\d*$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/**
 * Points (bounded by the question's maximum, whole or half) and a comment for one response. Enter
 * in the points field, or Ctrl+Enter in the comment, saves and moves to the next response.
 */
export function GradeForm({ maxPoints, initial, disputed, onSave, onSkip }: GradeFormProps) {
  const id = useId();
  const [points, setPoints] = useState(initial ? String(initial.points) : '');
  const [comment, setComment] = useState(initial?.comment ?? '');
  const [agreed, setAgreed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pointsRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const max = formatPoints(maxPoints);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    const value = readPoints(points);
    if (points.trim() === '') {
      setError(`Enter the points, from 0 to ${max}.`);
      pointsRef.current?.focus();
      return;
    }
    if (value === null || !isValidMarkPoints(value, maxPoints)) {
      setError(`Points must be from 0 to ${max}, in whole or half points.`);
      pointsRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const problem = await onSave({ points: value, comment: comment.trim(), agreed: disputed && agreed });
    setBusy(false);
    if (problem !== null) {
      setError(problem);
      pointsRef.current?.focus();
    }
  };

  const onCommentKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      formRef.current?.requestSubmit();
    }
  };

  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  return (
    <form ref={formRef} className="form grade-form" onSubmit={(e) => void submit(e)} noValidate aria-label="Grade this response">
      {error !== null && (
        <p id={errorId} className="notice notice--danger" role="alert">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor={`${id}-points`}>Points (0 to {max})</label>
        <input
          ref={pointsRef}
          id={`${id}-points`}
          className="grade-form__points"
          type="number"
          inputMode="decimal"
          min={0}
          max={maxPoints}
          step={0.5}
          value={points}
          onChange={(e) => setPoints(e.target.value)}
          aria-invalid={error !== null}
          aria-describedby={error !== null ? `${errorId} ${hintId}` : hintId}
          required
        />
        <span id={hintId} className="muted">
          Whole or half points, for example 2.5.
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-comment`}>Comment (optional)</label>
        <textarea
          id={`${id}-comment`}
          rows={3}
          maxLength={GRADE_COMMENT_MAX}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          onKeyDown={onCommentKey}
          aria-describedby={`${id}-comment-hint`}
        />
        <span id={`${id}-comment-hint`} className="muted">
          {comment.length} of {GRADE_COMMENT_MAX} characters. Ctrl+Enter saves.
        </span>
      </div>
      {disputed && (
        <label className="choice">
          <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} /> This is the mark the markers agreed on
        </label>
      )}
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Saving…' : 'Save and next'}
        </button>
        <button type="button" className="button button--secondary" onClick={onSkip} disabled={busy}>
          Skip
        </button>
      </div>
    </form>
  );
}
