import { act, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SavedAnswer, SectionView, SessionView } from '../../../../shared/api/sessions';
import { ServerClock } from '../../../../shared/domain/deadline';
import type { InvigilHost, JournalEntry } from '../../../../shared/ipc/contract';
import { fail, ok } from '../../../../shared/result';
import { ServicesContext, type Services } from '../../app/services';
import { AnswerSync } from '../../services/answers/answerSync';
import { ClockSync } from '../../services/clock/clockSync';
import { silentLogger } from '../../services/logger';
import { ExamPlayerPage } from './ExamPlayerPage';

const T0 = Date.parse('2030-06-01T09:00:00.000Z');
const MIN = 60_000;

const openSection = (deadline: number): SectionView => ({
  id: 'sec-a',
  title: 'Process capability',
  durationMinutes: 120,
  questionCount: 2,
  state: 'open',
  openedAt: new Date(deadline - 120 * MIN).toISOString(),
  deadline: new Date(deadline).toISOString(),
  closedAt: null,
  questions: [
    { id: 'q1', kind: 'single_choice', prompt: 'Which index uses the mean?', points: 1, options: [{ id: 'a', text: 'Cp' }, { id: 'b', text: 'Cpk' }] },
    { id: 'q2', kind: 'fill_in', prompt: 'Cpk for this process?', points: 2, inputType: 'number' },
  ],
});

const sessionWith = (section: SectionView, answers: SavedAnswer[] = []): SessionView => ({
  id: 's1',
  examId: 'trial',
  examTitle: 'Sample proctored trial test',
  practice: true,
  status: 'started',
  client: 'web',
  timeMultiplier: 1,
  createdAt: new Date(T0 - 3 * 60 * MIN).toISOString(),
  startedAt: new Date(T0 - 3 * 60 * MIN).toISOString(),
  submittedAt: null,
  sections: [section],
  answers,
  maxSequence: answers.reduce((m, a) => Math.max(m, a.sequence), 0),
});

function setup(view: SessionView, journalEntries: JournalEntry[] = []) {
  let mono = 0;
  const clock = new ServerClock(() => mono);
  const submits: string[] = [];
  const saved: number[][] = [];
  let current = view;
  let entries = [...journalEntries];
  let next = Math.max(view.maxSequence, ...entries.map((e) => e.sequence)) + 1;

  const call = async (name: string, args: { body?: unknown }) => {
    switch (name) {
      case 'getSession':
        return ok(current);
      case 'time':
        clock.addSample(mono, mono, T0 + mono);
        return ok({ serverTime: T0 + mono });
      case 'saveAnswers': {
        const answers = (args.body as { answers: SavedAnswer[] }).answers;
        saved.push(answers.map((a) => a.sequence));
        return ok({ results: answers.map((a) => ({ sequence: a.sequence, outcome: 'stored' as const })) });
      }
      case 'submitSection': {
        submits.push((args.body as { reason: string }).reason);
        const section = current.sections[0]!;
        current = { ...current, sections: [{ ...section, state: 'expired', questions: null, closedAt: new Date(T0 + mono).toISOString() }] };
        return ok(current);
      }
      default:
        return fail('internal', `unexpected ${name}`);
    }
  };
  const journal = {
    'answers:open': async () => ok({ nextSequence: next, pending: entries.length }),
    'answers:append': async (req: Omit<JournalEntry, 'sequence'>) => {
      const entry = { ...req, sequence: next++ };
      entries.push(entry);
      return ok(entry);
    },
    'answers:pending': async () => ok({ entries: [...entries] }),
    'answers:ack': async ({ sequences }: { sequences: number[] }) => {
      entries = entries.filter((e) => !sequences.includes(e.sequence));
      return ok({ pending: entries.length });
    },
  } as unknown as InvigilHost;
  const api = { call } as unknown as Services['api'];
  const setIntervalFn = (fn: () => void, ms: number) => {
    const id = setInterval(fn, ms);
    return () => clearInterval(id);
  };
  const timers = { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as number) };
  const services = {
    host: journal,
    api,
    clock,
    clockSync: new ClockSync({ api, setInterval: setIntervalFn, log: silentLogger }),
    createAnswerSync: (sessionId: string) => new AnswerSync({ sessionId, journal, api, timers, now: () => new Date(T0 + mono), log: silentLogger }),
    setInterval: setIntervalFn,
    setTimeout: (fn: () => void, ms: number) => {
      const id = setTimeout(fn, ms);
      return () => clearTimeout(id);
    },
    onOnline: () => () => {},
    log: silentLogger,
  } as unknown as Services;

  render(
    <ServicesContext.Provider value={services}>
      <MemoryRouter initialEntries={['/sessions/s1']}>
        <Routes>
          <Route path="/sessions/:sessionId" element={<ExamPlayerPage />} />
        </Routes>
      </MemoryRouter>
    </ServicesContext.Provider>,
  );

  /** Lets time pass on the monotonic clock and the timers together, a second at a time. */
  const pass = async (ms: number) => {
    for (let t = 0; t < ms; t += 1_000) {
      mono += 1_000;
      await act(async () => {
        await vi.advanceTimersByTimeAsync(1_000);
      });
    }
  };
  const settle = () => act(async () => {
    await vi.advanceTimersByTimeAsync(0);
  });
  return { pass, settle, submits, saved, entries: () => entries };
}

