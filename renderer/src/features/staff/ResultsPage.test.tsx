import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fail, ok } from '../../../../shared/result';
import { ServicesContext, type Services } from '../../app/services';
import { silentLogger } from '../../services/logger';
import { ResultsPage } from './ResultsPage';

const admin = { id: 'a1', email: 'a@x', fullName: 'Sam Whitfield', role: 'admin' as const };
const AT = '2031-03-03T09:00:00.000Z';

const row = (sessionId: string, name: string, status: string, result: Record<string, unknown>) => ({
  sessionId,
  learnerName: name,
  learnerEmail: `${sessionId}@invigil.test`,
  attemptNo: 1,
  sessionStatus: status,
  submittedAt: AT,
  result: { ungraded: 0, ...result },
});

function world(options: { release?: 'ok' | 'pending' } = {}) {
  const calls: string[] = [];
  let released = false;
  const call = (async (name: string) => {
    calls.push(name);
    switch (name) {
      case 'gradingExams':
        return ok({
          exams: [{ examId: 'final-mini', code: 'FM-1', title: 'Final mini', kind: 'final', passPercent: 60, secondMarkingMargin: null, questions: [], release: null }],
        });
      case 'examResults':
        return ok({
          examId: 'final-mini',
          examTitle: 'Final mini',
          passPercent: 60,
          release: released ? { releasedAt: AT, releasedBy: 'Sam Whitfield' } : null,
          pendingVerified: 1,
          verified: 3,
          rows: [
            row('s1', 'Amara Okafor', 'verified', { state: 'complete', points: 2.5, maxPoints: 4, percent: 62.5, passed: true }),
            row('s2', 'Jonas Müller', 'verified', { state: 'complete', points: 2, maxPoints: 4, percent: 50, passed: false }),
            row('s3', 'Kwame Mensah', 'verified', { state: 'pending', points: 1, maxPoints: 4, percent: null, passed: null, ungraded: 1 }),
            row('s4', 'Priya Raman', 'rejected', { state: 'pending', points: 0, maxPoints: 4, percent: null, passed: null, ungraded: 1 }),
          ],
        });
      case 'staffAudit':
        return ok({
          entries: released
            ? [{ at: AT, actorId: 'a1', actorName: 'Sam Whitfield', action: 'release', examId: 'final-mini', questionId: null, responseId: null, points: null, count: 3 }]
            : [{ at: AT, actorId: 'a1', actorName: 'Sam Whitfield', action: 'grade', examId: 'final-mini', questionId: 'fq2', responseId: 'AbCd', points: 2.5, count: null }],
        });
      case 'releaseResults':
        if (options.release === 'pending') {
          return fail('results_not_ready', '1 verified attempt has short answers still to grade (1 response). Grade them, then release.');
        }
        released = true;
        return ok({ release: { releasedAt: AT, releasedBy: 'Sam Whitfield' }, verified: 3 });
      case 'exportResults':
        return ok({ fileName: 'results-FM-1-2031-03-03.csv', csv: 'email,full_name\r\n', rows: 4 });
      default:
        return fail('internal', name);
    }
  }) as unknown as Services['api']['call'];
  const services = { api: { call, currentUser: () => admin, onUserChange: () => () => undefined }, log: silentLogger } as unknown as Services;
  render(
    <ServicesContext.Provider value={services}>
      <MemoryRouter initialEntries={['/staff/results?exam=final-mini']}>
        <Routes>
          <Route path="/staff/results" element={<ResultsPage />} />
        </Routes>
      </MemoryRouter>
    </ServicesContext.Provider>,
  );
  return { calls };
}

describe('ResultsPage', () => {
  const created: Blob[] = [];
  beforeEach(() => {
    // jsdom has no object URLs.
    URL.createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:results';
    });
    URL.revokeObjectURL = vi.fn();
  });
  afterEach(() => {
    created.length = 0;
  });

  it('shows every attempt with its review status, points, percent and pass or fail, and the activity', async () => {
    world();
    expect(await screen.findByRole('heading', { level: 2, name: 'Final mini' })).toBeInTheDocument();
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent))).toEqual([
      ['1', 'Verified', '2.5 of 4', '62.5 %', 'Pass'],
      ['1', 'Verified', '2 of 4', '50 %', 'Fail'],
      ['1', 'Verified', '1 of 4 so far', '—', 'Grading pending (1 answer)'],
      ['1', 'Rejected', '0 of 4 so far', '—', 'Grading pending (1 answer)'],
    ]);
    expect(within(rows[0]!).getByRole('rowheader')).toHaveTextContent('Amara Okafor s1@invigil.test');
    expect(screen.getByText('Not yet')).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Activity' })).toHaveTextContent('Sam Whitfield graded response AbCd to fq2: 2.5 points');
  });

  it('releases after a confirmation, then shows who released and when', async () => {
    const w = world();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Release results…' }));
    const dialog = screen.getByRole('dialog', { name: 'Release the results of Final mini?' });
    expect(dialog).toHaveTextContent('1 verified attempt still has short answers to grade');
    // Cancel is first and takes focus: the safe choice.
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Release results' }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Results released. 3 verified attempts now show pass or fail to the learner.'));
    expect(w.calls.filter((c) => c === 'releaseResults')).toHaveLength(1);
    expect(await screen.findByText(/by Sam Whitfield$/)).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Activity' })).toHaveTextContent('Sam Whitfield released the results (3 verified attempts)');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('says why a release was refused', async () => {
    world({ release: 'pending' });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Release results…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Release results' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Not released. 1 verified attempt has short answers still to grade (1 response). Grade them, then release.');
  });

  it('downloads the CSV under the server’s file name, with a byte order mark for spreadsheets', async () => {
    world();
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Downloaded results-FM-1-2031-03-03.csv (4 rows).'));
    expect(clicked).toEqual(['results-FM-1-2031-03-03.csv']);
    // jsdom's Blob reads through FileReader only.
    const bytes = await new Promise<Uint8Array>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
      reader.readAsArrayBuffer(created[0]!);
    });
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe('\ufeffemail,full_name\r\n');
    click.mockRestore();
  });
});
