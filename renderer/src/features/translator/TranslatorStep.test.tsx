import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ExamSummary } from '../../../../shared/api/exams';
import type { SessionView } from '../../../../shared/api/sessions';
import { ExamPolicy } from '../../../../shared/domain/examPolicy';
import { ServicesContext } from '../../app/services';
import { exam, session, stepWorld } from '../../test/stepWorld';
import { TranslatorStep } from './TranslatorStep';

function setup(policy: Partial<ExamPolicy> = {}, world = stepWorld()) {
  const changes: SessionView[] = [];
  let done = 0;
  const e: ExamSummary = { ...exam, policy: ExamPolicy.parse(policy) };
  render(
    <ServicesContext.Provider value={world.services}>
      <TranslatorStep exam={e} session={session} onSessionChange={(s) => changes.push(s)} onDone={() => done++} />
    </ServicesContext.Provider>,
  );
  return { ...world, changes, done: () => done };
}

describe('TranslatorStep', () => {
  it('one-of: offers the approved translators as a radio group, and records the learner’s choice', async () => {
    const t = setup();
    expect(screen.getByRole('heading', { name: 'Choose a translator' })).toHaveFocus();
    const group = screen.getByRole('group', { name: 'Translator' });
    const radios = screen.getAllByRole('radio');
    expect(radios.map((r) => r.closest('label')?.querySelector('.translator-card__name')?.textContent)).toEqual(['Google Translate', expect.any(String), expect.any(String)]);
    expect(group).toHaveTextContent('Copy and paste work only between the exam and this translator.');
    expect(screen.getByRole('button', { name: 'Use this translator' })).toBeDisabled();

    // Keyboard: focus the first radio, arrow to the second, then confirm.
    radios[0]!.focus();
    await userEvent.keyboard(' ');
    await userEvent.keyboard('{ArrowDown}');
    expect(radios[1]).toBeChecked();
    const confirm = screen.getByRole('button', { name: /^Use / });
    await userEvent.click(confirm);
    await waitFor(() => expect(t.done()).toBe(1));
    expect(t.calls).toEqual([{ name: 'chooseTranslator', args: { params: { sessionId: 's1' }, body: { translator: 'youdao' } } }]);
    expect(t.changes.at(-1)?.checks.translator).toBe('youdao');
  });

  it('offers only the translators this exam approves, and says when copy and paste are off', async () => {
    setup({ approvedTranslators: ['bing'], clipboard: 'off' });
    expect(screen.getAllByRole('radio')).toHaveLength(1);
    expect(screen.getByRole('group', { name: 'Translator' })).toHaveTextContent('Copy and paste are off in this exam');
  });

  it('any-of and none need no choice: the step passes on without asking the server', async () => {
    const anyOf = setup({ translators: 'any-of' });
    await waitFor(() => expect(anyOf.done()).toBe(1));
    expect(anyOf.calls).toHaveLength(0);
    expect(screen.queryByRole('radio')).toBeNull();
  });

  it('none needs no choice either', async () => {
    const none = setup({ translators: 'none' });
    await waitFor(() => expect(none.done()).toBe(1));
    expect(none.calls).toHaveLength(0);
  });
});
