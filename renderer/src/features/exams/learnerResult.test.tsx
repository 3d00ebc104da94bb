import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ExamSummary } from '../../../../shared/api/exams';
import { ExamPolicy } from '../../../../shared/domain/examPolicy';
import { ExamCard } from './ExamCard';
import { learnerResultText } from './learnerResult';

describe('learnerResultText', () => {
  it('says passed or not passed with the percent and, when not passed, the pass mark', () => {
    expect(learnerResultText({ state: 'released', passed: true, percent: 72, passPercent: 60 })).toBe('Passed — 72 %');
    expect(learnerResultText({ state: 'released', passed: false, percent: 48, passPercent: 60 })).toBe('Not passed — 48 % (pass mark 60 %)');
    expect(learnerResultText({ state: 'released', passed: false, percent: 46.6, passPercent: 62.5 })).toBe('Not passed — 46.6 % (pass mark 62.5 %)');
  });

  it('says the results are not released yet, and nothing for an attempt without a result', () => {
    expect(learnerResultText({ state: 'not_released' })).toBe('Results not released yet');
    expect(learnerResultText({ state: 'none' })).toBeNull();
  });
});

describe('ExamCard result', () => {
  const exam: ExamSummary = {
    id: 'final-mini',
    code: 'FM-1',
    title: 'Final mini',
    kind: 'final',
    description: 'A final.',
    passPercent: 60,
    windowOpensAt: null,
    windowClosesAt: null,
    allowWebClient: false,
    policy: ExamPolicy.parse({}),
    timeMultiplier: 1,
    sections: [{ id: 'f1', title: 'Only section', durationMinutes: 120, questionCount: 2 }],
    attempt: { sessionId: 's1', status: 'verified', submitted: true },
  };

  it('shows the released result beside the status', () => {
    render(<ExamCard exam={exam} blocker={null} onOpen={() => undefined} result={{ state: 'released', passed: true, percent: 72, passPercent: 60 }} />);
    expect(screen.getByText('Result').parentElement).toHaveTextContent('Result Passed — 72 %');
  });

  it('shows nothing about a result for a rejected attempt', () => {
    render(<ExamCard exam={{ ...exam, attempt: { sessionId: 's1', status: 'rejected', submitted: true } }} blocker={null} onOpen={() => undefined} result={{ state: 'none' }} />);
    expect(screen.queryByText('Result')).not.toBeInTheDocument();
  });
});
