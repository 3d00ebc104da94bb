import { act, fireEvent, render, screen, within } from '@testing-library/react';
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
import { chunk } from '../../test/fakeMedia';
import { fakeLiveServices } from '../../test/fakeLive';
import { progress, recordingWorld } from '../../test/recordingWorld';
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
  checks: { consent: true, systemCheck: 'passed', identity: 'passed', translator: 'google', translatorRequired: true },
  control: { pausedSince: null, unreadMessages: [], endedReason: null },
});

/** One fixed array: a new one on every read would re-render the player for ever. */
const NO_PROMPTS: never[] = [];

function setup(view: SessionView, journalEntries: JournalEntry[] = [], answerRetryMs?: number) {
  let mono = 0;
  const clock = new ServerClock(() => mono);
  const submits: string[] = [];
  const calls: string[] = [];
  let recordingAtSubmit: string[] | null = null;
  const saved: number[][] = [];
  let current = view;
  let entries = [...journalEntries];
  let next = Math.max(view.maxSequence, ...entries.map((e) => e.sequence)) + 1;
  let serverDown = false;
  const spoken: string[] = [];
  const live = fakeLiveServices();

  const acks: string[] = [];
  const paused = () => current.control.pausedSince !== null;
  const call = async (name: string, args: { body?: unknown; params?: Record<string, string> }) => {
    calls.push(name);
    switch (name) {
      case 'ackLiveMessage': {
        const messageId = args.params!.messageId!;
        acks.push(messageId);
        current = { ...current, control: { ...current.control, unreadMessages: current.control.unreadMessages.filter((m) => m.id !== messageId) } };
        return ok({ id: messageId, text: '', sentAt: new Date(T0).toISOString(), readAt: new Date(T0 + mono).toISOString() });
      }
      case 'getSession':
        return ok(current);
      case 'time':
        clock.addSample(mono, mono, T0 + mono);
        return ok({ serverTime: T0 + mono });
      case 'saveAnswers': {
        if (serverDown) return fail('network', 'The server cannot be reached.');
        if (paused()) return fail('session_paused', 'Your proctor has paused your exam.');
        const answers = (args.body as { answers: SavedAnswer[] }).answers;
        // Like the real server: once the section is closed, its answers are refused for good.
        if (current.sections[0]!.state !== 'open') {
          return ok({ results: answers.map((a) => ({ sequence: a.sequence, outcome: 'rejected' as const, code: 'section_closed' as const })) });
        }
        saved.push(answers.map((a) => a.sequence));
        return ok({ results: answers.map((a) => ({ sequence: a.sequence, outcome: 'stored' as const })) });
      }
      case 'submitSection': {
        if (serverDown) return fail('network', 'The server cannot be reached.');
        if (paused()) return fail('session_paused', 'Your proctor has paused your exam.');
        submits.push((args.body as { reason: string }).reason);
        const section = current.sections[0]!;
        current = { ...current, sections: [{ ...section, state: 'expired', questions: null, closedAt: new Date(T0 + mono).toISOString() }] };
        return ok(current);
      }
      case 'recordingUploadToken':
        return ok({ endpoint: 'http://127.0.0.1:9/api/uploads', token: 'tok', expiresAt: new Date(T0 + 60 * MIN).toISOString() });
      case 'submitSession':
        recordingAtSubmit = world.journal.log();
        current = { ...current, status: 'submitted' };
        return ok({});
      default:
        return fail('internal', `unexpected ${name}`);
    }
  };
  const world = recordingWorld(call as unknown as Services['api']['call']);
  const journal = {
    ...world.host,
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
  // A lockdown engaged by the start page; the player re-engages it after a reload (engage is idempotent).
  const lockdown = {
    released: [] as string[],
    engage: async (sessionId: string) => ok({ sessionId, mode: 'browser_fullscreen' as const, contentProtection: false, processScan: false }),
    release: async (sessionId: string) => void lockdown.released.push(sessionId),
    left: [] as [string, string][],
    leave: async (sessionId: string, reason: string) => void lockdown.left.push([sessionId, reason]),
    current: () => ({ sessionId: view.id, mode: 'browser_fullscreen' as const, contentProtection: false, processScan: false }),
    onQuitRequested: () => () => {},
  };
  const services = {
    monitor: { start: () => {}, stop: async () => {}, prompts: () => NO_PROMPTS, subscribe: () => () => {}, rememberIdentityFace: () => {} },
    host: journal,
    appInfo: { hostKind: 'web', appVersion: '0', platform: 'linux', capabilities: { kiosk: false, contentProtection: false, processList: false, translatorView: false } },
    api,
    clock,
    camera: world.camera,
    recording: world.recording,
    uploads: world.uploads,
    clockSync: new ClockSync({ api, setInterval: setIntervalFn, log: silentLogger }),
    createAnswerSync: (sessionId: string) =>
      new AnswerSync({ sessionId, journal, api, timers, now: () => new Date(T0 + mono), log: silentLogger, minRetryMs: answerRetryMs, maxRetryMs: answerRetryMs }),
    setInterval: setIntervalFn,
    setTimeout: (fn: () => void, ms: number) => {
      const id = setTimeout(fn, ms);
      return () => clearTimeout(id);
    },
    onOnline: () => () => {},
    lockdown,
    live,
    announcer: { announce: (text: string) => spoken.push(text) },
    log: silentLogger,
  } as unknown as Services;

  render(
    <ServicesContext.Provider value={services}>
      <MemoryRouter initialEntries={['/sessions/s1']}>
        <Routes>
          <Route path="/sessions/:sessionId" element={<ExamPlayerPage />} />
          <Route path="/sessions/:sessionId/receipt" element={<p>Receipt</p>} />
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
  const setServerDown = (down: boolean) => (serverDown = down);
  /** What the server holds from now on (a proctor paused, resumed or ended the attempt). */
  const setServer = (change: (view: SessionView) => SessionView) => (current = change(current));
  return { pass, settle, setServerDown, setServer, acks, spoken, submits, saved, entries: () => entries, calls, recordingAtSubmit: () => recordingAtSubmit, lockdown, live: live.learner, ...world };
}

describe('ExamPlayerPage', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('announces the 5- and 1-minute warnings once each and submits the section when time runs out', async () => {
    const t = setup(sessionWith(openSection(T0 + 6 * MIN)));
    await t.settle();
    const timer = screen.getByRole('timer', { name: 'Time left in this section' });
    expect(timer).toHaveTextContent('06:00');
    expect(t.spoken).toEqual([]);

    await t.pass(61_000);
    expect(t.spoken).toEqual([expect.stringMatching(/^5 minutes left in this section\./)]);
    expect(screen.getByText(/^5 minutes left in this section\./)).toBeVisible();
    await t.pass(4 * MIN);
    expect(t.spoken).toEqual([expect.stringMatching(/^5 minutes left/), expect.stringMatching(/^1 minute left in this section\./)]);
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

  it('at a deadline during an outage, sends the answers first and submits the section only after they arrived', async () => {
    // After a long outage the answer sync's own retries are far apart (here 5 minutes), so only an
    // explicit send at the deadline can get the answer in before the section is submitted.
    const t = setup(sessionWith(openSection(T0 + 2 * MIN)), [], 5 * MIN);
    await t.settle();
    t.setServerDown(true);
    await act(async () => screen.getByRole('radio', { name: 'Cpk' }).click());
    await t.pass(2 * MIN + 20_000);
    expect(t.submits).toEqual([]); // submitting now would close the section on the unsent answer
    t.setServerDown(false);
    await t.pass(35_000);
    expect(t.submits).toEqual(['deadline']);
    expect(t.saved.flat()).toContain(1); // stored, not refused as late
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

describe('ExamPlayerPage: I need to leave', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks for a reason, then ends the take and the lockdown and says the attempt can be resumed', async () => {
    const t = setup(sessionWith(openSection(T0 + 90 * MIN)));
    await t.settle();
    act(() => screen.getByRole('button', { name: 'I need to leave' }).click());
    const dialog = screen.getByRole('dialog', { name: 'Leave the exam now?' });
    expect(dialog).toHaveTextContent('this attempt stays open');
    const reason = within(dialog).getByRole('textbox', { name: 'Why do you need to leave?' });
    expect(reason).toHaveFocus();
    expect(reason).toHaveAccessibleDescription('Your proctor sees this with your recording.');

    // No reason: nothing happens, and the learner is told why.
    act(() => within(dialog).getByRole('button', { name: 'Leave the exam' }).click());
    await t.settle();
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Say in a few words why you need to leave.');
    expect(reason).toHaveAttribute('aria-invalid', 'true');
    expect(t.lockdown.left).toEqual([]);

    act(() => {
      fireEvent.change(reason, { target: { value: '  The fire alarm went off  ' } });
    });
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    act(() => within(dialog).getByRole('button', { name: 'Leave the exam' }).click());
    await t.settle();
    expect(t.journal.log()).toEqual(['start 0', 'end 0 interrupted']);
    expect(t.lockdown.left).toEqual([['s1', 'The fire alarm went off']]);
    // Live ends with the exam; the recording's tracks were never the producer's to stop.
    expect(t.live.stopped).toBe(1);
    expect(screen.getByRole('heading', { name: 'You have left the exam' })).toHaveFocus();
    expect(screen.getByText(/choose Resume on “Sample proctored trial test”/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to your exams' })).toHaveAttribute('href', '/exams');
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();
  });

  it('staying (the first button, or Escape) changes nothing', async () => {
    const t = setup(sessionWith(openSection(T0 + 90 * MIN)));
    await t.settle();
    act(() => screen.getByRole('button', { name: 'I need to leave' }).click());
    act(() => screen.getByRole('button', { name: 'Stay in the exam' }).click());
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    act(() => screen.getByRole('button', { name: 'I need to leave' }).click());
    act(() => {
      fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(t.lockdown.left).toEqual([]);
    expect(screen.getByRole('radio', { name: 'Cpk' })).toBeEnabled();
  });
});

describe('ExamPlayerPage recording', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('records from the player, shows a quiet indicator, warns when the camera stops and recovers in a new take', async () => {
    const t = setup(sessionWith(openSection(T0 + 90 * MIN)));
    await t.settle();
    // Opened without the start page (a reload or Resume): a new take starts here.
    expect(t.journal.log()).toEqual(['start 0']);
    expect(t.calls).toContain('recordingUploadToken');
    expect(screen.getByLabelText('Your camera (self-view)').tagName).toBe('VIDEO');
    const indicator = screen.getByText(/^Recording/);
    expect(indicator).toHaveAttribute('aria-live', 'off');
    expect(indicator).not.toHaveAttribute('role');
    expect(screen.getByRole('status')).toHaveTextContent('All answers saved');

    act(() => t.uploadHost.emit(progress('s1', { state: 'uploading', pendingBytes: 2_000_000, recordingBytes: 400_000, safeToClose: false })));
    expect(indicator).toHaveTextContent('Recording · 2.4 MB waiting to upload');

    t.camera.failing = 'no_camera';
    act(() => t.camera.latest.tracks[0]!.end());
    await t.settle();
    expect(t.journal.log()).toEqual(['start 0', 'end 0 camera_lost']);
    expect(screen.getByRole('alert')).toHaveTextContent('Your camera stopped.');
    expect(screen.getByRole('alert')).toHaveTextContent('Recording starts again by itself when the camera is back.');
    expect(screen.getByText('Not recording · camera stopped')).toBeInTheDocument();
    expect(screen.queryByLabelText('Your camera (self-view)')).not.toBeInTheDocument();

    t.camera.failing = null;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3_000);
    });
    expect(t.journal.log()).toEqual(['start 0', 'end 0 camera_lost', 'start 1']);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByText(/^Recording/)).toBeInTheDocument();
  });

  it('tells the learner plainly when the disk is full, and the exam goes on', async () => {
    const t = setup(sessionWith(openSection(T0 + 90 * MIN)));
    await t.settle();
    t.journal.appendFailure = 'disk_full';
    act(() => t.media.latest.emit(chunk(1)));
    await t.settle();
    expect(t.journal.log()).toEqual(['start 0', 'end 0 disk_full']);
    const dialog = screen.getByRole('dialog', { name: 'Recording stopped: the disk is full' });
    expect(dialog).toHaveTextContent('Your answers are still saved and your exam continues');
    act(() => screen.getByRole('button', { name: 'Continue the exam' }).click());
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByText('Not recording · disk full')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Cpk' })).toBeEnabled();
  });

  it('ends the take as submitted before submitting the exam', async () => {
    const t = setup(sessionWith(openSection(T0 + 90 * MIN)));
    await t.settle();
    act(() => t.media.latest.emit(chunk(1)));
    await t.settle();
    act(() => screen.getByRole('button', { name: 'Submit exam' }).click());
    act(() => within(screen.getByRole('dialog')).getByRole('button', { name: 'Submit exam' }).click());
    await t.settle();
    expect(t.recordingAtSubmit()).toEqual(['start 0', 'append 0 [1]', 'end 0 submitted']);
    expect(screen.getByText('Receipt')).toBeInTheDocument();
    // The lockdown ends with the exam (window released, open events closed and sent).
    expect(t.lockdown.released).toContain(t.lockdown.current().sessionId);
  });
});

describe('ExamPlayerPage live proctoring', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the recording’s own stream from the start, shows a quiet Live line and a raise-hand toggle, and stops on submit', async () => {
    const t = setup(sessionWith(openSection(T0 + 90 * MIN)));
    await t.settle();
    expect(t.live.started).toBe(1);
    // The very stream the recorder opened: no second camera.
    expect(t.camera.opened).toHaveLength(1);
    expect(t.live.streams.at(-1)).toBe(t.camera.latest.asStream());
    const line = screen.getByText(/^Live: connecting/);
    expect(line).toHaveAttribute('aria-live', 'polite');
    act(() => t.live.set('live'));
    expect(line).toHaveTextContent(/^● Live: your proctor can see and hear you$/);
    act(() => t.live.set('reconnecting'));
    expect(line).toHaveTextContent('Live: reconnecting…');

    const hand = screen.getByRole('button', { name: 'Raise hand' });
    expect(hand).toHaveAttribute('aria-pressed', 'false');
    act(() => hand.click());
    expect(t.live.hands).toEqual([true]);
    expect(hand).toHaveAttribute('aria-pressed', 'true');
    act(() => hand.click());
    expect(t.live.hands).toEqual([true, false]);

    act(() => screen.getByRole('button', { name: 'Submit exam' }).click());
    act(() => within(screen.getByRole('dialog')).getByRole('button', { name: 'Submit exam' }).click());
    await t.settle();
    expect(screen.getByText('Receipt')).toBeInTheDocument();
    expect(t.live.stopped).toBe(1);
  });
});

