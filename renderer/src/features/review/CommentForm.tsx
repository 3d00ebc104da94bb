import { useId, useImperativeHandle, useRef, useState, type FormEvent, type Ref } from 'react';
import { formatSeconds } from './timeline';

export interface CommentFormHandle {
  /** M: fills the start and end with the playhead's second and puts the cursor in the text. */
  markAt(second: number): void;
}

export interface CommentFormProps {
  readonly ref?: Ref<CommentFormHandle>;
  readonly disabled: boolean;
  readonly onSubmit: (c: { startSecond: number; endSecond: number; text: string }) => Promise<string | null>;
}

const parseTime = (text: string): number | null => {
  const parts = text.trim().split(':').map(Number);
  if (parts.length === 0 || parts.length > 3 || parts.some((p) => !Number.isFinite(p) || p < 0)) return null;
  return parts.reduce((acc, p) => acc * 60 + p, 0);
};

/** A timestamped comment; times are typed as m:ss (or seconds) and M fills them from the video. */
export function CommentForm({ ref, disabled, onSubmit }: CommentFormProps) {
  const id = useId();
  const text = useRef<HTMLTextAreaElement>(null);
  const [start, setStart] = useState('0:00');
  const [end, setEnd] = useState('0:00');
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useImperativeHandle(ref, () => ({
    markAt(second: number) {
      setStart(formatSeconds(second));
      setEnd(formatSeconds(second));
      text.current?.focus();
    },
  }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const s = parseTime(start);
    const en = parseTime(end);
    if (s === null || en === null) return setError('Write the times as minutes:seconds, for example 1:05.');
    if (en < s) return setError('The end cannot come before the start.');
    if (body.trim() === '') return setError('Write the comment first.');
    setBusy(true);
    const failed = await onSubmit({ startSecond: s, endSecond: en, text: body.trim() });
    setBusy(false);
    setError(failed);
    if (!failed) setBody('');
  };

  return (
    <form className="comment-form" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`}>Add a comment</h3>
      <div className="comment-form__times">
        <div className="field field--inline">
          <label htmlFor={`${id}-start`}>From</label>
          <input type="text" id={`${id}-start`} value={start} onChange={(e) => setStart(e.target.value)} inputMode="numeric" size={7} disabled={disabled} />
        </div>
        <div className="field field--inline">
          <label htmlFor={`${id}-end`}>To</label>
          <input type="text" id={`${id}-end`} value={end} onChange={(e) => setEnd(e.target.value)} inputMode="numeric" size={7} disabled={disabled} />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>Comment</label>
        <textarea id={`${id}-text`} ref={text} rows={2} value={body} onChange={(e) => setBody(e.target.value)} maxLength={2000} disabled={disabled} />
      </div>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--secondary" disabled={disabled || busy} aria-busy={busy}>
        Add comment
      </button>
    </form>
  );
}
