import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { ResponseForMarking } from '../../../../shared/api/grading';
import { fail, ok } from '../../../../shared/result';
import { ServicesContext, type Services } from '../../app/services';
import { silentLogger } from '../../services/logger';
import { GradingPage } from './GradingPage';

const admin = { id: 'a1', email: 'a@x', fullName: 'Sam Whitfield', role: 'admin' as const };
const progress = (graded: number, responses = 2, disputed = 0) => ({ responses, graded, toGrade: responses - graded, disputed });

const response = (id: string, text: string, over: Partial<ResponseForMarking> = {}): ResponseForMarking => ({
  responseId: id,
  text,
  state: 'ungraded',
  finalPoints: null,
  needsMyMark: true,
  myMark: null,
  otherMarks: [],
  ...over,
});

function world(options: { responses?: ResponseForMarking[]; grade?: 'ok' | 'refused'; margin?: number | null } = {}) {
  const calls: { name: string; args: { params?: Record<string, string>; body?: unknown } }[] = [];
  const responses = options.responses ?? [response('r-one', 'Because the line is paced to demand.'), response('r-two', 'It avoids overproduction.')];
  const call = (async (name: string, args: { params?: Record<string, string>; body?: { points: number; comment: string; agreed: boolean } }) => {
    calls.push({ name, args });
    switch (name) {
      case 'gradingExams':
        return ok({
          exams: [
            {
              examId: 'final-mini',
              code: 'FM-1',
              title: 'Final mini',
              kind: 'final',
              passPercent: 60,
              secondMarkingMargin: options.margin ?? null,
              questions: [{ questionId: 'fq2', sectionTitle: 'Only section', prompt: 'Say why.', points: 3, progress: progress(0) }],
              release: null,
            },
            { examId: 'auto-only', code: 'AO', title: 'Auto only', kind: 'final', passPercent: 60, secondMarkingMargin: null, questions: [], release: null },
          ],
        });
      case 'gradingResponses':
        return ok({
          examId: 'final-mini',
          examTitle: 'Final mini',
          secondMarkingMargin: options.margin ?? null,
          question: { questionId: 'fq2', prompt: 'Say why.', rubric: 'Any reason.', points: 3 },
          progress: progress(0, responses.length, responses.filter((r) => r.state === 'disputed').length),
          responses,
        });
      case 'recordGrade': {
        if (options.grade === 'refused') return fail('not_found', 'There is no such response to this question.');
        const body = args.body!;
        const graded = response(args.params!.responseId!, responses.find((r) => r.responseId === args.params!.responseId)!.text, {
          state: 'graded',
          finalPoints: body.points,
          needsMyMark: false,
          myMark: { points: body.points, comment: body.comment, agreed: body.agreed },
        });
        return ok({ response: graded, progress: progress(calls.filter((c) => c.name === 'recordGrade').length, responses.length) });
      }
      default:
        return fail('internal', name);
    }
  }) as unknown as Services['api']['call'];
  const services = {
    api: { call, currentUser: () => admin, onUserChange: () => () => undefined },
    log: silentLogger,
  } as unknown as Services;
  render(
    <ServicesContext.Provider value={services}>
      <MemoryRouter initialEntries={['/staff/grading']}>
        <Routes>
          <Route path="/staff/grading" element={<GradingPage />} />
        </Routes>
      </MemoryRouter>
    </ServicesContext.Provider>,
  );
  return { calls, grades: () => calls.filter((c) => c.name === 'recordGrade') };
}

async function openQuestion() {
  const user = userEvent.setup();
  await user.selectOptions(await screen.findByLabelText('Exam'), 'final-mini');
  const questions = screen.getByRole('navigation', { name: 'Questions to grade' });
  expect(within(questions).getByRole('listitem')).toHaveTextContent('Say why. — Only section, 3 points — 0 of 2 graded');
  await user.click(within(questions).getByRole('link', { name: 'Say why.' }));
  await screen.findByRole('heading', { name: /^Response 1 of/ });
  return user;
}

