import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ServicesContext, type Services } from '../../app/services';
import { silentLogger } from '../../services/logger';
import type { TileMedia } from '../../services/live/liveWatcher';
import { fakeLiveServices, liveTile } from '../../test/fakeLive';
import { LivePage } from './LivePage';

const NOW = Date.parse('2030-06-01T09:00:00.000Z');

type Call = { name: string; params?: unknown; body?: unknown };

function setup(answer: (call: Call) => { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } } = () => ({ ok: true, value: reply() })) {
  const calls: Call[] = [];
  const live = fakeLiveServices();
  const watch = live.proctor;
  const tickers = new Set<() => void>();
  let now = NOW;
  let syncs = 0;
  const services = {
    live,
    // The server's clock runs 2 s ahead of this computer's.
    clock: { remaining: (deadline: number) => deadline - (now + 2_000) },
    clockSync: { syncNow: async () => (syncs++, true) },
    setInterval: (fn: () => void) => {
      tickers.add(fn);
      return () => tickers.delete(fn);
    },
    now: () => now,
    log: silentLogger,
    api: {
      call: async (name: string, options: { params?: unknown; body?: unknown }) => {
        calls.push({ name, ...options });
        return answer({ name, ...options });
      },
    },
  } as unknown as Services;
  const view = render(
    <ServicesContext.Provider value={services}>
      <LivePage />
    </ServicesContext.Provider>,
  );
  const pass = (ms: number) =>
    act(() => {
      now += ms;
      for (const t of [...tickers]) t();
    });
  return { watch, pass, view, calls, syncs: () => syncs };
}

const reply = (patch: Record<string, unknown> = {}) => ({ status: 'started', pausedSince: null, unreadMessages: [], endedReason: null, lastMessage: null, creditedMs: null, ...patch });

const camera = (sessionId: string): TileMedia => ({
  camera: { consumerId: `cam-${sessionId}`, stream: { id: `stream-${sessionId}` } as unknown as MediaStream },
  microphone: null,
  screen: null,
  reconnecting: false,
});

