import { forwardRef, useEffect, useImperativeHandle, useRef, type ReactNode } from 'react';
import { useServices } from '../../app/services';

/** A muted live `<video>` for the identity check, with an overlay slot (the card guide). */
export const CameraView = forwardRef<
  HTMLVideoElement | null,
  {
    readonly stream: MediaStream | null;
    readonly label: string;
    readonly mirrored: boolean;
    /** Called once a picture is showing (the first frame has arrived), and with false when the stream goes. */
    readonly onPicture?: (showing: boolean) => void;
    readonly children?: ReactNode;
  }
>(function CameraView({ stream, label, mirrored, onPicture, children }, forwarded) {
    const { log } = useServices();
    const ref = useRef<HTMLVideoElement>(null);
    useImperativeHandle(forwarded, () => ref.current as HTMLVideoElement, []);
    useEffect(() => {
      const video = ref.current;
      if (!video) return;
      video.srcObject = stream;
      const showing = () => onPicture?.(true);
      video.addEventListener('loadeddata', showing);
      if (stream) void video.play().catch((error: unknown) => log.warn('identity preview did not play', { error: String(error) }));
      return () => {
        video.removeEventListener('loadeddata', showing);
        video.srcObject = null;
        onPicture?.(false);
      };
    }, [stream, log, onPicture]);
    return (
      <div className="identity-camera">
        <video ref={ref} className={`identity-camera__video${mirrored ? ' identity-camera__video--mirrored' : ''}`} aria-label={label} muted autoPlay playsInline />
        {children}
      </div>
    );
});
