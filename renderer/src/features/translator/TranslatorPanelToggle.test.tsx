import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AppInfo } from '../../../../shared/ipc/contract';
import { ServicesContext, type Services } from '../../app/services';
import { stepWorld, webInfo } from '../systemCheck/testWorld';
import { TranslatorPanelToggle } from './TranslatorPanelToggle';

const desktop: AppInfo = { ...webInfo, hostKind: 'desktop', capabilities: { ...webInfo.capabilities, translatorView: true } };

function setup(info = desktop, world = stepWorld()) {
  const services = { ...world.services, appInfo: info } as Services;
  render(
    <ServicesContext.Provider value={services}>
      <TranslatorPanelToggle translator="google" />
    </ServicesContext.Provider>,
  );
  return world;
}

describe('TranslatorPanelToggle', () => {
  it('on the desktop shows and hides the side view through the host, as a pressed toggle', async () => {
    const t = setup();
    const button = screen.getByRole('button', { name: 'Show Google Translate' });
    expect(button).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(button);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Hide Google Translate' })).toHaveAttribute('aria-pressed', 'true'));
    await userEvent.click(screen.getByRole('button', { name: 'Hide Google Translate' }));
    await screen.findByRole('button', { name: 'Show Google Translate' });
    expect(t.state.hostCalls.map((c) => c.request)).toEqual([{ visible: true }, { visible: false }]);
  });

  it('in a browser says the side view is desktop-only and asks nothing of the host', () => {
    const t = setup(webInfo);
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByRole('note')).toHaveTextContent('The translator side view is available only in the Invigil desktop app.');
    expect(t.state.hostCalls).toHaveLength(0);
  });

  it('when the host refuses, says so and keeps the view hidden', async () => {
    const world = stepWorld();
    world.state.translatorVisible = 'unsupported';
    setup(desktop, world);
    await userEvent.click(screen.getByRole('button', { name: 'Show Google Translate' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('available only in the Invigil desktop app');
    expect(screen.getByRole('button', { name: 'Show Google Translate' })).toHaveAttribute('aria-pressed', 'false');
  });
});
