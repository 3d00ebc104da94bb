import type { FacePoint } from '../face/faceService';

/**
 * Head turn from the 68 landmarks (iBUG order: eyes 36–41 and 42–47, nose tip 30): how far the nose
 * tip sits from the middle between the eyes, in eye distances. Facing the camera it is near 0; a head
 * turned well to one side (reading something beside the screen) puts it past ±0.35. Only the turn is
 * judged: the tiny landmark model's pitch is too unsteady at webcam distance to tell looking down at
 * the keyboard from looking at notes.
 */
export const TURNED_AWAY = 0.35;

const centre = (points: readonly FacePoint[], from: number, to: number): FacePoint => {
  let x = 0;
  let y = 0;
  for (let i = from; i <= to; i++) {
    x += points[i]!.x;
    y += points[i]!.y;
  }
  const n = to - from + 1;
  return { x: x / n, y: y / n };
};

/** Signed turn (negative: towards the image's left), or null without 68 landmarks. */
export function headTurn(landmarks: readonly FacePoint[] | null | undefined): number | null {
  if (!landmarks || landmarks.length !== 68) return null;
  const a = centre(landmarks, 36, 41);
  const b = centre(landmarks, 42, 47);
  const eyes = Math.hypot(b.x - a.x, b.y - a.y);
  if (eyes < 1) return null;
  // Project the nose onto the line through the eyes, so a tilted head is not read as turned.
  const ux = (b.x - a.x) / eyes;
  const uy = (b.y - a.y) / eyes;
  const nose = landmarks[30]!;
  const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  return ((nose.x - mid.x) * ux + (nose.y - mid.y) * uy) / eyes;
}
