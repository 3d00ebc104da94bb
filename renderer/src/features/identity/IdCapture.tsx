import { useCallback, useEffect, useRef, useState } from 'react';
import { MAX_IDENTITY_ATTEMPTS } from '../../../../shared/api/identity';
import { useServices } from '../../app/services';
import type { Still } from '../../services/stillCapture/stillCamera';
import { ANALYSIS_HEIGHT, ANALYSIS_WIDTH, type FrameTrace, type Guidance, SteadyCardGate, guideRect, measureFrame } from './cardAnalysis';
import { CameraView } from './CameraView';
import { guidanceText } from './identityText';
import { useFocusOnMount } from './useFocusOnMount';

/** Samples of the guide region per second: 10 makes "steady for 0.6 s" six samples. */
export const SAMPLE_INTERVAL_MS = 100;

export interface IdCaptureProps {
  readonly stream: MediaStream | null;
  readonly attempt: number;
  readonly busy: boolean;
  readonly onUse: (still: Still, capture: 'auto' | 'button') => void;
}

/** Step 2: the ID inside a card-shaped guide, taken automatically when steady and sharp (or by button), then checked by the learner. */
export function IdCapture({ stream, attempt, busy, onUse }: IdCaptureProps) {
  const { stills, setInterval, log } = useServices();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const video = useRef<HTMLVideoElement | null>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [guidance, setGuidance] = useState<Guidance | 'starting'>('starting');
  const [progress, setProgress] = useState(0);
  const [shot, setShot] = useState<{ still: Still; capture: 'auto' | 'button' } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const capturing = useRef(false);

  const take = useCallback(
    async (capture: 'auto' | 'button') => {
      if (!video.current || !stream || capturing.current) return;
      capturing.current = true;
      const still = await stills.capture(video.current, stream);
      capturing.current = false;
      if (!still.ok) {
        setProblem(`${still.error.message} Try again.`);
        return;
      }
      setProblem(null);
      setShot({ still: still.value, capture });
    },
    [stills, stream],
  );

  // The auto-capture: sample the guide region, judge it, take the still once it has been good long enough.
  useEffect(() => {
    if (shot || !stream) return;
    const gate = new SteadyCardGate();
    let previous: FrameTrace | null = null;
    return setInterval(() => {
      const v = video.current;
      if (!v || capturing.current || v.videoWidth === 0) return;
      const frame = stills.sample(v, guideRect(v.videoWidth, v.videoHeight), { width: ANALYSIS_WIDTH, height: ANALYSIS_HEIGHT });
      if (!frame) return;
      const { metrics, trace } = measureFrame(frame, previous);
      previous = trace;
      const state = gate.push(metrics);
      setGuidance(state.guidance);
      setProgress(state.progress);
      if (state.guidance === 'ready') {
        log.info('ID auto-capture', { sharpness: Math.round(metrics.sharpness), motion: metrics.motion });
        gate.reset();
        void take('auto');
      }
    }, SAMPLE_INTERVAL_MS);
  }, [shot, stream, stills, setInterval, take, log]);

  const retake = () => {
    if (shot) stills.discard(shot.still);
    setShot(null);
    setGuidance('starting');
    setProgress(0);
  };

  const guide = size ? guideRect(size.width, size.height) : null;
  return (
    <div className="identity__stage">
      <h3 ref={heading} tabIndex={-1}>
        Step 2 of 2: your ID (attempt {attempt} of {MAX_IDENTITY_ATTEMPTS})
      </h3>
      {shot ? (
        <>
          <p>Check the photo: your name and photo should be sharp, with no part of the ID cut off or hidden by glare.</p>
          <div className="identity__media">
            <img className="identity__still" src={shot.still.url} alt="The photo of your ID you took" />
          </div>
          <p className="fineprint">
            {shot.still.width} × {shot.still.height} pixels, taken {shot.capture === 'auto' ? 'automatically' : 'with the button'}.
          </p>
          <div className="actions">
            <button type="button" className="button button--primary" disabled={busy} onClick={() => onUse(shot.still, shot.capture)}>
              Use this photo
            </button>
            <button type="button" className="button button--secondary" disabled={busy} onClick={retake}>
              Retake
            </button>
          </div>
        </>
      ) : (
        <>
          <p>
            Hold your ID card, passport photo page or driving licence inside the frame, with your name and photo towards the camera. The
            photo is taken automatically when your ID is steady and sharp, or choose Capture now.
          </p>
          <div className="identity__media">
            <CameraView ref={video} stream={stream} label="Your camera preview with a frame for your ID" mirrored={false}>
              {guide && size && (
                <svg className="identity-guide" viewBox={`0 0 ${size.width} ${size.height}`} aria-hidden="true" preserveAspectRatio="none">
                  <path
                    className="identity-guide__shade"
                    fillRule="evenodd"
                    d={`M0 0H${size.width}V${size.height}H0Z M${guide.x} ${guide.y}h${guide.width}v${guide.height}h${-guide.width}Z`}
                  />
                  <rect
                    className={`identity-guide__frame identity-guide__frame--${guidance === 'hold_still' || guidance === 'ready' ? 'good' : 'waiting'}`}
                    x={guide.x}
                    y={guide.y}
                    width={guide.width}
                    height={guide.height}
                    rx={guide.width * 0.04}
                  />
                </svg>
              )}
            </CameraView>
            <SizeWatcher video={video} onSize={setSize} />
          </div>
          <div className="identity__guidance" role="status" aria-live="polite">
            <p>
              <span aria-hidden="true">{guidance === 'hold_still' || guidance === 'ready' ? '✓ ' : '• '}</span>
              {guidanceText[guidance]}
            </p>
          </div>
          <div className="identity__steady" aria-hidden="true">
            <div className="identity__steady-bar" style={{ width: `${Math.round(progress * 100)}%` }} />
          </div>
          {problem && (
            <p className="notice notice--danger" role="alert">
              {problem}
            </p>
          )}
          <div className="actions">
            <button type="button" className="button button--primary" disabled={!stream || busy} onClick={() => void take('button')}>
              Capture now
            </button>
          </div>
        </>
      )}
    </div>
  );
}

/** Reports the video's pixel size once known (the guide is drawn in video pixels). */
function SizeWatcher({ video, onSize }: { readonly video: React.RefObject<HTMLVideoElement | null>; readonly onSize: (s: { width: number; height: number }) => void }) {
  useEffect(() => {
    const v = video.current;
    if (!v) return;
    const update = () => v.videoWidth > 0 && onSize({ width: v.videoWidth, height: v.videoHeight });
    update();
    v.addEventListener('loadedmetadata', update);
    v.addEventListener('resize', update);
    return () => {
      v.removeEventListener('loadedmetadata', update);
      v.removeEventListener('resize', update);
    };
  }, [video, onSize]);
  return null;
}
