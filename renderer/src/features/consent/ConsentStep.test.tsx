import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CONSENT_VERSION } from '../../../../shared/api/checks';
import type { SessionView } from '../../../../shared/api/sessions';
import { fail } from '../../../../shared/result';
import { ServicesContext } from '../../app/services';
import { exam, session, stepWorld } from '../../test/stepWorld';
import { ConsentStep } from './ConsentStep';

function setup(world = stepWorld()) {
  const changes: SessionView[] = [];
  let done = 0;
  render(
    <ServicesContext.Provider value={world.services}>
      <ConsentStep exam={exam} session={{ ...session, checks: { ...session.checks, consent: false } }} onSessionChange={(s) => changes.push(s)} onDone={() => done++} />
    </ServicesContext.Provider>,
  );
  return { ...world, changes, done: () => done };
}

describe('ConsentStep', () => {
  it('says what is recorded, who sees it and how long it is kept, and records consent only once every box is ticked', async () => {
    const t = setup();
    expect(screen.getByRole('heading', { name: 'Consent to recording' })).toHaveFocus();
    for (const h of ['What is recorded', 'Who sees it', 'How long it is kept']) expect(screen.getByRole('heading', { name: h })).toBeInTheDocument();
    const agree = screen.getByRole('button', { name: 'I agree' });
    expect(agree).toBeDisabled();
    const boxes = screen.getAllByRole('checkbox');
    expect(boxes).toHaveLength(3);
    await userEvent.click(boxes[0]!);
    await userEvent.click(boxes[1]!);
    expect(agree).toBeDisabled();
    expect(t.calls).toHaveLength(0);

    // Keyboard only: Tab to the last box, Space to tick it, Tab to the button, Enter.
    boxes[2]!.focus();
    await userEvent.keyboard(' ');
    await userEvent.tab();
    expect(screen.getByRole('button', { name: 'I agree' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(t.done()).toBe(1));
    expect(t.calls).toEqual([{ name: 'recordConsent', args: { params: { sessionId: 's1' }, body: { version: CONSENT_VERSION, accepted: true } } }]);
    expect(t.changes.at(-1)?.checks.consent).toBe(true);
  });

  it('shows the server’s refusal as a sentence and stays on the step', async () => {
    const world = stepWorld();
    world.replies.recordConsent = () => fail('network', 'down');
    const t = setup(world);
    for (const box of screen.getAllByRole('checkbox')) await userEvent.click(box);
    await userEvent.click(screen.getByRole('button', { name: 'I agree' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The server cannot be reached.');
    expect(t.done()).toBe(0);
    expect(screen.getByRole('button', { name: 'I agree' })).toBeEnabled();
  });
});
