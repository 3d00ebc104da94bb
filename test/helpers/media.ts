import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** ffprobe's view of a recording file: its duration, and whether it carries a Cues element (fast seeking). */
export function probe(path: string): { durationS: number; hasCues: boolean } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', path], { encoding: 'utf8' });
  const durationS = Number((JSON.parse(out) as { format: { duration: string } }).format.duration);
  // The Matroska/WebM Cues element ID.
  const hasCues = readFileSync(path).includes(Buffer.from([0x1c, 0x53, 0xbb, 0x6b]));
  return { durationS, hasCues };
}

/** Stops the camera's video tracks as an unplugged camera would (a real unplug fires `ended`; stop() alone does not). */
export const unplugCameraScript = (): void => {
  for (const video of Array.from(document.querySelectorAll('video'))) {
    const stream = video.srcObject as MediaStream | null;
    for (const track of stream?.getVideoTracks() ?? []) {
      track.stop();
      track.dispatchEvent(new Event('ended'));
    }
  }
};
