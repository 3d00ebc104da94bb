import { useId, useState, type FormEvent } from 'react';
import type { LiveTile } from '../../../../shared/api/live';
import { MAX_LIVE_TEXT, type SessionControlReply } from '../../../../shared/api/liveControl';
import { useServices } from '../../app/services';
import { Dialog } from '../../components/Dialog';
import { describeError } from '../../services/api/errorText';

type Action = 'message' | 'pause' | 'resume' | 'end';

/** Whether the learner has read the proctor's last message, as the tile says it. */
export function messageStateText(tile: Pick<LiveTile, 'lastMessage'>): string | null {
  if (tile.lastMessage === null) return null;
  return tile.lastMessage.readAt === null ? 'Message not read yet' : 'Message read';
}

/**
 * The focused tile's proctor actions: a message the learner must acknowledge, pause and resume, and
 * ending the exam with a reason (confirmed first). What each did is said in a polite live region;
 * a refusal is shown as an alert.
 */
export function ProctorControls({ tile }: { readonly tile: LiveTile }) {
  const { api } = useServices();
  const ids = { title: useId(), message: useId(), count: useId(), pause: useId(), end: useId(), endError: useId() };
  const [text, setText] = useState('');
  const [pauseReason, setPauseReason] = useState('');
  const [busy, setBusy] = useState<Action | null>(null);
  const [done, setDone] = useState('');
  const [error, setError] = useState<string | null>(null);
  // The action's own answer, until the next tiles push (a new tile object) says the same.
  const [reply, setReply] = useState<{ basis: LiveTile; value: SessionControlReply } | null>(null);
  const [ending, setEnding] = useState(false);
  const [endReason, setEndReason] = useState('');
  const [endError, setEndError] = useState<string | null>(null);

  const fresh = reply !== null && reply.basis === tile ? reply.value : null;
  const paused = fresh ? fresh.pausedSince !== null : tile.pausedSince !== null;

  const run = async (action: Action, call: () => ReturnType<typeof api.call<'pauseSession'>>, success: string): Promise<boolean> => {
    setBusy(action);
    setError(null);
    setDone('');
    const result = await call();
    setBusy(null);
    if (!result.ok) {
      setError(describeError(result.error));
      return false;
    }
    setReply({ basis: tile, value: result.value });
    setDone(success);
    return true;
  };
  const params = { sessionId: tile.sessionId };

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() === '') {
      setError('Write a message first.');
      return;
    }
    if (await run('message', () => api.call('sendLiveMessage', { params, body: { text } }), 'Message sent. The learner must confirm they have read it.')) setText('');
  };
  const pause = () =>
    void run('pause', () => api.call('pauseSession', { params, body: pauseReason.trim() === '' ? {} : { reason: pauseReason } }), 'Exam paused. The learner’s time is stopped.').then(
      (ok) => ok && setPauseReason(''),
    );
  const resume = () => void run('resume', () => api.call('resumeSession', { params, body: {} }), 'Exam resumed. The paused time was added to the learner’s section.');
  const end = async () => {
    if (endReason.trim() === '') {
      setEndError('Give a reason. The learner sees it, and it is kept with the attempt for review.');
      return;
    }
    setEndError(null);
    if (await run('end', () => api.call('endSession', { params, body: { reason: endReason } }), 'Exam ended. The attempt goes to the review queue.')) setEnding(false);
  };

  return (
    <section className="live-actions" aria-labelledby={ids.title}>
      <h3 id={ids.title} className="live-actions__title">
        Proctor actions
      </h3>
      <p className="live-actions__done" role="status">
        {done}
      </p>
      {error !== null && (
        <p className="notice notice--danger" role="alert">
          {error}
        </p>
      )}
      <form className="live-actions__message" onSubmit={(e) => void send(e)}>
        <label htmlFor={ids.message}>Message to the learner</label>
        <textarea
          id={ids.message}
          value={text}
          maxLength={MAX_LIVE_TEXT}
          rows={3}
          aria-describedby={ids.count}
          onChange={(e) => setText(e.target.value)}
        />
        <span id={ids.count} className="live-actions__count">
          {text.length} of {MAX_LIVE_TEXT} characters
        </span>
        <button type="submit" className="button button--secondary" disabled={busy !== null}>
          Send message
        </button>
      </form>
      <div className="live-actions__row">
        {paused ? (
          <>
            <p className="live-actions__paused">Paused: the learner’s time is stopped.</p>
            <button type="button" className="button button--primary" disabled={busy !== null} onClick={resume}>
              Resume
            </button>
          </>
        ) : (
          <>
            <label htmlFor={ids.pause}>Reason for pausing (optional)</label>
            <input id={ids.pause} type="text" value={pauseReason} maxLength={MAX_LIVE_TEXT} onChange={(e) => setPauseReason(e.target.value)} />
            <button type="button" className="button button--secondary" disabled={busy !== null} onClick={pause}>
              Pause
            </button>
          </>
        )}
        <button type="button" className="button button--ghost live-actions__end" disabled={busy !== null} onClick={() => setEnding(true)} aria-haspopup="dialog">
          End exam…
        </button>
      </div>
      {ending && (
        <Dialog
          role="alertdialog"
          title={`End ${tile.learnerName}’s exam?`}
          onCancel={() => setEnding(false)}
          actions={
            <>
              <button type="button" className="button button--secondary" onClick={() => setEnding(false)}>
                Keep the exam going
              </button>
              <button type="button" className="button button--primary" disabled={busy !== null} onClick={() => void end()}>
                End exam
              </button>
            </>
          }
        >
          <p>The attempt ends now and goes to review with your reason as a flag. The learner sees the reason and their receipt. This cannot be undone.</p>
          <label htmlFor={ids.end}>Reason (required)</label>
          <textarea
            id={ids.end}
            value={endReason}
            maxLength={MAX_LIVE_TEXT}
            rows={3}
            required
            aria-invalid={endError !== null}
            aria-describedby={endError !== null ? ids.endError : undefined}
            onChange={(e) => setEndReason(e.target.value)}
          />
          {endError !== null && (
            <p id={ids.endError} className="notice notice--danger" role="alert">
              {endError}
            </p>
          )}
          {error !== null && busy === null && (
            <p className="notice notice--danger" role="alert">
              {error}
            </p>
          )}
        </Dialog>
      )}
    </section>
  );
}