describe('ExamPlayerPage proctor actions', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const message = { id: 'm1', text: 'Please face the camera.', sentAt: new Date(T0).toISOString(), readAt: null };
  const pausedView = (view: SessionView): SessionView => ({ ...view, control: { ...view.control, pausedSince: new Date(T0).toISOString() } });

  it('shows an unread message from the session view in an alert dialog until the learner says they have read it', async () => {
    const view = sessionWith(openSection(T0 + 90 * MIN));
    const t = setup({ ...view, control: { ...view.control, unreadMessages: [message] } });
    await t.settle();
    const dialog = screen.getByRole('alertdialog', { name: 'Message from your proctor' });
    expect(dialog).toHaveAccessibleDescription('Please face the camera.');
    const button = within(dialog).getByRole('button', { name: 'I have read this' });
    expect(button).toHaveFocus();
    await act(async () => button.click());
    await t.settle();
    expect(t.acks).toEqual(['m1']);
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('shows a message pushed on the live socket at once', async () => {
    const t = setup(sessionWith(openSection(T0 + 90 * MIN)));
    await t.settle();
    await act(async () => t.live.control({ kind: 'message', message }));
    expect(screen.getByRole('alertdialog', { name: 'Message from your proctor' })).toHaveTextContent('Please face the camera.');
  });

  it('blocks the exam while paused (nothing of it shown, focus in the notice) and, at resume, counts down to the moved deadline', async () => {
    const t = setup(sessionWith(openSection(T0 + 10 * MIN)));
    await t.settle();
    expect(screen.getByRole('timer', { name: 'Time left in this section' })).toHaveTextContent('10:00');
    t.setServer(pausedView);
    await act(async () => t.live.control({ kind: 'paused' }));
    const notice = screen.getByRole('alertdialog', { name: 'Your exam is paused' });
    expect(notice).toHaveTextContent('Your proctor has paused your exam. Your time is stopped.');
    expect(notice).toHaveFocus();
    fireEvent.keyDown(notice, { key: 'Tab' });
    expect(notice).toHaveFocus();
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Submit exam' })).not.toBeInTheDocument();

    await t.pass(2 * MIN);
    t.setServer((v) => ({ ...v, control: { ...v.control, pausedSince: null }, sections: [{ ...v.sections[0]!, deadline: new Date(T0 + 12 * MIN).toISOString() }] }));
    act(() => t.live.control({ kind: 'resumed' }));
    await t.settle();
    await t.settle();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getAllByRole('radio').length).toBeGreaterThan(0);
    await t.pass(1_000);
    expect(screen.getByRole('timer', { name: 'Time left in this section' })).toHaveTextContent(/^(09:59|10:00)$/);
  });

  it('catches up with a pause from the session view when the live socket is down', async () => {
    const t = setup(sessionWith(openSection(T0 + 90 * MIN)));
    await t.settle();
    t.setServer(pausedView);
    await t.pass(16_000);
    expect(screen.getByRole('alertdialog', { name: 'Your exam is paused' })).toBeInTheDocument();
  });

  it('does not submit the section at its old deadline while paused, and not after the resume moved it', async () => {
    const t = setup(sessionWith(openSection(T0 + 1 * MIN)));
    await t.settle();
    t.setServer(pausedView);
    await act(async () => t.live.control({ kind: 'paused' }));
    await t.pass(2 * MIN);
    expect(t.submits).toEqual([]);
    t.setServer((v) => ({ ...v, control: { ...v.control, pausedSince: null }, sections: [{ ...v.sections[0]!, deadline: new Date(T0 + 5 * MIN).toISOString() }] }));
    act(() => t.live.control({ kind: 'resumed' }));
    await t.pass(30_000);
    expect(t.submits).toEqual([]);
    expect(screen.getAllByRole('radio').length).toBeGreaterThan(0);
  });

  it('goes to the receipt when the proctor ends the exam', async () => {
    const t = setup(sessionWith(openSection(T0 + 90 * MIN)));
    await t.settle();
    t.setServer((v) => ({ ...v, status: 'timed_out', control: { ...v.control, endedReason: 'Phone in use' } }));
    act(() => t.live.control({ kind: 'ended', reason: 'Phone in use' }));
    await t.settle();
    expect(screen.getByText('Receipt')).toBeInTheDocument();
  });
});