describe('GradingPage', () => {
  it('lists exams with short answers, then shows one response at a time, blind, with the prompt, rubric and progress', async () => {
    world();
    expect(await screen.findByRole('heading', { level: 1, name: 'Grading' })).toHaveFocus();
    const picker = screen.getByLabelText('Exam');
    expect(within(picker).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose an exam', 'Final mini (FM-1)']);
    await openQuestion();
    const question = screen.getByRole('region', { name: 'Question' });
    expect(question).toHaveTextContent('Say why.');
    expect(question).toHaveTextContent('Worth 3 points.');
    expect(question).toHaveTextContent('Any reason.');
    const card = screen.getByRole('article', { name: 'Response 1 of 2' });
    expect(card).toHaveTextContent('Because the line is paced to demand.');
    expect(card).toHaveTextContent('Not graded yet');
    expect(screen.getByText('0 of 2 graded')).toBeInTheDocument();
    const points = screen.getByLabelText('Points (0 to 3)');
    expect(points).toHaveAttribute('max', '3');
    expect(points).toHaveAttribute('step', '0.5');
    expect(points).toHaveAccessibleDescription('Whole or half points, for example 2.5.');
  });

  it('refuses points out of range or missing before sending, announcing why', async () => {
    const w = world();
    const user = await openQuestion();
    const points = screen.getByLabelText('Points (0 to 3)');
    await user.click(screen.getByRole('button', { name: 'Save and next' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Enter the points, from 0 to 3.');
    await user.type(points, '3.5');
    await user.click(screen.getByRole('button', { name: 'Save and next' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Points must be from 0 to 3, in whole or half points.');
    expect(points).toHaveAttribute('aria-invalid', 'true');
    expect(points).toHaveFocus();
    expect(points).toHaveAccessibleDescription('Points must be from 0 to 3, in whole or half points. Whole or half points, for example 2.5.');
    await user.clear(points);
    await user.type(points, '1.25');
    await user.click(screen.getByRole('button', { name: 'Save and next' }));
    expect(screen.getByRole('alert')).toHaveTextContent('in whole or half points');
    expect(w.grades()).toEqual([]);
  });

  it('saves with Enter and moves to the next response, focusing it and announcing the progress', async () => {
    const w = world();
    const user = await openQuestion();
    await user.type(screen.getByLabelText('Comment (optional)'), 'Clear, one idea missing.');
    await user.type(screen.getByLabelText('Points (0 to 3)'), '2.5{Enter}');
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Response 2 of 2' })).toHaveFocus());
    expect(w.grades()[0]!.args).toEqual({
      params: { examId: 'final-mini', questionId: 'fq2', responseId: 'r-one' },
      body: { points: 2.5, comment: 'Clear, one idea missing.', agreed: false },
    });
    expect(screen.getByRole('status')).toHaveTextContent('Saved 2.5 points. 1 of 2 graded.');
    expect(screen.getByText('It avoids overproduction.')).toBeInTheDocument();
    // The form starts empty for the next response, and the question list shows the new progress.
    expect(screen.getByLabelText('Points (0 to 3)')).toHaveValue(null);
    expect(within(screen.getByRole('navigation', { name: 'Questions to grade' })).getByRole('listitem')).toHaveTextContent('1 of 2 graded');

    await user.click(screen.getByRole('button', { name: 'Skip' }));
    expect(await screen.findByRole('heading', { name: 'End of the list' })).toHaveFocus();
    expect(screen.getByText(/1 response still needs a mark/)).toBeInTheDocument();
  });

  it('saves with Ctrl+Enter from the comment', async () => {
    const w = world();
    const user = await openQuestion();
    await user.type(screen.getByLabelText('Points (0 to 3)'), '3');
    await user.type(screen.getByLabelText('Comment (optional)'), 'Full marks.{Control>}{Enter}{/Control}');
    await screen.findByRole('heading', { name: 'Response 2 of 2' });
    expect(w.grades()[0]!.args.body).toEqual({ points: 3, comment: 'Full marks.', agreed: false });
  });

  it('shows a refusal from the server and stays on the response', async () => {
    world({ grade: 'refused' });
    const user = await openQuestion();
    await user.type(screen.getByLabelText('Points (0 to 3)'), '1{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('This exam or attempt could not be found.');
    expect(screen.getByRole('heading', { name: 'Response 1 of 2' })).toBeInTheDocument();
  });

  it('shows the other marks of a disputed response and offers the agreed mark', async () => {
    const w = world({
      margin: 1,
      responses: [response('r-one', 'Thin answer.', { state: 'disputed', myMark: { points: 1, comment: '', agreed: false }, otherMarks: [{ points: 3, comment: 'Generous.', agreed: false }] })],
    });
    const user = await openQuestion();
    expect(screen.getByText(/marks more than 1 points apart are disputed/)).toBeInTheDocument();
    expect(screen.getByText('Other mark: 3 points (“Generous.”).')).toBeInTheDocument();
    expect(screen.getByText('Record a third mark, or the mark you agreed on.')).toBeInTheDocument();
    const points = screen.getByLabelText('Points (0 to 3)');
    expect(points).toHaveValue(1);
    await user.clear(points);
    await user.type(points, '2');
    await user.click(screen.getByRole('checkbox', { name: 'This is the mark the markers agreed on' }));
    await user.click(screen.getByRole('button', { name: 'Save and next' }));
    await waitFor(() => expect(w.grades()).toHaveLength(1));
    expect(w.grades()[0]!.args.body).toEqual({ points: 2, comment: '', agreed: true });
  });
});
