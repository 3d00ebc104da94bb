import { useEffect, useState } from 'react';
import { meterFraction } from '../../services/systemCheck/signalStats';
import type { MediaProbe } from '../../services/systemCheck/systemCheckEnvironment';

/** The microphone's level for the meter, 0..1, updated about ten times a second while the stream lives. */
export function useMicLevel(media: Pick<MediaProbe, 'listenLevel'>, stream: MediaStream | null): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!stream) return;
    const stop = media.listenLevel(stream, (dbfs) => setLevel(meterFraction(dbfs)));
    return () => {
      stop();
      setLevel(0);
    };
  }, [media, stream]);
  return level;
}
