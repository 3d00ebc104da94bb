import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SystemCheckReport } from '../../../../shared/api/checks';
import type { SessionView } from '../../../../shared/api/sessions';
import { ServicesContext } from '../../app/services';
import { requiredRecordingBytes } from '../../services/recorder/recordingBudget';
import { lockdownCapabilities } from '../../../../shared/domain/lockdownCapabilities';
import type { AppInfo } from '../../../../shared/ipc/contract';
import { SystemCheckStep } from './SystemCheckStep';
import { exam, session, stepWorld } from '../../test/stepWorld';

function setup(world = stepWorld()) {
  const changes: SessionView[] = [];
  let done = 0;
  render(
    <ServicesContext.Provider value={world.services}>
      <SystemCheckStep exam={exam} session={session} onSessionChange={(s) => changes.push(s)} onDone={() => done++} />
    </ServicesContext.Provider>,
  );
  const saved = () => world.calls.filter((c) => c.name === 'saveSystemCheck').map((c) => (c.args as { body: SystemCheckReport }).body);
  return { ...world, changes, saved, done: () => done };
}

const row = (name: string) => screen.getByRole('list', { name: 'System check results' }).querySelector(`[data-check="${name}"]`) as HTMLElement;

describe('SystemCheckStep', () => {
  it('focuses its heading, checks everything, shows each status in words, saves the report and lets the learner continue', async () => {
    const t = setup();
    expect(screen.getByRole('heading', { name: 'System check' })).toHaveFocus();
    await waitFor(() => expect(t.saved()).toHaveLength(1));
    // The browser's lockdown warns (it cannot keep other windows behind the exam) without blocking.
    expect(await screen.findByRole('status')).toHaveTextContent('System check finished: 8 passed, 1 warning, 0 failed, 2 not supported here. You can continue.');
    expect(within(row('camera')).getByText('Passed')).toBeInTheDocument();
    expect(row('camera')).toHaveTextContent('Your camera works: 640 × 480');
    expect(row('microphone')).toHaveTextContent('Passed');
    expect(row('virtual_machine')).toHaveTextContent('Not supported here');
    expect(row('virtual_machine')).toHaveTextContent('Use the Invigil desktop app for finals.');
    expect(row('processes')).toHaveTextContent('Not supported here');
    expect(row('bandwidth')).toHaveTextContent('Your upload speed is 33.6 Mbit/s.');

    const report = t.saved()[0]!;
    expect(report.hostKind).toBe('web');
    expect(report.items.find((i) => i.id === 'disk')?.figures.requiredBytes).toBe(requiredRecordingBytes(50));
    expect(t.changes.at(-1)?.checks.systemCheck).toBe('passed');

    const next = screen.getByRole('button', { name: 'Continue' });
    expect(next).toBeEnabled();
    await userEvent.click(next);
    expect(t.done()).toBe(1);
  });

  it('says what this computer’s lockdown does, folded away under the item, and stores it for the proctor', async () => {
    const world = stepWorld();
    const windows = lockdownCapabilities({ host: 'desktop', platform: { os: 'windows', osVersion: '10.0.19045', session: null } });
    const desktop: AppInfo = { ...world.services.appInfo, hostKind: 'desktop', platform: 'win32', capabilities: { kiosk: true, contentProtection: true, processList: true, translatorView: true, lockdown: windows } };
    Object.assign(world.services, { appInfo: desktop });
    const t = setup(world);
    await waitFor(() => expect(t.saved()).toHaveLength(1));
    const item = row('lockdown');
    expect(within(item).getByText('Passed')).toBeInTheDocument();
    expect(item).toHaveTextContent('On Windows 10 (build 19045), Invigil prevents 6, notices and reports 5, and cannot do 1 of the 12 things listed.');
    const details = within(item).getByText('What this computer’s lockdown does').closest('details')!;
    expect(details).not.toHaveAttribute('open'); // folded: Continue stays in view
    await userEvent.click(within(item).getByText('What this computer’s lockdown does'));
    expect(details).toHaveAttribute('open');
    const measure = (name: string) => details.querySelector(`[data-measure="${name}"]`) as HTMLElement;
    expect(measure('app_switching')).toHaveTextContent('Switching programs (Alt+Tab, Cmd+Tab): Noticed and reported');
    expect(measure('app_switching')).toHaveTextContent('Alt+Tab still works; switching away from the exam is reported.');
    expect(measure('screen_capture')).toHaveTextContent('Prevented');
    expect(measure('print_screen')).toHaveTextContent('Not possible on this computer');
    const stored = t.saved()[0]!.items.find((i) => i.id === 'lockdown');
    expect(stored).toMatchObject({ status: 'pass', figures: { os: 'windows', app_switching: 'detected', screen_capture: 'enforced' } });
  });

  it('keeps Continue disabled while an item failed, and after a fix and Check again saves a new report and enables it', async () => {
    const world = stepWorld();
    world.state.freeBytes = 100e6;
    const t = setup(world);
    await waitFor(() => expect(t.saved()).toHaveLength(1));
    expect(row('disk')).toHaveTextContent('Failed');
    expect(row('disk')).toHaveTextContent('Free some space');
    const next = screen.getByRole('button', { name: 'Continue' });
    expect(next).toBeDisabled();
    expect(next).toHaveAccessibleDescription('You can continue when no item has failed.');
    expect(screen.getByRole('status')).toHaveTextContent('1 failed');

    world.state.freeBytes = 50e9;
    await userEvent.click(screen.getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(t.saved()).toHaveLength(2));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Continue' })).toBeEnabled());
    expect(row('disk')).toHaveTextContent('Passed');
    expect(t.saved()[1]!.items.find((i) => i.id === 'disk')?.status).toBe('pass');
  });

  it('a silent microphone warns "say something" without blocking; the meter follows the level', async () => {
    const world = stepWorld();
    world.state.dbfs = -75;
    const t = setup(world);
    await waitFor(() => expect(t.saved()).toHaveLength(1));
    expect(row('microphone')).toHaveTextContent('Warning');
    expect(row('microphone')).toHaveTextContent('Say something');
    expect(screen.getByRole('button', { name: 'Continue' })).toBeEnabled();

    const meter = screen.getByRole('meter', { name: 'Microphone level' });
    expect(meter).toHaveAttribute('aria-valuenow', '0');
    act(() => t.level(-15));
    expect(meter).toHaveAttribute('aria-valuenow', '75');
    expect(screen.getByText('Sound heard.')).toBeInTheDocument();
  });

  it('a camera that will not open fails camera and microphone with their fixes', async () => {
    const world = stepWorld();
    world.camera.answers = ['permission_denied'];
    const t = setup(world);
    await waitFor(() => expect(t.saved()).toHaveLength(1));
    expect(row('camera')).toHaveTextContent('Invigil is not allowed to use your camera and microphone.');
    expect(row('camera')).toHaveTextContent('Failed');
    expect(row('microphone')).toHaveTextContent('Failed');
    expect(screen.getByRole('button', { name: 'Continue' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(t.saved()).toHaveLength(2));
    await waitFor(() => expect(row('camera')).toHaveTextContent('Passed'));
  });

  it('an old app version fails with how to update', async () => {
    const world = stepWorld();
    world.state.minimumAppVersion = '0.2.0';
    const t = setup(world);
    await waitFor(() => expect(t.saved()).toHaveLength(1));
    expect(row('app_version')).toHaveTextContent('This is Invigil 0.1.0; the server needs 0.2.0 or newer.');
    expect(screen.getByRole('button', { name: 'Continue' })).toBeDisabled();
  });

  it('when the report cannot be saved, says so and keeps Continue disabled', async () => {
    const world = stepWorld();
    world.state.saveFails = true;
    const t = setup(world);
    await waitFor(() => expect(t.saved()).toHaveLength(1));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('The result could not be saved for your proctor.'));
    expect(screen.getAllByText(/The result could not be saved for your proctor/)).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'Continue' })).toHaveAccessibleDescription('You can continue once the result is saved: choose Check again.');
    expect(t.changes).toHaveLength(0);
  });
});
