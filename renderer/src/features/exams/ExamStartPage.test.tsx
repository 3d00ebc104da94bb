import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { ExamSummary } from '../../../../shared/api/exams';
import { fail, ok } from '../../../../shared/result';
import { ServicesContext, type Services } from '../../app/services';
import { silentLogger } from '../../services/logger';
import { ExamStartPage } from './ExamStartPage';
import { exam } from '../../test/stepWorld';


function view(summary: ExamSummary, hostKind: 'web' | 'desktop' = 'web') {
  const calls: string[] = [];
  const call = (async (name: string) => {
    calls.push(name);
    if (name === 'listExams') return ok({ exams: [summary] });
    if (name === 'createSession') return ok({ id: 's9' });
    return fail('internal', name);
  }) as unknown as Services['api']['call'];
  const services = {
    api: { call },
    appInfo: { hostKind, appVersion: '0', platform: 'linux', capabilities: { kiosk: false, contentProtection: false, processList: false, translatorView: false } },
    now: () => Date.parse('2030-06-01T09:00:00.000Z'),
    log: silentLogger,
  } as unknown as Services;
  render(
    <ServicesContext.Provider value={services}>
      <MemoryRouter initialEntries={['/exams/trial']}>
        <Routes>
          <Route path="/exams/:examId" element={<ExamStartPage />} />
          <Route path="/sessions/:sessionId/checks" element={<p>Checks of the session</p>} />
          <Route path="/sessions/:sessionId" element={<p>The player</p>} />
        </Routes>
      </MemoryRouter>
    </ServicesContext.Provider>,
  );
  return calls;
}

describe('ExamStartPage', () => {
  it('shows the rules and the steps ahead, then creates the attempt and goes to its checks', async () => {
    const calls = view(exam);
    await screen.findByRole('heading', { name: 'Sample Proctored Trial Test' });
    expect(screen.getByRole('list', { name: 'Steps before the exam' })).toHaveTextContent('Identity check');
    await userEvent.click(screen.getByRole('button', { name: 'Continue to the checks' }));
    await screen.findByText('Checks of the session');
    expect(calls).toEqual(['listExams', 'createSession']);
  });

  it('takes up an attempt not yet begun instead of creating another', async () => {
    const calls = view({ ...exam, attempt: { sessionId: 's3', status: 'ready_to_start', submitted: false } });
    await userEvent.click(await screen.findByRole('button', { name: 'Continue to the checks' }));
    await screen.findByText('Checks of the session');
    expect(calls).toEqual(['listExams']);
  });

  it('sends a running attempt straight back to the exam', async () => {
    view({ ...exam, attempt: { sessionId: 's3', status: 'started', submitted: false } });
    await userEvent.click(await screen.findByRole('button', { name: 'Continue to the checks' }));
    await screen.findByText('The player');
  });

  it('refuses a final in the browser, with the reason', async () => {
    view({ ...exam, kind: 'final', allowWebClient: false });
    const button = await screen.findByRole('button', { name: 'Continue to the checks' });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(/Finals need the Invigil desktop app/);
  });
});
