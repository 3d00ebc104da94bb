import { useEffect, useRef } from 'react';
import { useServices } from '../../app/services';

/** A muted `<video>` showing a live stream (never its sound: the learner would hear themselves). */
export function LiveVideo({ stream, label, className }: { readonly stream: MediaStream | null; readonly label: string; readonly className?: string }) {
  const { log } = useServices();
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.srcObject = stream;
    // `autoPlay` alone left the preview paused on a black frame in Chromium when the stream arrived later.
    if (stream) void video.play().catch((error: unknown) => log.warn('video preview did not play', { error: String(error) }));
    return () => {
      video.srcObject = null;
    };
  }, [stream, log]);
  return <video ref={ref} className={className} aria-label={label} muted autoPlay playsInline />;
}
