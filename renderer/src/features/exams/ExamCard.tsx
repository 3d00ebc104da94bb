import type { ExamSummary } from '../../../../shared/api/exams';
import type { LearnerResult } from '../../../../shared/api/grading';
import { Badge } from '../../components/Badge';
import { attemptLabel, cardAction, formatMinutes, type CardAction } from './examStatus';
import { learnerResultText } from './learnerResult';

export interface ExamCardProps {
  readonly exam: ExamSummary;
  /** Why the exam cannot be started here and now, or null. */
  readonly blocker: string | null;
  readonly onOpen: (to: string) => void;
  /** The newest attempt's result, once loaded. */
  readonly result?: LearnerResult | null;
}

export function ExamCard({ exam, blocker, onOpen, result = null }: ExamCardProps) {
  const action: CardAction = cardAction(exam);
  const headingId = `exam-${exam.id}-title`;
  const status = exam.attempt ? attemptLabel(exam.attempt) : 'Not started';
  const blocked = blocker !== null && action.kind === 'start';
  const resultText = result ? learnerResultText(result) : null;
  return (
    <article className="card exam-card" aria-labelledby={headingId}>
      <div className="exam-card__main">
        <p className="exam-card__meta">
          <span className="exam-card__code">{exam.code}</span>
          <Badge tone={exam.kind === 'final' ? 'info' : 'neutral'}>{exam.kind === 'final' ? 'Final' : 'Practice'}</Badge>
        </p>
        <h2 id={headingId} className="exam-card__title">
          {exam.title}
        </h2>
        <p className="exam-card__description">{exam.description}</p>
        <dl className="facts facts--compact">
          <div>
            <dt>{exam.sections.length === 1 ? 'Section' : 'Sections'}</dt>
            <dd>
              <ul className="plain-list">
                {exam.sections.map((s) => (
                  <li key={s.id}>
                    {s.title} <span className="muted">· {formatMinutes(s.durationMinutes * exam.timeMultiplier)} · {s.questionCount}{' '}
                    {s.questionCount === 1 ? 'question' : 'questions'}</span>
                  </li>
                ))}
              </ul>
            </dd>
          </div>
          {exam.timeMultiplier > 1 && (
            <div>
              <dt>Accommodation</dt>
              <dd>Extended time: ×{exam.timeMultiplier}</dd>
            </div>
          )}
          <div>
            <dt>Pass mark</dt>
            <dd>{exam.passPercent} %</dd>
          </div>
        </dl>
      </div>
      <div className="exam-card__side">
        <p className="exam-card__status">
          <span className="muted">Status</span> <strong>{status}</strong>
        </p>
        {resultText !== null && (
          <p className="exam-card__status exam-card__result">
            <span className="muted">Result</span> <strong>{resultText}</strong>
          </p>
        )}
        {blocked && (
          <p className="exam-card__blocker" id={`exam-${exam.id}-blocker`}>
            {blocker}
          </p>
        )}
        {action.kind === 'done' ? (
          <button type="button" className="button button--secondary button--block" disabled>
            Submitted
          </button>
        ) : (
          <button
            type="button"
            className="button button--primary button--block"
            disabled={blocked}
            aria-describedby={blocked ? `exam-${exam.id}-blocker` : undefined}
            onClick={() => onOpen(action.to)}
          >
            {action.label}
            <span className="visually-hidden"> {exam.title}</span>
          </button>
        )}
      </div>
    </article>
  );
}
