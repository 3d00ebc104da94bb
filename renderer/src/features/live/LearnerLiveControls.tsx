import type { LearnerControlEvent, LiveStatus } from '../../services/live/liveProducer';
import { useLiveProducer } from './useLiveProducer';

const TEXT: Record<LiveStatus, string> = {
  connecting: 'Live: connecting…',
  live: 'Live',
  reconnecting: 'Live: reconnecting…',
  off: 'Live: off',
};

/** Screen readers hear what "Live" means; sighted learners see the short word. */
const EXPLAINED: Partial<Record<LiveStatus, string>> = {
  live: ': your proctor can see and hear you',
  reconnecting: '. Your exam and your recording carry on.',
};

const ICON: Record<LiveStatus, string> = { connecting: '◌', live: '●', reconnecting: '↻', off: '○' };

export function LiveIndicator({ status }: { readonly status: LiveStatus }) {
  return (
    <p className={`live-indicator live-indicator--${status}`} aria-live="polite">
      <span className="live-indicator__icon" aria-hidden="true">
        {ICON[status]}
      </span>{' '}
      {TEXT[status]}
      {EXPLAINED[status] && <span className="visually-hidden">{EXPLAINED[status]}</span>}
    </p>
  );
}

export function RaiseHandButton({ raised, disabled, onToggle }: { readonly raised: boolean; readonly disabled: boolean; readonly onToggle: (raised: boolean) => void }) {
  return (
    <button type="button" className="live-hand" aria-pressed={raised} disabled={disabled} onClick={() => onToggle(!raised)}>
      <span aria-hidden="true">✋</span> Raise hand
    </button>
  );
}

/**
 * The exam header's live proctoring: a quiet status line and the raise-hand toggle. Mounted by the
 * player from Begin to submit or leaving; its producer sends the recording's camera and microphone.
 */
export function LearnerLiveControls({
  sessionId,
  stream,
  onControl,
}: {
  readonly sessionId: string;
  readonly stream: MediaStream | null;
  /** The proctor's message, pause, resume and end as the socket pushes them. */
  readonly onControl?: (event: LearnerControlEvent) => void;
}) {
  const live = useLiveProducer(sessionId, stream, onControl);
  return (
    <div className="live-controls">
      <LiveIndicator status={live.status} />
      <RaiseHandButton raised={live.handRaised} disabled={live.status === 'off'} onToggle={live.raiseHand} />
    </div>
  );
}