describe('ExamPlayerPage', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('announces the 5- and 1-minute warnings once each and submits the section when time runs out', async () => {
    const t = setup(sessionWith(openSection(T0 + 6 * MIN)));
    await t.settle();
    const timer = screen.getByRole('timer', { name: 'Time left in this section' });
    expect(timer).toHaveTextContent('06:00');
    const live = document.querySelector('[aria-live="assertive"]')!;
    expect(live).toHaveTextContent('');

    await t.pass(61_000);
    expect(live).toHaveTextContent('5 minutes left in this section.');
    await t.pass(4 * MIN);
    expect(live).toHaveTextContent('1 minute left in this section.');
    expect(t.submits).toEqual([]);

    await t.pass(MIN);
    expect(t.submits).toEqual(['deadline']);
    expect(screen.getAllByText(/Time is up/)).toHaveLength(1);
    expect(screen.getByText('Time is up — your answers for this section were submitted.')).toBeInTheDocument();
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Process capability/ })).toHaveTextContent('Time expired');
    await t.pass(5_000);
    expect(t.submits).toEqual(['deadline']);
  });

  it('after a reload shows the server’s answers with unsent journal entries replayed over them, then sends those', async () => {
    const section = openSection(T0 + 90 * MIN);
    const server: SavedAnswer[] = [
      { sectionId: 'sec-a', questionId: 'q1', value: { kind: 'choice', optionIds: ['a'] }, sequence: 3, clientSavedAt: new Date(T0 - MIN).toISOString() },
    ];
    const journal: JournalEntry[] = [
      { sessionId: 's1', sequence: 4, sectionId: 'sec-a', questionId: 'q1', value: { kind: 'choice', optionIds: ['b'] }, clientSavedAt: new Date(T0).toISOString() },
      { sessionId: 's1', sequence: 5, sectionId: 'sec-a', questionId: 'q2', value: { kind: 'text', text: '1.33' }, clientSavedAt: new Date(T0).toISOString() },
    ];
    const t = setup(sessionWith(section, server), journal);
    await t.settle();
    expect(screen.getByRole('radio', { name: 'Cpk' })).toBeChecked();
    expect(screen.getByRole('textbox', { name: 'Your answer to question 2' })).toHaveValue('1.33');
    await t.settle();
    expect(t.saved).toEqual([[4, 5]]);
    expect(t.entries()).toEqual([]);
    expect(screen.getByText('All answers saved')).toHaveAttribute('role', 'status');
  });
});
