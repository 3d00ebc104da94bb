import { useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { PlaybackGrant } from '../../../../shared/api/review';
import { FlagTimeline } from './FlagTimeline';
import { formatSeconds, locate, timelineSecond, type PlacedFlag, type Timeline } from './timeline';

export interface PlayerHandle {
  seek(second: number): void;
  togglePlay(): void;
  /** Timeline seconds at the playhead. */
  current(): number;
}

export interface RecordingPlayerProps {
  readonly ref?: Ref<PlayerHandle>;
  readonly timeline: Timeline;
  readonly flags: readonly PlacedFlag[];
  readonly grant: PlaybackGrant;
  readonly serverUrl: string;
  readonly selectedFlagId: string | null;
  readonly onSelectFlag: (flag: PlacedFlag) => void;
  /** The links last minutes; asked for again when the video fails to load. */
  readonly regrant: () => Promise<PlaybackGrant | null>;
}

/**
 * One `<video>` over the session's takes: seeking to a second in another take switches the source and
 * seeks once its metadata is in; at a take's end the next one starts. Native controls stay (keyboard and
 * screen-reader friendly); the flag timeline sits under it.
 */
export function RecordingPlayer({ ref, timeline, flags, grant, serverUrl, selectedFlagId, onSelectFlag, regrant }: RecordingPlayerProps) {
  const video = useRef<HTMLVideoElement>(null);
  const firstPlayable = timeline.takes.find((t) => t.playable)?.index ?? 0;
  const [take, setTake] = useState(firstPlayable);
  const [current, setCurrent] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const pendingSeek = useRef<{ offset: number; play: boolean } | null>(null);
  const retried = useRef(false);

  const src = grant.takes.find((t) => t.take === take)?.url;

  const seek = (second: number) => {
    const at = locate(timeline, second);
    const el = video.current;
    if (!at || !el) return;
    if (at.take !== take) {
      pendingSeek.current = { offset: at.offset, play: !el.paused };
      setTake(at.take);
    } else {
      el.currentTime = at.offset;
    }
    setCurrent(second);
  };

  useImperativeHandle(ref, () => ({
    seek,
    togglePlay: () => {
      const el = video.current;
      if (!el) return;
      if (el.paused) void el.play().catch(() => undefined);
      else el.pause();
    },
    current: () => (video.current ? timelineSecond(timeline, take, video.current.currentTime) : current),
  }));

  const onLoaded = () => {
    const el = video.current;
    const pending = pendingSeek.current;
    if (!el || !pending) return;
    pendingSeek.current = null;
    el.currentTime = pending.offset;
    if (pending.play) void el.play().catch(() => undefined);
  };
  const onTime = () => {
    const el = video.current;
    if (el) setCurrent(timelineSecond(timeline, take, el.currentTime));
  };
  const onEnded = () => {
    const next = timeline.takes.find((t) => t.index > take && t.playable);
    if (next) {
      pendingSeek.current = { offset: 0, play: true };
      setTake(next.index);
    }
  };
  const onError = () => {
    const el = video.current;
    if (retried.current) {
      setProblem('This take could not be played. Reload the page; if it keeps failing, mark the review "recording unplayable".');
      return;
    }
    retried.current = true;
    pendingSeek.current = { offset: el?.currentTime ?? 0, play: el ? !el.paused : false };
    // A fresh grant comes back as a new `grant` prop, so the video reloads with the new link.
    void regrant().then((g) => {
      if (!g) setProblem('The video link has expired and a new one could not be fetched. Reload the page.');
    });
  };

  const playable = timeline.takes.filter((t) => t.playable);
  return (
    <div className="player">
      {src ? (
        <video
          ref={video}
          className="player__video"
          src={serverUrl + src}
          controls
          preload="metadata"
          aria-label={`Recording, take ${take + 1} of ${timeline.takes.length}`}
          onLoadedMetadata={onLoaded}
          onTimeUpdate={onTime}
          onSeeked={onTime}
          onEnded={onEnded}
          onError={onError}
          onPlaying={() => {
            retried.current = false;
            setProblem(null);
          }}
        />
      ) : (
        <div className="player__none">
          <p>{playable.length === 0 ? 'No take is playable yet: the recording is still uploading or being processed.' : 'This take is not playable.'}</p>
        </div>
      )}
      {problem && (
        <p className="player__problem" role="alert">
          {problem}
        </p>
      )}
      <div className="player__bar">
        <span className="player__time" aria-live="off">
          <span className="visually-hidden">Position </span>
          {formatSeconds(current)} / {formatSeconds(timeline.duration)}
        </span>
        {timeline.takes.length > 1 && (
          <div className="player__takes" role="group" aria-label="Takes">
            {timeline.takes.map((t) => (
              <button
                key={t.index}
                type="button"
                className="button button--ghost button--small"
                aria-pressed={t.index === take}
                disabled={!t.playable}
                onClick={() => seek(t.from)}
              >
                Take {t.index + 1} <span className="muted">({formatSeconds(t.from)})</span>
              </button>
            ))}
          </div>
        )}
      </div>
      <FlagTimeline
        timeline={timeline}
        flags={flags}
        current={current}
        selectedId={selectedFlagId}
        onSeekSecond={seek}
        onSeekFlag={(f) => {
          onSelectFlag(f);
          seek(f.at);
        }}
      />
    </div>
  );
}
