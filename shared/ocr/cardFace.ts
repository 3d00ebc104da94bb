/**
 * Where the ID card sits in a still and which face is the one printed on it: the same rule for the
 * app's capture guide and comparison and for the review server's own comparison.
 */

/** ID-1 (credit-card size ID cards and licences): 85.6 mm × 54 mm. */
export const ID1_RATIO = 85.6 / 54;

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The card-shaped guide in a frame: 80 % of the width, ID-1 proportions, centred; on a wide frame
 * (16:9) the height is capped at 85 % so the whole guide stays in view. Integer pixels.
 */
export function guideRect(frameWidth: number, frameHeight: number): Rect {
  let width = frameWidth * 0.8;
  let height = width / ID1_RATIO;
  if (height > frameHeight * 0.85) {
    height = frameHeight * 0.85;
    width = height * ID1_RATIO;
  }
  const w = Math.round(width);
  const h = Math.round(height);
  return { x: Math.round((frameWidth - w) / 2), y: Math.round((frameHeight - h) / 2), width: w, height: h };
}

/**
 * The face printed on the card, among the faces found in an ID still: one whose centre lies inside
 * the card guide (the learner's own face is usually in the frame too, beside or above the card),
 * the smallest if several. Null when none is inside: comparing the live face with itself would
 * report a match that means nothing.
 */
export function cardFace<F extends { readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number } }>(
  faces: readonly F[],
  frameWidth: number,
  frameHeight: number,
): F | null {
  const guide = guideRect(frameWidth, frameHeight);
  const inside = faces.filter(({ box }) => {
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    return cx >= guide.x && cx <= guide.x + guide.width && cy >= guide.y && cy <= guide.y + guide.height;
  });
  return inside.reduce<F | null>((best, f) => (best === null || f.box.width * f.box.height < best.box.width * best.box.height ? f : best), null);
}