describe('LivePage', () => {
  it('connects, then says plainly when nobody is sitting an exam', () => {
    const t = setup();
    expect(t.watch.started).toBe(1);
    expect(t.syncs()).toBe(1);
    expect(screen.getByRole('heading', { level: 1, name: 'Live' })).toHaveFocus();
    expect(screen.getByRole('status')).toHaveTextContent('Connecting to live view…');
    act(() => t.watch.set('live', []));
    expect(screen.getByRole('status')).toHaveTextContent('No learners are sitting an exam right now.');
    act(() => t.watch.set('unavailable', []));
    expect(screen.getByRole('status')).toHaveTextContent('Live view is not available right now; this page connects by itself when it is back.');
    t.view.unmount();
    expect(t.watch.stopped).toBe(1);
  });

  it('shows each learner’s camera, name, exam, section, time left by the server’s clock, raised hand and recent flags', () => {
    const t = setup();
    const tiles = [
      liveTile(1, {
        learnerName: 'Amara Okafor',
        sectionTitle: 'Process capability',
        sectionEndsAt: new Date(NOW + 12 * 60_000 + 2_000).toISOString(),
        handRaised: true,
        recentFlags: [
          { kind: 'multiple_faces', severity: 'high', startedAt: new Date(NOW - 60_000).toISOString() },
          { kind: 'focus_lost', severity: 'medium', startedAt: new Date(NOW - 120_000).toISOString() },
        ],
      }),
      liveTile(2, { learnerName: 'Ben Adeyemi', sectionTitle: null }),
    ];
    act(() => t.watch.set('live', tiles, new Map([['s1', camera('s1')], ['s2', { ...camera('s2'), camera: null, reconnecting: true }]])));
    const amara = screen.getByRole('button', { name: 'Amara Okafor, hand raised' });
    expect(amara).toHaveAccessibleDescription(
      'Amara Okafor Sample Proctored Trial Test Process capability · 12:00 left Recent flags: Several faces (high), Focus lost (medium)',
    );
    expect(within(amara).getByText('Hand raised')).toBeInTheDocument();
    const video = amara.querySelector('video')!;
    expect(video.muted).toBe(true);
    expect((video as HTMLVideoElement & { srcObject: unknown }).srcObject).toEqual({ id: 'stream-s1' });
    expect(t.watch.attachedIds).toEqual(['cam-s1']);
    t.pass(1_000);
    expect(within(amara).getByText(/11:59 left/)).toBeInTheDocument();
    expect(t.watch.attachedIds).toEqual(['cam-s1']);

    const ben = screen.getByRole('button', { name: 'Ben Adeyemi' });
    expect(ben).toHaveTextContent('Between sections');
    expect(ben).toHaveTextContent('Reconnecting…');
    expect(t.watch.lastShown).toEqual(['s1', 's2']);
  });

  it('pages 16 tiles at a time and watches only the page on screen', async () => {
    const t = setup();
    const user = userEvent.setup();
    act(() => t.watch.set('live', Array.from({ length: 17 }, (_, i) => liveTile(i + 1))));
    expect(screen.getAllByRole('listitem')).toHaveLength(16);
    expect(screen.getByText('17 learners sitting an exam')).toBeInTheDocument();
    expect(t.watch.lastShown).toHaveLength(16);
    const pages = screen.getByRole('navigation', { name: 'Live pages' });
    expect(pages).toHaveTextContent('Page 1 of 2');
    expect(within(pages).getByRole('button', { name: 'Previous' })).toBeDisabled();
    await user.click(within(pages).getByRole('button', { name: 'Next' }));
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Learner 17' })).toBeInTheDocument();
    expect(t.watch.lastShown).toEqual(['s17']);
    expect(within(pages).getByRole('button', { name: 'Next' })).toBeDisabled();
  });

  it('opens a focused view on click, Enter or Space, with sound; Escape closes it and drops back to the small layer', async () => {
    const t = setup();
    const user = userEvent.setup();
    const media = new Map([['s1', { ...camera('s1'), microphone: { consumerId: 'mic-s1', stream: { id: 'mic' } as unknown as MediaStream } }]]);
    act(() => t.watch.set('live', [liveTile(1, { learnerName: 'Amara Okafor' }), liveTile(2)], media));
    const tile = screen.getByRole('button', { name: 'Amara Okafor' });

    await user.click(tile);
    const dialog = screen.getByRole('dialog', { name: 'Amara Okafor' });
    expect(t.watch.lastFocused).toBe('s1');
    expect(within(dialog).getByLabelText('Camera of Amara Okafor').tagName).toBe('VIDEO');
    expect(dialog.querySelector('audio')).not.toBeNull();
    expect(t.watch.attachedIds).toContain('mic-s1');
    expect(dialog).toHaveTextContent('You are hearing this learner.');

    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(t.watch.lastFocused).toBeNull();
    expect(tile).toHaveFocus();

    await user.keyboard('{Enter}');
    expect(screen.getByRole('dialog', { name: 'Amara Okafor' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Learner 02' })).toHaveFocus();
    await user.keyboard(' ');
    expect(screen.getByRole('dialog', { name: 'Learner 02' })).toBeInTheDocument();
    expect(t.watch.focused).toEqual([null, 's1', null, 's1', null, 's2']);
  });
});

describe('LivePage proctor actions', () => {
  async function focused(t: ReturnType<typeof setup>, patch: Parameters<typeof liveTile>[1] = {}) {
    act(() => t.watch.set('live', [liveTile(1, { learnerName: 'Amara Okafor', ...patch })]));
    await userEvent.click(screen.getByRole('button', { name: /^Amara Okafor/ }));
    return screen.getByRole('dialog', { name: 'Amara Okafor' });
  }

  it('sends a message from the focused tile and shows whether the learner has read it', async () => {
    const t = setup();
    const dialog = await focused(t, { lastMessage: { id: 'm0', sentAt: new Date(NOW).toISOString(), readAt: null } });
    expect(within(dialog).getByText('Message not read yet')).toBeInTheDocument();
    const box = within(dialog).getByRole('textbox', { name: 'Message to the learner' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send message' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Write a message first.');
    expect(t.calls).toEqual([]);
    await userEvent.type(box, 'Please face the camera.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send message' }));
    expect(t.calls).toEqual([{ name: 'sendLiveMessage', params: { sessionId: 's1' }, body: { text: 'Please face the camera.' } }]);
    expect(within(dialog).getByRole('status')).toHaveTextContent('Message sent.');
    expect(box).toHaveValue('');
    act(() => t.watch.set('live', [liveTile(1, { learnerName: 'Amara Okafor', lastMessage: { id: 'm1', sentAt: new Date(NOW).toISOString(), readAt: new Date(NOW).toISOString() } })]));
    expect(within(dialog).getByText('Message read')).toBeInTheDocument();
  });

  it('pauses with an optional reason, then offers Resume; a refusal is shown as an alert', async () => {
    let refuse = false;
    const t = setup((call) =>
      refuse ? { ok: false, error: { code: 'session_not_paused', message: 'This attempt is not paused.' } } : { ok: true, value: reply(call.name === 'pauseSession' ? { pausedSince: new Date(NOW).toISOString() } : {}) },
    );
    const dialog = await focused(t);
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Reason for pausing (optional)' }), 'Noise');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Pause' }));
    expect(t.calls.at(-1)).toEqual({ name: 'pauseSession', params: { sessionId: 's1' }, body: { reason: 'Noise' } });
    expect(within(dialog).getByRole('status')).toHaveTextContent('Exam paused.');
    refuse = true;
    await userEvent.click(within(dialog).getByRole('button', { name: 'Resume' }));
    expect(t.calls.at(-1)).toMatchObject({ name: 'resumeSession' });
    expect(within(dialog).getByRole('alert')).toHaveTextContent(/./);
    // The tiles push shows the grid state too.
    act(() => t.watch.set('live', [liveTile(1, { learnerName: 'Amara Okafor', pausedSince: new Date(NOW).toISOString() })]));
    expect(screen.getByRole('button', { name: 'Amara Okafor, paused' })).toBeInTheDocument();
  });

  it('ends the exam only after a confirmation with a required reason', async () => {
    const t = setup((call) => ({ ok: true, value: reply(call.name === 'endSession' ? { status: 'timed_out' } : {}) }));
    const dialog = await focused(t);
    await userEvent.click(within(dialog).getByRole('button', { name: 'End exam…' }));
    const confirm = screen.getByRole('alertdialog', { name: 'End Amara Okafor’s exam?' });
    await userEvent.click(within(confirm).getByRole('button', { name: 'End exam' }));
    expect(within(confirm).getByRole('alert')).toHaveTextContent('Give a reason.');
    expect(within(confirm).getByRole('textbox', { name: 'Reason (required)' })).toHaveAttribute('aria-invalid', 'true');
    expect(t.calls).toEqual([]);
    await userEvent.type(within(confirm).getByRole('textbox', { name: 'Reason (required)' }), 'Phone in use');
    await userEvent.click(within(confirm).getByRole('button', { name: 'End exam' }));
    expect(t.calls).toEqual([{ name: 'endSession', params: { sessionId: 's1' }, body: { reason: 'Phone in use' } }]);
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(within(dialog).getByRole('status')).toHaveTextContent('Exam ended.');
    // Escape in the confirmation closes only it.
    await userEvent.click(within(dialog).getByRole('button', { name: 'End exam…' }));
    fireEvent.keyDown(screen.getByRole('alertdialog'), { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByRole('dialog', { name: 'Amara Okafor' })).toBeInTheDocument();
  });
});
