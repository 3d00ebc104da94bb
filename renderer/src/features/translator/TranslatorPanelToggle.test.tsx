import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AppInfo } from '../../../../shared/ipc/contract';
import type { TranslatorId } from '../../../../shared/domain/translatorUrls';
import { ServicesContext, type Services } from '../../app/services';
import { stepWorld, webInfo } from '../../test/stepWorld';
import { TranslatorPanelToggle } from './TranslatorPanelToggle';

const desktop: AppInfo = { ...webInfo, hostKind: 'desktop', capabilities: { ...webInfo.capabilities, translatorView: true } };

function setup(info = desktop, world = stepWorld(), allowed: readonly TranslatorId[] = ['google']) {
  const services = { ...world.services, appInfo: info } as Services;
  render(
    <ServicesContext.Provider value={services}>
      <TranslatorPanelToggle allowed={allowed} />
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
    expect(t.state.hostCalls.map((c) => c.request)).toEqual([
      { visible: true, translator: 'google' },
      { visible: false, translator: 'google' },
    ]);
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

  it('on an any-of exam lets the learner switch translators; the shown one is replaced', async () => {
    const t = setup(desktop, stepWorld(), ['google', 'youdao', 'bing']);
    await userEvent.click(screen.getByRole('button', { name: 'Show Google Translate' }));
    await screen.findByRole('button', { name: 'Hide Google Translate' });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Translator' }), 'bing');
    await screen.findByRole('button', { name: /^Hide Bing/ });
    expect(t.state.hostCalls.map((c) => c.request)).toEqual([
      { visible: true, translator: 'google' },
      { visible: true, translator: 'bing' },
    ]);
  });
});
