import { forwardRef, useEffect, useImperativeHandle, useRef, type ReactNode } from 'react';
import { useServices } from '../../app/services';

/** A muted live `<video>` for the identity check, with an overlay slot (the card guide). */
export const CameraView = forwardRef<HTMLVideoElement | null, { readonly stream: MediaStream | null; readonly label: string; readonly mirrored: boolean; readonly children?: ReactNode }>(
  function CameraView({ stream, label, mirrored, children }, forwarded) {
    const { log } = useServices();
    const ref = useRef<HTMLVideoElement>(null);
    useImperativeHandle(forwarded, () => ref.current as HTMLVideoElement, []);
    useEffect(() => {
      const video = ref.current;
      if (!video) return;
      video.srcObject = stream;
      if (stream) void video.play().catch((error: unknown) => log.warn('identity preview did not play', { error: String(error) }));
      return () => {
        video.srcObject = null;
      };
    }, [stream, log]);
    return (
      <div className="identity-camera">
        <video ref={ref} className={`identity-camera__video${mirrored ? ' identity-camera__video--mirrored' : ''}`} aria-label={label} muted autoPlay playsInline />
        {children}
      </div>
    );
  },
);
