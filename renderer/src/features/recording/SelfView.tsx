import { LiveVideo } from './LiveVideo';

/** A small live picture of what the camera records, so the learner can keep their face in view. */
export function SelfView({ stream }: { readonly stream: MediaStream | null }) {
  if (!stream) return null;
  return (
    <figure className="self-view">
      <LiveVideo stream={stream} label="Your camera (self-view)" className="self-view__video" />
      <figcaption className="self-view__caption">You are being recorded</figcaption>
    </figure>
  );
}
