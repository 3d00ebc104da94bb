import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { QuestionView } from '../../../../shared/api/exams';
import type { AnswerValue } from '../../../../shared/api/sessions';
import { QuestionField } from './QuestionField';

/** Renders one question as the player does and records every value it reports. */
function renderQuestion(question: QuestionView) {
  const changes: Array<{ value: AnswerValue; debounce: boolean }> = [];
  let commits = 0;
  function Harness() {
    const [value, setValue] = useState<AnswerValue | undefined>();
    return (
      <QuestionField
        number={3}
        question={question}
        value={value}
        onChange={(v, o) => {
          changes.push({ value: v, debounce: o.debounce });
          setValue(v);
        }}
        onCommit={() => (commits += 1)}
      />
    );
  }
  render(<Harness />);
  return { changes, commits: () => commits, last: () => changes.at(-1)?.value };
}

const options = [
  { id: 'a', text: 'Statistical process control' },
  { id: 'b', text: 'Kanban' },
  { id: 'c', text: 'Poka-yoke' },
];

describe('QuestionField', () => {
  it('single choice: a labelled radio group giving one option id', async () => {
    const q = renderQuestion({ id: 'q1', kind: 'single_choice', prompt: 'Which tool monitors variation?', points: 2, options });
    const group = screen.getByRole('group', { name: 'Question 3 (2 points)' });
    expect(group).toHaveAccessibleDescription('Which tool monitors variation?');
    await userEvent.click(screen.getByRole('radio', { name: 'Kanban' }));
    await userEvent.click(screen.getByRole('radio', { name: 'Statistical process control' }));
    expect(q.last()).toEqual({ kind: 'choice', optionIds: ['a'] });
    expect(screen.getByRole('radio', { name: 'Kanban' })).not.toBeChecked();
  });

  it('multiple choice: checkboxes that add and remove option ids, in option order', async () => {
    const q = renderQuestion({ id: 'q2', kind: 'multiple_choice', prompt: 'Which are lean tools?', points: 1, options });
    expect(screen.getByRole('group', { name: 'Question 3 (1 point)' })).toHaveAccessibleDescription(/Select all that apply/);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Poka-yoke' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Kanban' }));
    expect(q.last()).toEqual({ kind: 'choice', optionIds: ['b', 'c'] });
    await userEvent.click(screen.getByRole('checkbox', { name: 'Poka-yoke' }));
    expect(q.last()).toEqual({ kind: 'choice', optionIds: ['b'] });
    expect(q.changes.every((c) => !c.debounce)).toBe(true);
  });

  it('number fill-in: decimal keyboard, unit after the field, text value debounced, saved on blur', async () => {
    const q = renderQuestion({ id: 'q3', kind: 'fill_in', prompt: 'Cycle time?', points: 2, inputType: 'number', unit: 'seconds' });
    const input = screen.getByRole('textbox', { name: 'Your answer to question 3' });
    expect(input).toHaveAttribute('inputmode', 'decimal');
    expect(input).toHaveAccessibleDescription('seconds');
    await userEvent.type(input, '12,5');
    expect(q.last()).toEqual({ kind: 'text', text: '12,5' });
    expect(q.changes.every((c) => c.debounce)).toBe(true);
    await userEvent.tab();
    expect(q.commits()).toBe(1);
  });

  it('short answer: a textarea with a character counter against the limit', async () => {
    const q = renderQuestion({ id: 'q4', kind: 'short_answer', prompt: 'Explain takt time.', points: 5, maxLength: 200 });
    const area = screen.getByRole('textbox', { name: 'Your answer to question 3' });
    expect(area).toHaveAccessibleDescription('0 of 200 characters');
    await userEvent.type(area, 'Demand rate');
    expect(q.last()).toEqual({ kind: 'text', text: 'Demand rate' });
    expect(area).toHaveAccessibleDescription('11 of 200 characters');
    expect(area).toHaveAttribute('maxlength', '200');
  });
});
