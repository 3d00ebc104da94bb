import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import type { LiveTile } from '../../../../shared/api/live';
import { useServices } from '../../app/services';
import { Dialog } from '../../components/Dialog';
import { usePageHeading } from '../../components/usePageHeading';
import type { ConsumedMedia, TileMedia, WatchStatus } from '../../services/live/liveWatcher';
import { TILES_PER_PAGE, flagText, sectionText, timeLeftText } from './liveText';
import { messageStateText, ProctorControls } from './ProctorControls';

const NO_MEDIA: TileMedia = { camera: null, microphone: null, screen: null, reconnecting: false };

const STATUS_TEXT: Record<WatchStatus, string> = {
  connecting: 'Connecting to live view…',
  live: '',
  reconnecting: 'Reconnecting to live view…',
  unavailable: 'Live view is not available right now; this page connects by itself when it is back.',
  off: 'Live view has stopped. Sign in again to watch.',
};

/**
 * Staff: every learner sitting an exam now, 16 to a page — camera (the small layer), name, exam,
 * section, time left, raised hand and recent flags. A tile opens a focused view with the large
 * layer, the learner's sound and their screen (when the desktop app sends it).
 */
export function LivePage() {
  const { live, clock, clockSync, setInterval, now } = useServices();
  const heading = usePageHeading('Live');
  const [watch] = useState(() => live.createWatcher());
  useEffect(() => {
    watch.start();
    return () => watch.stop();
  }, [watch]);
  useEffect(() => void clockSync.syncNow(), [clockSync]);
  const snap = useSyncExternalStore(
    (cb) => watch.subscribe(cb),
    () => watch.snapshot(),
  );
  const nowMs = useSecondTick(setInterval, now);

  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(snap.tiles.length / TILES_PER_PAGE));
  const current = Math.min(page, pages - 1);
  const shown = snap.tiles.slice(current * TILES_PER_PAGE, (current + 1) * TILES_PER_PAGE);
  const shownKey = JSON.stringify(shown.map((t) => t.sessionId));
  useEffect(() => watch.show(JSON.parse(shownKey) as string[]), [watch, shownKey]);

  const [focused, setFocused] = useState<string | null>(null);
  // The focused learner's name stays on the dialog after their tile goes (their exam ended).
  const [focusedName, setFocusedName] = useState('Learner');
  useEffect(() => watch.focus(focused), [watch, focused]);
  const attached = useCallback((consumerId: string) => watch.attached(consumerId), [watch]);
  const remaining = (deadline: number) => clock.remaining(deadline);
  const focusedTile = focused === null ? null : (snap.tiles.find((t) => t.sessionId === focused) ?? null);

  const statusText = STATUS_TEXT[snap.status];
  const empty = snap.status === 'live' && snap.tiles.length === 0;
  return (
    <section className="live-page" aria-labelledby="live-title">
      <div className="live-page__head">
        <h1 id="live-title" ref={heading} tabIndex={-1}>
          Live
        </h1>
        {snap.tiles.length > 0 && (
          <p className="live-page__count">
            {snap.tiles.length} {snap.tiles.length === 1 ? 'learner' : 'learners'} sitting an exam
          </p>
        )}
      </div>
      <p className="live-page__status" role="status">
        {empty ? 'No learners are sitting an exam right now.' : statusText}
      </p>
      {shown.length > 0 && (
        <ul className="live-grid" aria-label={pages > 1 ? `Learners, page ${current + 1} of ${pages}` : 'Learners'}>
          {shown.map((tile) => (
            <TileCard
              key={tile.sessionId}
              tile={tile}
              media={snap.media.get(tile.sessionId) ?? NO_MEDIA}
              timeLeft={timeLeftText(tile, remaining, nowMs)}
              onOpen={() => {
                setFocused(tile.sessionId);
                setFocusedName(tile.learnerName);
              }}
              onAttached={attached}
            />
          ))}
        </ul>
      )}
      {pages > 1 && (
        <nav className="live-pages" aria-label="Live pages">
          <button type="button" className="button button--secondary" disabled={current === 0} onClick={() => setPage(current - 1)}>
            Previous
          </button>
          <span>
            Page {current + 1} of {pages}
          </span>
          <button type="button" className="button button--secondary" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            Next
          </button>
        </nav>
      )}
      {focused !== null && (
        <FocusedView
          name={focusedTile?.learnerName ?? focusedName}
          tile={focusedTile}
          media={snap.media.get(focused) ?? NO_MEDIA}
          timeLeft={focusedTile ? timeLeftText(focusedTile, remaining, nowMs) : null}
          onAttached={attached}
          onClose={() => setFocused(null)}
        />
      )}
    </section>
  );
}

/** Wall-clock milliseconds, re-rendering once a second (the tiles' countdowns). */
function useSecondTick(setIntervalFn: (fn: () => void, ms: number) => () => void, now: () => number): number {
  const [ms, setMs] = useState(now);
  useEffect(() => setIntervalFn(() => setMs(now()), 1_000), [setIntervalFn, now]);
  return ms;
}

