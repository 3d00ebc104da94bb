import { useState } from 'react';
import type { AnswerValue, SectionView } from '../../../../shared/api/sessions';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatMinutes } from '../exams/examStatus';
import { QuestionField } from './QuestionField';
import { SectionTimer } from './SectionTimer';

export interface SectionPanelProps {
  readonly section: SectionView;
  readonly index: number;
  readonly timeMultiplier: number;
  readonly remaining: number | null | undefined;
  readonly timeUp: boolean;
  readonly answers: ReadonlyMap<string, AnswerValue>;
  readonly onAnswer: (questionId: string, value: AnswerValue, debounce: boolean) => void;
  readonly onCommit: () => void;
  readonly onOpen: () => Promise<{ ok: boolean; error?: { message: string } }>;
}

export function SectionPanel(props: SectionPanelProps) {
  const { section, index, timeUp } = props;
  const headingId = `section-${section.id}-heading`;
  return (
    <section className="section-panel" aria-labelledby={headingId}>
      <div className="section-panel__header">
        <div>
          <p className="section-panel__eyebrow">Section {index + 1}</p>
          <h2 id={headingId} className="section-panel__title">
            {section.title}
          </h2>
        </div>
        {section.state === 'open' && <SectionTimer remaining={props.remaining} />}
      </div>
      {section.state === 'not_opened' && <NotOpened {...props} />}
      {(section.state === 'expired' || (timeUp && section.state !== 'open')) && (
        <p className="notice notice--info">Time is up — your answers for this section were submitted.</p>
      )}
      {section.state === 'submitted' && !timeUp && (
        <p className="notice notice--success">You submitted this section. Its questions are no longer shown.</p>
      )}
      {section.state === 'open' && timeUp && (
        <p className="notice notice--warning" role="status">
          Time is up — submitting your answers for this section…
        </p>
      )}
      {section.state === 'open' && <Questions {...props} />}
    </section>
  );
}

function NotOpened({ section, timeMultiplier, onOpen }: SectionPanelProps) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const minutes = Math.round(section.durationMinutes * timeMultiplier);
  const confirm = async () => {
    setBusy(true);
    const result = await onOpen();
    setBusy(false);
    setConfirming(false);
    if (!result.ok) setError(result.error?.message ?? 'The section could not be opened.');
  };
  return (
    <div className="card section-panel__closed">
      <p>
        This section has {section.questionCount} {section.questionCount === 1 ? 'question' : 'questions'} and a timer of{' '}
        <strong>{formatMinutes(minutes)}</strong>
        {timeMultiplier > 1 && ` (including your extended time, ×${timeMultiplier})`}.
      </p>
      <p className="muted">The timer starts when you open the section and keeps running even if you close the app.</p>
      {error !== null && (
        <div className="notice notice--danger" role="alert">
          {error}
        </div>
      )}
      <button type="button" className="button button--primary" onClick={() => setConfirming(true)}>
        Open section
      </button>
      {confirming && (
        <ConfirmDialog
          title={`Open “${section.title}”?`}
          confirmLabel="Open section"
          busy={busy}
          onConfirm={() => void confirm()}
          onCancel={() => setConfirming(false)}
        >
          <p>The {minutes}-minute timer starts now and cannot be paused.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function Questions({ section, answers, onAnswer, onCommit, timeUp }: SectionPanelProps) {
  if (!section.questions) return <p role="status">Loading the questions…</p>;
  return (
    <ol className="questions">
      {section.questions.map((q, i) => (
        <li key={q.id}>
          <QuestionField
            number={i + 1}
            question={q}
            value={answers.get(q.id)}
            readOnly={timeUp}
            onChange={(value, { debounce }) => onAnswer(q.id, value, debounce)}
            onCommit={onCommit}
          />
        </li>
      ))}
    </ol>
  );
}
