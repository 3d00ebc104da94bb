import { useId } from 'react';
import type { QuestionView } from '../../../../shared/api/exams';
import type { AnswerValue } from '../../../../shared/api/sessions';
import { FILL_IN_MAX_LENGTH } from '../../../../shared/api/exams';

export interface QuestionFieldProps {
  readonly number: number;
  readonly question: QuestionView;
  readonly value: AnswerValue | undefined;
  /** `debounce` is true while typing: the sync waits for a pause before journaling. */
  readonly onChange: (value: AnswerValue, opts: { debounce: boolean }) => void;
  /** Leaving a text field: whatever was typed is saved now. */
  readonly onCommit: () => void;
  readonly readOnly?: boolean;
}

const points = (n: number) => `${n} ${n === 1 ? 'point' : 'points'}`;

/** One question as a fieldset: legend "Question N (P points)", the prompt as its description. */
export function QuestionField({ number, question, value, onChange, onCommit, readOnly = false }: QuestionFieldProps) {
  const promptId = useId();
  const hintId = useId();
  const chosen = value?.kind === 'choice' ? value.optionIds : [];
  const text = value?.kind === 'text' ? value.text : '';

  let control: React.ReactNode;
  let hint: string | null = null;
  switch (question.kind) {
    case 'single_choice':
      control = (
        <div className="options">
          {question.options.map((o) => (
            <label key={o.id} className="option">
              <input
                type="radio"
                name={`q-${question.id}`}
                value={o.id}
                checked={chosen.includes(o.id)}
                disabled={readOnly}
                onChange={() => onChange({ kind: 'choice', optionIds: [o.id] }, { debounce: false })}
              />
              <span>{o.text}</span>
            </label>
          ))}
        </div>
      );
      break;
    case 'multiple_choice':
      // Said once: some prompts already end with it.
      hint = /select all that apply/i.test(question.prompt) ? null : 'Select all that apply.';
      control = (
        <div className="options">
          {question.options.map((o) => (
            <label key={o.id} className="option">
              <input
                type="checkbox"
                value={o.id}
                checked={chosen.includes(o.id)}
                disabled={readOnly}
                onChange={(e) => {
                  const set = new Set(chosen);
                  if (e.target.checked) set.add(o.id);
                  else set.delete(o.id);
                  // Keep the options' order so the same choice always reads the same.
                  onChange({ kind: 'choice', optionIds: question.options.map((x) => x.id).filter((id) => set.has(id)) }, { debounce: false });
                }}
              />
              <span>{o.text}</span>
            </label>
          ))}
        </div>
      );
      break;
    case 'fill_in': {
      const unitId = `${hintId}-unit`;
      control = (
        <div className="fill-in">
          <label className="fill-in__label" htmlFor={`answer-${question.id}`}>
            Your answer<span className="visually-hidden"> to question {number}</span>
          </label>
          <div className="fill-in__row">
            <input
              id={`answer-${question.id}`}
              type="text"
              inputMode={question.inputType === 'number' ? 'decimal' : 'text'}
              autoComplete="off"
              spellCheck={question.inputType === 'text'}
              className={question.inputType === 'number' ? 'input--number' : undefined}
              maxLength={FILL_IN_MAX_LENGTH}
              value={text}
              readOnly={readOnly}
              aria-describedby={question.unit ? unitId : undefined}
              onChange={(e) => onChange({ kind: 'text', text: e.target.value }, { debounce: true })}
              onBlur={onCommit}
            />
            {question.unit && (
              <span id={unitId} className="fill-in__unit">
                {question.unit}
              </span>
            )}
          </div>
        </div>
      );
      break;
    }
    case 'short_answer': {
      const counterId = `${hintId}-count`;
      control = (
        <div className="short-answer">
          <label htmlFor={`answer-${question.id}`}>
            Your answer<span className="visually-hidden"> to question {number}</span>
          </label>
          <textarea
            id={`answer-${question.id}`}
            rows={6}
            maxLength={question.maxLength}
            value={text}
            readOnly={readOnly}
            aria-describedby={counterId}
            onChange={(e) => onChange({ kind: 'text', text: e.target.value }, { debounce: true })}
            onBlur={onCommit}
          />
          <p id={counterId} className={`counter${text.length >= question.maxLength ? ' counter--full' : ''}`}>
            {text.length} of {question.maxLength} characters
          </p>
        </div>
      );
      break;
    }
  }

  return (
    <fieldset className="question" aria-describedby={hint ? `${promptId} ${hintId}` : promptId}>
      <legend className="question__legend">
        Question {number} <span className="question__points">({points(question.points)})</span>
      </legend>
      <p id={promptId} className="question__prompt">
        {question.prompt}
      </p>
      {hint && (
        <p id={hintId} className="question__hint">
          {hint}
        </p>
      )}
      {control}
    </fieldset>
  );
}
