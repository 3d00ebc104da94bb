import { describe, expect, it } from 'vitest';
import type { FacePoint } from '../face/faceService';
import { headTurn, TURNED_AWAY } from './headPose';

/** 68 points with the eyes at 36–47 around (cx±20, 100) and the nose tip at (noseX, 130), optionally rotated (tilt). */
function face(noseX: number, tiltDeg = 0, cx = 200): FacePoint[] {
  const points: FacePoint[] = Array.from({ length: 68 }, () => ({ x: cx, y: 150 }));
  for (let i = 36; i <= 41; i++) points[i] = { x: cx - 20 + (i - 38.5), y: 100 };
  for (let i = 42; i <= 47; i++) points[i] = { x: cx + 20 + (i - 44.5), y: 100 };
  points[30] = { x: noseX, y: 130 };
  const t = (tiltDeg * Math.PI) / 180;
  return points.map((p) => ({ x: cx + (p.x - cx) * Math.cos(t) - (p.y - 100) * Math.sin(t), y: 100 + (p.x - cx) * Math.sin(t) + (p.y - 100) * Math.cos(t) }));
}

describe('head turn', () => {
  it('is near zero facing the camera, even with the head tilted', () => {
    expect(Math.abs(headTurn(face(200))!)).toBeLessThan(0.01);
    expect(Math.abs(headTurn(face(200, 20))!)).toBeLessThan(0.01);
  });

  it('passes the limit when the nose is far to one side of the eyes', () => {
    expect(headTurn(face(218))!).toBeGreaterThan(TURNED_AWAY);
    expect(headTurn(face(182))!).toBeLessThan(-TURNED_AWAY);
    expect(Math.abs(headTurn(face(205))!)).toBeLessThan(TURNED_AWAY);
  });

  it('needs all 68 points', () => {
    expect(headTurn(null)).toBeNull();
    expect(headTurn(face(200).slice(0, 5))).toBeNull();
  });
});
