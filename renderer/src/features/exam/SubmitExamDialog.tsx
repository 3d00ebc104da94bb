import { useState } from 'react';
import type { AnswerValue, SessionView } from '../../../../shared/api/sessions';
import { isAnswered } from '../../../../shared/domain/grading';
import { ConfirmDialog } from '../../components/ConfirmDialog';

export interface SubmitExamDialogProps {
  readonly session: SessionView;
  readonly answers: ReadonlyMap<string, AnswerValue>;
  readonly onSubmit: () => Promise<{ ok: boolean; error?: { message: string } }>;
  readonly onCancel: () => void;
}

/** Lists what is still missing before the learner commits, then flushes and submits. */
export function SubmitExamDialog({ session, answers, onSubmit, onCancel }: SubmitExamDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const unopened = session.sections.filter((s) => s.state === 'not_opened');
  const visible = session.sections.flatMap((s) => (s.state === 'open' ? (s.questions ?? []) : []));
  const unanswered = visible.filter((q) => !isAnswered(answers.get(q.id))).length;
  const name = session.practice ? 'trial test' : 'exam';

  const confirm = async () => {
    setBusy(true);
    setError(null);
    const result = await onSubmit();
    if (!result.ok) {
      setBusy(false);
      setError(result.error?.message ?? 'The exam could not be submitted. Try again.');
    }
  };

  return (
    <ConfirmDialog title={`Submit the ${name}?`} confirmLabel={busy ? 'Submitting…' : 'Submit exam'} busy={busy} onConfirm={() => void confirm()} onCancel={onCancel}>
      <p>After submitting you cannot change any answer.</p>
      <ul className="plain-list summary-list">
        <li>
          {unopened.length === 0
            ? 'You have opened every section.'
            : `${unopened.length} ${unopened.length === 1 ? 'section has' : 'sections have'} not been opened: ${unopened.map((s) => s.title).join(', ')}. ${unopened.length === 1 ? 'Its' : 'Their'} questions will score no points.`}
        </li>
        <li>
          {unanswered === 0
            ? 'Every question in your open sections has an answer.'
            : `${unanswered} ${unanswered === 1 ? 'question is' : 'questions are'} unanswered in your open sections.`}
        </li>
      </ul>
      {error !== null && (
        <div className="notice notice--danger" role="alert">
          {error}
        </div>
      )}
    </ConfirmDialog>
  );
}
