import { HEARD_DBFS, type SoundSample } from './checkItems';
import type { MediaProbe } from './systemCheckEnvironment';

/**
 * Listens to the stream's microphone until a level above `HEARD_DBFS` arrives or `ms` pass;
 * resolves early as soon as sound is heard.
 */
export function listenForSound(
  media: Pick<MediaProbe, 'listenLevel'>,
  stream: MediaStream,
  deps: { readonly setTimeout: (fn: () => void, ms: number) => () => void; readonly now: () => number },
  ms: number,
): Promise<SoundSample> {
  return new Promise((resolve) => {
    const started = deps.now();
    let peak = -Infinity;
    let finished = false;
    let stop = () => {};
    let cancelTimer = () => {};
    const finish = (heard: boolean) => {
      if (finished) return;
      finished = true;
      stop();
      cancelTimer();
      resolve({ heard, peakDbfs: Number.isFinite(peak) ? peak : null, listenedMs: deps.now() - started });
    };
    stop = media.listenLevel(stream, (dbfs) => {
      peak = Math.max(peak, dbfs);
      if (dbfs > HEARD_DBFS) finish(true);
    });
    if (finished) stop();
    else cancelTimer = deps.setTimeout(() => finish(false), ms);
  });
}
