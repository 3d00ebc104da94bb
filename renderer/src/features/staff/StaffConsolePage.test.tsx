import { render, screen, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../../../shared/result';
import { ServicesContext, type Services } from '../../app/services';
import { silentLogger } from '../../services/logger';
import { LearnerOnly } from '../review/StaffOnly';
import { AdminOnly } from './AdminOnly';
import { StaffConsolePage } from './StaffConsolePage';

const users = {
  admin: { id: 'a1', email: 'admin@x', fullName: 'Sam Whitfield', role: 'admin' as const },
  proctor: { id: 'p1', email: 'proctor@x', fullName: 'Priya Raman', role: 'proctor' as const },
  learner: { id: 'l1', email: 'learner@x', fullName: 'Amara Okafor', role: 'learner' as const },
};

function renderAt(path: string, who: keyof typeof users) {
  const q = (id: string, toGrade: number) => ({ questionId: id, sectionTitle: 'S', prompt: 'P', points: 3, progress: { responses: 5, graded: 5 - toGrade, toGrade, disputed: 0 } });
  const call = (async (name: string) =>
    name === 'gradingExams'
      ? ok({
          exams: [
            { examId: 'final-mini', code: 'FM-1', title: 'Final mini', kind: 'final', passPercent: 60, secondMarkingMargin: null, questions: [q('a', 2), q('b', 1)], release: null },
            { examId: 'auto', code: 'AU', title: 'Automatic only', kind: 'final', passPercent: 60, secondMarkingMargin: null, questions: [], release: { releasedAt: '2031-03-03T09:00:00.000Z', releasedBy: 'Sam' } },
          ],
        })
      : fail('internal', name)) as unknown as Services['api']['call'];
  const services = { api: { call, currentUser: () => users[who], onUserChange: () => () => undefined }, log: silentLogger } as unknown as Services;
  render(
    <ServicesContext.Provider value={services}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/exams" element={<LearnerOnly><p>Your exams</p></LearnerOnly>} />
          <Route path="/review" element={<p>Review queue page</p>} />
          <Route path="/staff" element={<AdminOnly><StaffConsolePage /></AdminOnly>} />
        </Routes>
      </MemoryRouter>
    </ServicesContext.Provider>,
  );
}

describe('staff console landing', () => {
  it('takes an administrator from the exam list to the staff console, with grading, results and the proctoring pages', async () => {
    renderAt('/exams', 'admin');
    expect(await screen.findByRole('heading', { level: 1, name: 'Staff console' })).toHaveFocus();
    const grading = screen.getByRole('region', { name: 'Grading' });
    expect(await within(grading).findByRole('link', { name: 'Final mini' })).toHaveAttribute('href', '/staff/grading?exam=final-mini');
    expect(grading).toHaveTextContent('Final mini — 3 responses to grade');
    expect(grading).not.toHaveTextContent('Automatic only');
    const results = screen.getByRole('region', { name: 'Results' });
    expect(within(results).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Final mini — not released',
      expect.stringMatching(/^Automatic only — released /),
    ]);
    const proctoring = screen.getByRole('region', { name: 'Proctoring' });
    expect(within(proctoring).getByRole('link', { name: 'Review queue' })).toHaveAttribute('href', '/review');
    expect(within(proctoring).getByRole('link', { name: 'Live' })).toHaveAttribute('href', '/live');
  });

  it('keeps proctors landing on the review queue and out of the console', async () => {
    renderAt('/exams', 'proctor');
    expect(await screen.findByText('Review queue page')).toBeInTheDocument();
  });

  it('shows proctors and learners "not available" on the console', async () => {
    renderAt('/staff', 'proctor');
    expect(await screen.findByRole('heading', { name: 'Not available' })).toBeInTheDocument();
    expect(screen.getByText('Grading and results are only for administrators.')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Staff console' })).not.toBeInTheDocument();
  });
});
