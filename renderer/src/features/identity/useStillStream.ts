import { useEffect, useState } from 'react';
import { useServices } from '../../app/services';
import type { CameraErrorCode } from '../../services/camera/cameraErrors';
import { stopStream } from '../../services/camera/cameraService';

export type StillStreamState =
  | { readonly phase: 'opening' }
  | { readonly phase: 'live'; readonly stream: MediaStream }
  | { readonly phase: 'failed'; readonly code: CameraErrorCode };

/**
 * The identity check's own camera stream, at the camera's largest size, on the camera the learner
 * chose for the recording. Open while `active`; closed when the step ends (before recording starts).
 */
export function useStillStream(active: boolean, round: number): StillStreamState {
  const { stills, recording } = useServices();
  // Each opening is one generation; a state from an earlier one reads as `opening`.
  const [opened, setOpened] = useState<{ readonly generation: number; readonly state: StillStreamState } | null>(null);
  const [generation, setGeneration] = useState(0);
  const current = `${active}:${round}`;
  const [seen, setSeen] = useState(current);
  if (seen !== current) {
    setSeen(current);
    setGeneration((g) => g + 1);
  }
  useEffect(() => {
    if (!active) return;
    let live = true;
    let stream: MediaStream | null = null;
    const setState = (state: StillStreamState) => setOpened({ generation, state });
    void stills.open(recording.devices().cameraId).then((opened) => {
      if (!live) {
        if (opened.ok) stopStream(opened.value);
        return;
      }
      if (opened.ok) {
        stream = opened.value;
        setState({ phase: 'live', stream });
      } else {
        setState({ phase: 'failed', code: opened.error.code });
      }
    });
    return () => {
      live = false;
      stopStream(stream);
    };
  }, [stills, recording, active, generation]);
  return opened && opened.generation === generation ? opened.state : { phase: 'opening' };
}
