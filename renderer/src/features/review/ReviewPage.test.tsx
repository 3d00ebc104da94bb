import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../../../shared/result';
import { ServicesContext, type Services } from '../../app/services';
import { silentLogger } from '../../services/logger';
import { ReviewPage } from './ReviewPage';
import { ReviewQueuePage } from './ReviewQueuePage';

const T = Date.parse('2031-03-03T09:00:00.000Z');
const iso = (s: number) => new Date(T + s * 1000).toISOString();
const proctor = { id: 'p1', email: 'p@x', fullName: 'Priya Raman', role: 'proctor' as const };

const entry = (over: Record<string, unknown> = {}) => ({
  entryId: 'e1',
  sessionId: 's1',
  examId: 'trial',
  riskScore: 42,
  enqueuedAt: iso(-600),
  state: 'claimed',
  round: 1,
  holderId: 'p1',
  leaseExpiresAt: iso(120),
  sessionStatus: 'submitted',
  ...over,
});

function world(options: { heartbeat?: 'ok' | 'lost'; queue?: unknown[]; claim?: unknown } = {}) {
  const calls: { name: string; args: unknown }[] = [];
  const intervals: (() => void)[] = [];
  const timeouts: (() => void)[] = [];
  const replies: Record<string, unknown> = {
    getReview: { entry: entry(), decisions: [], comments: [], audit: [], mediaDeletedAt: null },
    getSession: {
      id: 's1',
      examId: 'trial',
      examTitle: 'Sample Proctored Trial Test',
      practice: true,
      status: 'submitted',
      client: 'web',
      timeMultiplier: 1,
      createdAt: iso(-100),
      startedAt: iso(0),
      submittedAt: iso(60),
      sections: [{ id: 'a', title: 'Section A', durationMinutes: 120, questionCount: 3, state: 'submitted', openedAt: iso(2), deadline: iso(7202), closedAt: iso(58), questions: null }],
      answers: [{ secret: 'never shown' }],
      maxSequence: 1,
      checks: { consent: true, systemCheck: 'passed', identity: 'manual_review', translator: 'youdao', translatorRequired: true },
    },
    recordingManifest: {
      sessionId: 's1',
      takes: [{ index: 0, startedAt: iso(0), endedAt: iso(60), endReason: 'submitted', segments: 2, chunks: 20, bytes: 1000, durationMs: 60_000, playable: true }],
      gaps: [],
      bytes: 1000,
      chunks: 20,
      chainHead: 'x',
      verified: true,
    },
    playbackGrant: { sessionId: 's1', expiresAt: iso(300), takes: [{ take: 0, url: '/api/sessions/s1/recording/takes/0?playback=tok' }], images: [] },
    getIdentity: {
      sessionId: 's1',
      status: 'manual_review',
      registeredName: 'Amara Okafor',
      attempts: [],
      images: [],
      duplicates: [{ userId: 'u9', displayName: 'A. Okafor', sessionId: 's9', seenAt: iso(-9999) }],
      manualReviewReason: 'attempts_exhausted',
    },
    listSystemChecks: { reports: [] },
    listEvents: {
      events: [
        { id: '00000000-0000-4000-8000-000000000001', kind: 'focus_lost', severity: 'medium', startedAt: iso(20), endedAt: iso(24), reason: 'The exam window lost focus for 4 s.', confidence: null, thumbnail: null, detail: {} },
        { id: '00000000-0000-4000-8000-000000000002', kind: 'multiple_faces', severity: 'high', startedAt: iso(40), endedAt: null, reason: 'Two faces seen.', confidence: 0.9, thumbnail: null, detail: {} },
      ],
    },
    sessionRisk: {
      sessionId: 's1',
      score: 38.2,
      summary: 'Mostly from two faces in view.',
      contributions: [
        { kind: 'multiple_faces', count: 1, seconds: 60, weight: 35, points: 21.1, reason: 'Two faces in view for 60 s (1 high): 21.1 points of at most 35.' },
        { kind: 'focus_lost', count: 1, seconds: 4, weight: 15, points: 1.7, reason: '1 focus loss lasting 4 s (1 medium): 1.7 points of at most 15.' },
      ],
    },
    heartbeat: entry(),
    release: entry({ state: 'queued', holderId: null }),
    comment: { id: 'c1', authorId: 'p1', round: 1, startSecond: 40, endSecond: 40, text: 'x', createdAt: iso(100) },
    decide: { entry: entry({ state: 'queued', round: 2, holderId: null, sessionStatus: 'second_review_required' }), decision: { round: 1, reviewerId: 'p1', decision: 'suspicious', reasonCodes: ['multiple_faces'], notes: '', decidedAt: iso(100) } },
    listQueue: { entries: options.queue ?? [], counts: { queued: 3, claimed: 1, done: 7, secondReview: 2 }, total: (options.queue ?? []).length },
    claimNext: { claim: options.claim ?? null },
  };
  const call = (async (name: string, args: unknown) => {
    calls.push({ name, args });
    if (name === 'heartbeat' && options.heartbeat === 'lost') return fail('review_lease_lost', 'gone');
    return name in replies ? ok(replies[name]) : fail('internal', name);
  }) as unknown as Services['api']['call'];
  const services = {
    api: { call, currentUser: () => proctor, onUserChange: () => () => undefined, serverUrl: async () => 'http://server' },
    now: () => T + 3600_000,
    setInterval: (fn: () => void) => {
      intervals.push(fn);
      return () => intervals.splice(intervals.indexOf(fn), 1);
    },
    setTimeout: (fn: () => void) => {
      timeouts.push(fn);
      return () => timeouts.splice(timeouts.indexOf(fn), 1);
    },
    log: silentLogger,
  } as unknown as Services;
  const view = render(
    <ServicesContext.Provider value={services}>
      <MemoryRouter initialEntries={[options.queue ? '/review' : '/review/e1']}>
        <Routes>
          <Route path="/review" element={<ReviewQueuePage />} />
          <Route path="/review/:entryId" element={<ReviewPage />} />
          <Route path="/elsewhere" element={<p>Elsewhere</p>} />
        </Routes>
      </MemoryRouter>
    </ServicesContext.Provider>,
  );
  return { calls, intervals, timeouts, view, names: () => calls.map((c) => c.name) };
}

