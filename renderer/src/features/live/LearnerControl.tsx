import { useCallback, useEffect, useRef, useState } from 'react';
import type { LiveMessage } from '../../../../shared/api/liveControl';
import type { SessionView } from '../../../../shared/api/sessions';
import { useServices } from '../../app/services';
import { Dialog } from '../../components/Dialog';
import { describeError } from '../../services/api/errorText';
import type { LearnerControlEvent } from '../../services/live/liveProducer';

/** How often the player reads the session again, so a learner whose live socket is down still sees a pause, a message or the end. */
export const CONTROL_POLL_MS = 15_000;

export interface LearnerControl {
  readonly paused: boolean;
  /** The oldest message not yet acknowledged, or null. */
  readonly message: LiveMessage | null;
  readonly ackBusy: boolean;
  readonly ackError: string | null;
  /** For the live socket's pushes. */
  readonly onEvent: (event: LearnerControlEvent) => void;
  readonly acknowledge: () => void;
}

/**
 * The proctor's actions as the learner's exam sees them. The session view is the record (read at
 * load, on every push and every `CONTROL_POLL_MS`); a push shows at once until the next view arrives.
 */
export function useLearnerControl(session: SessionView, refresh: () => void): LearnerControl {
  const { api, setInterval } = useServices();
  const [override, setOverride] = useState<{ basis: SessionView; paused: boolean } | null>(null);
  const [pushed, setPushed] = useState<readonly LiveMessage[]>([]);
  const [acked, setAcked] = useState<ReadonlySet<string>>(new Set());
  const [ackBusy, setAckBusy] = useState(false);
  const [ackError, setAckError] = useState<string | null>(null);
  const current = useRef(session);
  useEffect(() => {
    current.current = session;
  });

  useEffect(() => setInterval(refresh, CONTROL_POLL_MS), [refresh, setInterval]);

  const onEvent = useCallback(
    (event: LearnerControlEvent) => {
      if (event.kind === 'message') {
        setPushed((prev) => (prev.some((m) => m.id === event.message.id) ? prev : [...prev, event.message]));
        return;
      }
      if (event.kind === 'paused' || event.kind === 'resumed') setOverride({ basis: current.current, paused: event.kind === 'paused' });
      refresh();
    },
    [refresh],
  );

  const paused = override !== null && override.basis === session ? override.paused : session.control.pausedSince !== null;
  const unread = [...session.control.unreadMessages, ...pushed.filter((p) => !session.control.unreadMessages.some((m) => m.id === p.id))].filter(
    (m) => !acked.has(m.id),
  );
  const message = unread[0] ?? null;

  const acknowledge = useCallback(() => {
    if (!message || ackBusy) return;
    setAckBusy(true);
    setAckError(null);
    void api.call('ackLiveMessage', { params: { sessionId: session.id, messageId: message.id }, body: {} }).then((reply) => {
      setAckBusy(false);
      if (reply.ok || reply.error.code === 'not_found') setAcked((prev) => new Set(prev).add(message.id));
      else setAckError(`Your answer did not reach the server. ${describeError(reply.error)}`);
    });
  }, [api, ackBusy, message, session.id]);

  return { paused, message, ackBusy, ackError, onEvent, acknowledge };
}

/** True once the page's own first effects ran: a dialog opened then keeps focus (the page heading takes it at load). */
function useAfterPageFocus(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let cancelled = false;
    queueMicrotask(() => !cancelled && setReady(true));
    return () => {
      cancelled = true;
    };
  }, []);
  return ready;
}

/** The proctor's message: read aloud when it opens; stays until the learner says they have read it. */
export function ProctorMessageDialog({ control }: { readonly control: LearnerControl }) {
  const mounted = useAfterPageFocus();
  if (!control.message || !mounted) return null;
  return (
    <Dialog
      key={control.message.id}
      role="alertdialog"
      title="Message from your proctor"
      onCancel={() => undefined}
      actions={
        <button type="button" className="button button--primary" disabled={control.ackBusy} onClick={control.acknowledge}>
          I have read this
        </button>
      }
    >
      <p className="proctor-message">{control.message.text}</p>
      {control.ackError !== null && (
        <p className="notice notice--danger" role="alert">
          {control.ackError}
        </p>
      )}
    </Dialog>
  );
}

/** Covers the whole exam while paused: nothing of it shows, and the keyboard stays here. */
export function PausedScreen() {
  const mounted = useAfterPageFocus();
  if (!mounted) return null;
  return (
    <Dialog role="alertdialog" opaque title="Your exam is paused" onCancel={() => undefined} actions={null}>
      <p>Your proctor has paused your exam. Your time is stopped.</p>
      <p>Stay in front of your camera. The exam continues here as soon as your proctor resumes it, with the paused time added to your section.</p>
    </Dialog>
  );
}
