import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
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
  // `direct` streams from the server with HTTP Range. Where the page's Content-Security-Policy does not
  // allow media from the server, the element refuses the URL, and each take is fetched whole into a blob.
  const [mode, setMode] = useState<'direct' | 'blob'>('direct');
  const [blobs, setBlobs] = useState<Readonly<Record<number, string>>>({});
  const blobsRef = useRef(blobs);
  useEffect(() => {
    blobsRef.current = blobs;
  });
  useEffect(() => () => Object.values(blobsRef.current).forEach((u) => URL.revokeObjectURL(u)), []);

  const path = grant.takes.find((t) => t.take === take)?.url;
  const src = path === undefined ? undefined : mode === 'direct' ? serverUrl + path : blobs[take];

  useEffect(() => {
    if (mode !== 'blob' || path === undefined || blobs[take] !== undefined) return;
    let live = true;
    void fetch(serverUrl + path, { cache: 'no-store' })
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const url = URL.createObjectURL(await res.blob());
        if (live) setBlobs((b) => ({ ...b, [take]: url }));
        else URL.revokeObjectURL(url);
      })
      .catch(() => {
        if (!live) return;
        // The link may have expired: a fresh grant comes back as a new `grant` prop and this runs again.
        if (!retried.current) {
          retried.current = true;
          void regrant();
        } else setProblem('This take could not be loaded. Reload the page; if it keeps failing, decide "not reviewable" with "recording unplayable".');
      });
    return () => {
      live = false;
    };
  }, [mode, path, take, blobs, serverUrl, regrant]);

  const seek = (second: number) => {
    const at = locate(timeline, second);
    const el = video.current;
    if (!at || !el) return;
    if (at.take !== take) {
      pendingSeek.current = { offset: at.offset, play: !el.paused };
      setTake(at.take);
    } else if (el.readyState < 1) {
      // Not loaded yet (a blob still downloading): seek once the metadata is in.
      pendingSeek.current = { offset: at.offset, play: false };
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
    if (mode === 'blob') {
      setProblem('This take could not be played. Reload the page; if it keeps failing, decide "not reviewable" with "recording unplayable".');
      return;
    }
    pendingSeek.current ??= { offset: el?.currentTime ?? 0, play: el ? !el.paused : false };
    // The URL answers? Then the page refused it (CSP): switch to blobs. A 401 means the link expired.
    void fetch(serverUrl + (path ?? ''), { headers: { range: 'bytes=0-0' }, cache: 'no-store' })
      .then((res) => {
        if (res.ok) setMode('blob');
        else if (!retried.current) {
          retried.current = true;
          void regrant().then((g) => {
            if (!g) setProblem('The video link has expired and a new one could not be fetched. Reload the page.');
          });
        } else setProblem('This take could not be played. Reload the page.');
      })
      .catch(() => setProblem('The server cannot be reached to play this take.'));
  };

  const playable = timeline.takes.filter((t) => t.playable);
  return (
    <div className="review-player">
      {path !== undefined ? (
        <video
          ref={video}
          className="review-player__video"
          src={src}
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
        <div className="review-player__none">
          <p>{playable.length === 0 ? 'No take is playable yet: the recording is still uploading or being processed.' : 'This take is not playable.'}</p>
        </div>
      )}
      {path !== undefined && src === undefined && !problem && <p role="status">Loading the recording…</p>}
      {problem && (
        <p className="review-player__problem" role="alert">
          {problem}
        </p>
      )}
      <div className="review-player__bar">
        <span className="review-player__time" aria-live="off">
          <span className="visually-hidden">Position </span>
          {formatSeconds(current)} / {formatSeconds(timeline.duration)}
        </span>
        {timeline.takes.length > 1 && (
          <div className="review-player__takes" role="group" aria-label="Takes">
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