/** jsdom loads no media: the video says its metadata is in, so seeks apply at once. */
function loaded(): HTMLVideoElement {
  const video = document.querySelector('video')!;
  Object.defineProperty(video, 'readyState', { configurable: true, value: 1 });
  return video;
}

describe('ReviewPage', () => {
  it('shows the recording with its flags, the evidence panels, and never the answers', async () => {
    const w = world();
    const title = await screen.findByRole('heading', { level: 1, name: 'Review: Sample Proctored Trial Test' });
    // Focus moves to the title once the page has loaded, which may be a render after it appears.
    await waitFor(() => expect(title).toHaveFocus());
    const video = document.querySelector('video')!;
    expect(video.getAttribute('src')).toBe('http://server/api/sessions/s1/recording/takes/0?playback=tok');
    const markers = within(screen.getByRole('list', { name: 'Flags on the timeline' })).getAllByRole('button');
    expect(markers.map((m) => m.getAttribute('aria-label'))).toEqual(['Medium: Focus lost at 0:20', 'High: Several faces at 0:40']);
    expect(screen.getByText(/Duplicate account alert/)).toBeInTheDocument();
    expect(screen.getByText('Youdao')).toBeInTheDocument();
    expect(screen.getByText('Section A')).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('never shown');
    expect(w.names()).not.toContain('release');
    // The risk score explained, one sentence per kind of flag.
    const risk = await screen.findByRole('region', { name: 'Why this risk' });
    expect(risk).toHaveTextContent('Two faces in view for 60 s (1 high): 21.1 points of at most 35.');
    expect(risk).toHaveTextContent('Mostly from two faces in view.');
  });

  it('seeks the video to a flag from the timeline and with ] and [', async () => {
    world();
    await screen.findByRole('list', { name: 'Flags on the timeline' });
    const video = loaded();
    fireEvent.click(screen.getByRole('button', { name: 'High: Several faces at 0:40' }));
    expect(video.currentTime).toBe(40);
    fireEvent.keyDown(document.body, { key: '[' });
    expect(video.currentTime).toBe(20);
    fireEvent.keyDown(document.body, { key: ']' });
    expect(video.currentTime).toBe(40);
    expect(screen.getByRole('status', { name: '' }).textContent ?? '').toMatch(/Two faces seen/);
  });

  it('M fills the comment times from the playhead and focuses the text; typing there is not a shortcut', async () => {
    const w = world();
    await screen.findByRole('list', { name: 'Flags on the timeline' });
    loaded();
    fireEvent.click(screen.getByRole('button', { name: 'High: Several faces at 0:40' }));
    fireEvent.keyDown(document.body, { key: 'm' });
    const text = screen.getByLabelText('Comment');
    expect(text).toHaveFocus();
    expect(screen.getByLabelText('From')).toHaveValue('0:40');
    await userEvent.type(text, 'Second face, mark kept, jump left');
    expect(document.querySelector('video')!.currentTime).toBe(40);
    await userEvent.click(screen.getByRole('button', { name: 'Add comment' }));
    const sent = w.calls.find((c) => c.name === 'comment')!.args as { body: unknown };
    expect(sent.body).toEqual({ startSecond: 40, endSecond: 40, text: 'Second face, mark kept, jump left' });
  });

  it('asks for a reason before a suspicious decision, confirms, then records it', async () => {
    const w = world();
    await screen.findByRole('list', { name: 'Flags on the timeline' });
    await userEvent.click(screen.getByRole('radio', { name: /Suspicious/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Record decision…' }));
    expect(screen.getByRole('alert')).toHaveTextContent('A suspicious decision needs at least one reason.');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Multiple faces' }));
    await userEvent.click(screen.getByRole('button', { name: 'Record decision…' }));
    const dialog = screen.getByRole('dialog', { name: 'Record this decision?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Record decision' }));
    const sent = w.calls.find((c) => c.name === 'decide')!.args as { body: unknown };
    expect(sent.body).toEqual({ decision: 'suspicious', reasonCodes: ['multiple_faces'], notes: '' });
    expect(await screen.findByText(/The attempt is now needs second review/)).toBeInTheDocument();
  });

  it('heartbeats the lease, releases it on leaving, and says so when it is lost', async () => {
    const w = world({ heartbeat: 'lost' });
    await screen.findByRole('list', { name: 'Flags on the timeline' });
    expect(w.intervals).toHaveLength(1);
    await act(async () => w.intervals[0]!());
    expect(w.names()).toContain('heartbeat');
    expect(await screen.findByText(/Your claim on this session has ended/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add comment' })).toBeDisabled();
  });

  it('gives the claim back when the proctor leaves the screen', async () => {
    const w = world();
    await screen.findByRole('list', { name: 'Flags on the timeline' });
    w.view.unmount();
    for (const fn of w.timeouts) fn();
    expect(w.names()).toContain('release');
  });
});

describe('ReviewQueuePage', () => {
  const q = (id: string, risk: number, age: number) => entry({ entryId: id, sessionId: `s-${id}`, riskScore: risk, enqueuedAt: iso(-age), state: 'queued', holderId: null, leaseExpiresAt: null });

  it('lists by risk then age, with counts, and opens a claimed session, saying so', async () => {
    const w = world({ queue: [q('b', 10, 100), q('a', 80, 50), q('c', 10, 900)], claim: entry({ entryId: 'a' }) });
    const queue = await screen.findByRole('heading', { level: 1, name: 'Review queue' });
    await waitFor(() => expect(queue).toHaveFocus());
    const rows = await screen.findAllByRole('row');
    expect(rows.slice(1).map((r) => within(r).getByRole('link').textContent)).toEqual(['s-a', 's-c', 's-b']);
    expect(within(rows[1]!).getByText('high')).toBeInTheDocument();
    expect(screen.getByText('Second review').nextSibling).toHaveTextContent('2');
    await userEvent.click(screen.getByRole('button', { name: 'Claim next' }));
    expect(w.names()).toContain('claimNext');
    expect(await screen.findByRole('heading', { level: 1, name: 'Review: Sample Proctored Trial Test' })).toBeInTheDocument();
  });

  it('says in the live region when there is nothing to claim, and filters by exam and status', async () => {
    const w = world({ queue: [q('a', 80, 50)], claim: null });
    await screen.findByRole('heading', { level: 1, name: 'Review queue' });
    await screen.findAllByRole('row');
    await userEvent.click(screen.getByRole('button', { name: 'Claim next' }));
    expect(await screen.findByText('Nothing to claim: the queue is empty.')).toHaveAttribute('role', 'status');
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'second_review');
    await userEvent.selectOptions(screen.getByLabelText('Exam'), 'trial');
    const last = w.calls.filter((c) => c.name === 'listQueue').at(-2)!.args as { body: unknown };
    expect(last.body).toEqual({ examId: 'trial', sessionStatus: 'second_review_required', limit: 200 });
  });
});
