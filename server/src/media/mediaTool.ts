import { execFile } from 'node:child_process';

/** What the server needs from a media toolkit; ffmpeg in production, a fake where a test wants one. */
export interface MediaTool {
  /**
   * Rewrites the container without re-encoding, so the file gets a duration and cues (seek index).
   * The input is the concatenation of `inputs` in order (a take stored as its segment files).
   */
  remux(inputs: readonly string[], output: string): Promise<void>;
  /** Container duration in milliseconds. */
  durationMs(file: string): Promise<number>;
}

export interface FfmpegOptions {
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
  /** A remux of a two-hour take takes seconds; anything near this is a hung process. */
  readonly timeoutMs?: number;
}

function run(command: string, args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      const detail = missing ? `${command} is not installed or not on PATH` : stderr.trim().split('\n').slice(-3).join(' | ') || error.message;
      reject(new Error(`${command} failed: ${detail}`, { cause: error }));
    });
  });
}

/** One file as itself; several through ffmpeg's concat protocol, which reads them as one byte stream. */
function concatInput(inputs: readonly string[]): string {
  const [only, ...rest] = inputs;
  if (only === undefined) throw new Error('a remux needs at least one input file');
  if (rest.length === 0) return only;
  if (inputs.some((file) => file.includes('|'))) throw new Error('a file name with "|" cannot be read through ffmpeg\'s concat protocol');
  return `concat:${inputs.join('|')}`;
}

/**
 * How ffmpeg reads a take: always as Matroska (which reads WebM), never by probing, so bytes that
 * look like a playlist or a concat list are never followed; and only through the file and concat
 * protocols, so nothing in a file can make it open a URL.
 */
export function remuxArgs(inputs: readonly string[], output: string): string[] {
  return ['-v', 'error', '-nostdin', '-y', '-protocol_whitelist', 'file,concat', '-f', 'matroska', '-i', concatInput(inputs), '-map', '0', '-c', 'copy', '-f', 'webm', output];
}

/** ffprobe reads the remuxed take the same way: Matroska only, local files only. */
export function durationArgs(file: string): string[] {
  return ['-v', 'error', '-protocol_whitelist', 'file', '-f', 'matroska', '-show_entries', 'format=duration', '-of', 'default=noprint_wrappers=1:nokey=1', '-i', file];
}

/** Debian's ffmpeg/ffprobe (5.1) as child processes. */
export class FfmpegMediaTool implements MediaTool {
  private readonly timeoutMs: number;

  constructor(private readonly o: FfmpegOptions) {
    this.timeoutMs = o.timeoutMs ?? 10 * 60_000;
  }

  async remux(inputs: readonly string[], output: string): Promise<void> {
    await run(this.o.ffmpegPath, remuxArgs(inputs, output), this.timeoutMs);
  }

  async durationMs(file: string): Promise<number> {
    const out = await run(this.o.ffprobePath, durationArgs(file), this.timeoutMs);
    const seconds = Number.parseFloat(out.trim());
    if (!Number.isFinite(seconds)) throw new Error(`ffprobe reported no duration for the take (${out.trim() || 'empty output'})`);
    return Math.round(seconds * 1000);
  }
}
