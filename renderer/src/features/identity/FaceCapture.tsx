import { useRef, useState } from 'react';
import type { FaceBox } from '../../../../shared/api/identity';
import { useServices } from '../../app/services';
import type { Still } from '../../services/stillCapture/stillCamera';
import { CameraView } from './CameraView';
import { useFocusOnMount } from './useFocusOnMount';

/** The face photo as the step keeps it: the still, the faces found, and the descriptor to compare with the ID. */
export interface FacePhoto {
  readonly still: Still;
  readonly faces: readonly FaceBox[];
  readonly descriptor: Float32Array | null;
  /** False when the face service could not run: the proctor compares by eye. */
  readonly checked: boolean;
}

export interface FaceCaptureProps {
  readonly stream: MediaStream | null;
  readonly busy: boolean;
  readonly onUse: (photo: FacePhoto) => void;
}

/** Step 1: a photo of the learner's face, with exactly one face in it (when the detector can tell). */
export function FaceCapture({ stream, busy, onUse }: FaceCaptureProps) {
  const { stills, faces, log } = useServices();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const video = useRef<HTMLVideoElement | null>(null);
  const [photo, setPhoto] = useState<FacePhoto | null>(null);
  const [taking, setTaking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // Take photo waits for the first frame: a photo of nothing would only fail.
  const [picture, setPicture] = useState(false);

  const take = async () => {
    if (!video.current || !stream) {
      setProblem('The camera picture is not ready yet. Wait for it to appear, then choose Take photo again.');
      return;
    }
    setTaking(true);
    setProblem(null);
    const still = await stills.capture(video.current, stream);
    if (!still.ok) {
      setTaking(false);
      setProblem(`${still.error.message} Wait for the picture to appear, then choose Take photo again.`);
      return;
    }
    const found = await faces.detect(still.value.canvas, { withDescriptor: true });
    if (!found.ok) log.warn('face detection unavailable for the face photo', { code: found.error.code });
    setPhoto({
      still: still.value,
      faces: found.ok ? found.value.map((f) => f.box) : [],
      descriptor: found.ok && found.value.length === 1 ? (found.value[0]!.descriptor ?? null) : null,
      checked: found.ok,
    });
    setTaking(false);
  };

  const retake = () => {
    if (photo) stills.discard(photo.still);
    setPhoto(null);
  };

  const verdict = photo ? faceVerdict(photo) : null;
  return (
    <div className="identity__stage">
      <h3 ref={heading} tabIndex={-1}>
        Step 1 of 2: a photo of your face
      </h3>
      <p>Sit facing the camera in good light, with only you in the picture, then choose Take photo.</p>
      <div className="identity__media">
        {photo ? (
          <img className="identity__still" src={photo.still.url} alt="The photo of your face you took" />
        ) : (
          <CameraView ref={video} stream={stream} label="Your camera preview" mirrored onPicture={setPicture} />
        )}
      </div>
      <div role="status" className="identity__status">
        {taking && 'Taking the photo…'}
        {verdict && <p className={verdict.ok ? 'check-line check-line--ok' : 'notice notice--warning'}>{verdict.text}</p>}
        {problem && <p className="notice notice--danger">{problem}</p>}
      </div>
      <div className="actions">
        {photo ? (
          <>
            {verdict?.ok && (
              <button type="button" className="button button--primary" disabled={busy} onClick={() => onUse(photo)}>
                Use this photo
              </button>
            )}
            <button type="button" className={`button ${verdict?.ok ? 'button--secondary' : 'button--primary'}`} disabled={busy} onClick={retake}>
              Retake
            </button>
          </>
        ) : (
          <button type="button" className="button button--primary" disabled={!stream || !picture || taking} onClick={() => void take()}>
            Take photo
          </button>
        )}
      </div>
    </div>
  );
}

function faceVerdict(photo: FacePhoto): { ok: boolean; text: string } {
  if (!photo.checked) return { ok: true, text: 'Face detection is not available on this computer. A proctor will compare your photo with your ID.' };
  if (photo.faces.length === 1) return { ok: true, text: '✓ Your face is clearly in the photo.' };
  if (photo.faces.length === 0) return { ok: false, text: 'No face was found in the photo. Face the camera in good light, then choose Retake.' };
  return { ok: false, text: `${photo.faces.length} faces were found in the photo. Only you should be in the picture: choose Retake.` };
}