function TileCard({ tile, media, timeLeft, onOpen, onAttached }: {
  readonly tile: LiveTile;
  readonly media: TileMedia;
  readonly timeLeft: string | null;
  readonly onOpen: () => void;
  readonly onAttached: (consumerId: string) => void;
}) {
  const detailsId = useId();
  const waiting = media.camera === null ? (media.reconnecting ? 'Reconnecting…' : 'Connecting…') : null;
  return (
    <li className={`live-tile${tile.handRaised ? ' live-tile--hand' : ''}`}>
      <button
        type="button"
        className="live-tile__button"
        onClick={onOpen}
        aria-label={`${tile.learnerName}${tile.handRaised ? ', hand raised' : ''}${tile.pausedSince !== null ? ', paused' : ''}`}
        aria-describedby={detailsId}
        aria-haspopup="dialog"
      >
        <span className="live-tile__media">
          <ConsumedVideo media={media.camera} onAttached={onAttached} className="live-tile__video" />
          {waiting !== null && <span className="live-tile__waiting">{waiting}</span>}
          {tile.handRaised && (
            <span className="live-tile__hand">
              <span aria-hidden="true">✋</span> Hand raised
            </span>
          )}
        </span>
        <TileDetails id={detailsId} tile={tile} timeLeft={timeLeft} />
      </button>
    </li>
  );
}

function TileDetails({ id, tile, timeLeft }: { readonly id?: string; readonly tile: LiveTile; readonly timeLeft: string | null }) {
  return (
    <span id={id} className="live-tile__details">
      <span className="live-tile__name">{tile.learnerName}</span>
      <span className="live-tile__exam">{tile.examTitle}</span>
      <span className="live-tile__section">
        {sectionText(tile)}
        {timeLeft !== null && <span className="live-tile__time"> · {timeLeft}</span>}
      </span>
      {tile.pausedSince !== null && <span className="live-tile__paused">Paused</span>}
      {messageStateText(tile) !== null && <span className="live-tile__message">{messageStateText(tile)}</span>}
      {tile.recentFlags.length > 0 && (
        <span className="live-tile__flags">Recent flags: {tile.recentFlags.map(flagText).join(', ')}</span>
      )}
    </span>
  );
}

/** The focused tile: the large camera layer, the learner's sound and screen. Escape closes it. */
function FocusedView({ name, tile, media, timeLeft, onAttached, onClose }: {
  readonly name: string;
  readonly tile: LiveTile | null;
  readonly media: TileMedia;
  readonly timeLeft: string | null;
  readonly onAttached: (consumerId: string) => void;
  readonly onClose: () => void;
}) {
  return (
    <Dialog
      title={name}
      onCancel={onClose}
      actions={
        <button type="button" className="button button--primary" onClick={onClose}>
          Close
        </button>
      }
    >
      {tile === null ? (
        <p>This learner is no longer sitting an exam.</p>
      ) : (
        <div className="live-focus">
          <div className="live-focus__media">
            <ConsumedVideo media={media.camera} onAttached={onAttached} className="live-focus__video" label={`Camera of ${name}`} />
            {media.camera === null && <p className="live-focus__waiting">{media.reconnecting ? 'Reconnecting…' : 'Connecting…'}</p>}
            {media.screen !== null && (
              <ConsumedVideo media={media.screen} onAttached={onAttached} className="live-focus__video" label={`Screen of ${name}`} />
            )}
            <ConsumedAudio media={media.microphone} onAttached={onAttached} />
          </div>
          <div className="live-focus__info">
            <p className="live-focus__sound">{media.microphone !== null ? 'You are hearing this learner.' : 'Sound is connecting…'}</p>
            {tile.handRaised && (
              <p className="live-tile__hand live-tile__hand--inline">
                <span aria-hidden="true">✋</span> Hand raised
              </p>
            )}
            <TileDetails tile={tile} timeLeft={timeLeft} />
            <ProctorControls tile={tile} />
          </div>
        </div>
      )}
    </Dialog>
  );
}

/** Plays a consumed stream; the consumer is resumed once the element holds it (nothing flows before). */
function useAttach<E extends HTMLMediaElement>(media: ConsumedMedia | null, onAttached: (consumerId: string) => void) {
  const { log } = useServices();
  const ref = useRef<E>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element || !media) return;
    element.srcObject = media.stream;
    onAttached(media.consumerId);
    void element.play().catch((error: unknown) => log.warn('live media did not play', { error: String(error) }));
    return () => {
      element.srcObject = null;
    };
  }, [media, onAttached, log]);
  return ref;
}

function ConsumedVideo({ media, onAttached, className, label }: {
  readonly media: ConsumedMedia | null;
  readonly onAttached: (consumerId: string) => void;
  readonly className: string;
  readonly label?: string;
}) {
  const ref = useAttach<HTMLVideoElement>(media, onAttached);
  return (
    <video
      ref={ref}
      className={className}
      data-consumer={media?.consumerId}
      muted
      autoPlay
      playsInline
      aria-label={label}
      aria-hidden={label === undefined ? true : undefined}
    />
  );
}

function ConsumedAudio({ media, onAttached }: { readonly media: ConsumedMedia | null; readonly onAttached: (consumerId: string) => void }) {
  const ref = useAttach<HTMLAudioElement>(media, onAttached);
  return <audio ref={ref} autoPlay data-consumer={media?.consumerId} />;
}
