import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CheckItem, SystemCheckReport } from '../../../../shared/api/checks';
import { lockdownCapabilities, lockdownFigures } from '../../../../shared/domain/lockdownCapabilities';
import { SystemCheckPanel } from './SessionPanels';

const windows = lockdownCapabilities({ host: 'desktop', platform: { os: 'windows', osVersion: '10.0.22631', session: null } });
const lockdownItem: CheckItem = { id: 'lockdown', status: 'pass', observed: 'On Windows 11 (build 22631), Invigil prevents 6.', fix: null, figures: lockdownFigures(windows) };
const report = (items: CheckItem[]): SystemCheckReport => ({
  checkedAt: '2030-06-01T09:00:00.000Z',
  hostKind: 'desktop',
  appVersion: '0.2.0',
  items: [{ id: 'disk', status: 'pass', observed: 'Enough space.', fix: null, figures: {} }, ...items],
  observations: null,
});

const row = (name: string) => screen.getByRole('rowheader', { name }).closest('tr') as HTMLElement;

describe('SystemCheckPanel: the lockdown the learner’s app reported', () => {
  it('shows each measure as enforced, detected only or unavailable, labelled as the app’s own report', () => {
    render(<SystemCheckPanel reports={[report([lockdownItem])]} />);
    const table = screen.getByRole('table', { name: /Lockdown on Windows 11 \(build 22631\)/ });
    expect(within(table).getByText('(reported by the learner’s app)')).toBeInTheDocument();
    expect(row('Switching programs (Alt+Tab, Cmd+Tab)')).toHaveTextContent('Detected only');
    expect(row('Screenshots, recording and screen sharing')).toHaveTextContent('Enforced');
    expect(row('Screenshot keys (Print Screen)')).toHaveTextContent('Unavailable');
    expect(within(table).getAllByRole('row')).toHaveLength(13);
  });

  it('shows what a tampered or partial report does not say as not reported', () => {
    const tampered: CheckItem = { ...lockdownItem, figures: { ...lockdownItem.figures, app_switching: 'locked solid', platform: 7 } };
    render(<SystemCheckPanel reports={[report([tampered])]} />);
    expect(screen.getByRole('table', { name: /Lockdown on the learner’s computer/ })).toBeInTheDocument();
    expect(row('Switching programs (Alt+Tab, Cmd+Tab)')).toHaveTextContent('Not reported');
    expect(row('Full screen')).toHaveTextContent('Enforced');
  });

  it('says so when the report came from an app that did not describe its lockdown', () => {
    render(<SystemCheckPanel reports={[report([])]} />);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.getByText(/does not say what the lockdown could do/)).toBeInTheDocument();
  });
});
