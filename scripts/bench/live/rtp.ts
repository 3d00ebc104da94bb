// RTP for bench:live: one low-layer VP8 clip encoded once by ffmpeg and captured in memory, then
// replayed in real time by many synthetic learners (one SSRC each) from one UDP socket, and a sink
// socket counting the RTP packets the SFU forwards.
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** Payload type the synthetic producers declare (ffmpeg's packets are rewritten to it). */
export const VP8_PAYLOAD_TYPE = 101;
const CLOCK_RATE = 90_000;

export interface Clip {
  readonly packets: readonly Buffer[];
  /** RTP timestamp of each packet relative to the first one. */
  readonly tsOffsets: readonly number[];
  /** One loop of the clip in RTP ticks (last frame's timestamp + one frame interval). */
  readonly durationTs: number;
  readonly durationMs: number;
  readonly kbps: number;
}

const rtpHeaderOk = (b: Buffer) => b.length >= 12 && b[0]! >> 6 === 2;
/** RTCP packet types 192–223 share the second byte's range with marker + payload type. */
const isRtcp = (b: Buffer) => b[1]! >= 192 && b[1]! <= 223;

/**
 * ffmpeg (Debian's, on PATH) encodes `seconds` of testsrc2 at `width`×`height`, `fps`, ~`kbps` with
 * libvpx in realtime mode and sends it as RTP to a loopback port: its packets, in order.
 */
export async function captureVp8Clip(opts: { seconds: number; width: number; height: number; fps: number; kbps: number }): Promise<Clip> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  socket.setRecvBufferSize(8 * 1024 * 1024);
  const port = (socket.address() as AddressInfo).port;
  const received: Buffer[] = [];
  socket.on('message', (msg: Buffer) => {
    if (rtpHeaderOk(msg) && !isRtcp(msg)) received.push(Buffer.from(msg));
  });
  const args = [
    ...['-hide_banner', '-loglevel', 'error', '-re'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=${opts.width}x${opts.height}:rate=${opts.fps}`],
    ...['-t', String(opts.seconds), '-an', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8'],
    ...['-b:v', `${opts.kbps}k`, '-maxrate', `${opts.kbps}k`, '-bufsize', `${opts.kbps * 2}k`, '-g', String(opts.fps * 3)],
    ...['-payload_type', String(VP8_PAYLOAD_TYPE), '-f', 'rtp', `rtp://127.0.0.1:${port}?pkt_size=1200`],
  ];
  const ffmpeg = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  ffmpeg.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    ffmpeg.once('error', reject);
    ffmpeg.once('close', resolve);
  });
  await new Promise((r) => setTimeout(r, 200));
  socket.close();
  if (code !== 0) throw new Error(`ffmpeg exited with ${code}: ${stderr.trim()}`);
  if (received.length < 10) throw new Error(`ffmpeg sent only ${received.length} RTP packets`);
  for (let i = 1; i < received.length; i += 1) {
    const expected = (received[i - 1]!.readUInt16BE(2) + 1) & 0xffff;
    if (received[i]!.readUInt16BE(2) !== expected) throw new Error(`the captured clip has a gap or reordering at packet ${i}`);
  }
  const ts0 = received[0]!.readUInt32BE(4);
  const tsOffsets = received.map((p) => (p.readUInt32BE(4) - ts0) >>> 0);
  const durationTs = tsOffsets.at(-1)! + Math.round(CLOCK_RATE / opts.fps);
  const durationMs = (durationTs / CLOCK_RATE) * 1000;
  const bytes = received.reduce((sum, p) => sum + p.length, 0);
  return { packets: received, tsOffsets, durationTs, durationMs, kbps: (bytes * 8) / durationMs };
}

interface Learner {
  readonly ssrc: number;
  readonly port: number;
  readonly startAt: number;
  readonly seqBase: number;
  readonly tsBase: number;
  loop: number;
  index: number;
}

/** Synthetic learners replaying one clip in real time from one socket, each to its own port and SSRC. */
export class Replayer {
  private readonly learners: Learner[] = [];
  private timer: NodeJS.Timeout | null = null;
  packetsSent = 0;
  bytesSent = 0;

  private constructor(
    private readonly clip: Clip,
    private readonly socket: Socket,
  ) {}

  static async open(clip: Clip): Promise<Replayer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    socket.setSendBufferSize(8 * 1024 * 1024);
    socket.on('message', () => undefined); // the SFU's RTCP receiver reports and PLIs: ignored
    return new Replayer(clip, socket);
  }

  /** A learner sending to `port` as `ssrc`, from a random point of the first frame interval on. */
  add(ssrc: number, port: number): void {
    const rand = (n: number) => Math.floor(Math.random() * n);
    this.learners.push({ ssrc, port, startAt: performance.now() + rand(100), seqBase: rand(0x10000), tsBase: rand(0x1_0000_0000), loop: 0, index: 0 });
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), 5);
  }

  private tick(): void {
    const { packets, tsOffsets, durationTs, durationMs } = this.clip;
    const now = performance.now();
    for (const l of this.learners) {
      while (l.startAt + l.loop * durationMs + (tsOffsets[l.index]! / CLOCK_RATE) * 1000 <= now) {
        const src = packets[l.index]!;
        const buf = Buffer.allocUnsafe(src.length);
        src.copy(buf);
        buf[1] = (src[1]! & 0x80) | VP8_PAYLOAD_TYPE;
        buf.writeUInt16BE((l.seqBase + l.loop * packets.length + l.index) & 0xffff, 2);
        buf.writeUInt32BE((l.tsBase + l.loop * durationTs + tsOffsets[l.index]!) % 0x1_0000_0000, 4);
        buf.writeUInt32BE(l.ssrc, 8);
        this.socket.send(buf, l.port, '127.0.0.1');
        this.packetsSent += 1;
        this.bytesSent += buf.length;
        l.index += 1;
        if (l.index === packets.length) {
          l.index = 0;
          l.loop += 1;
        }
      }
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.socket.close();
  }
}

/** One UDP socket receiving every forwarded stream: counts RTP packets and bytes of the SSRCs it knows. */
export class Sink {
  readonly ssrcs = new Set<number>();
  packets = 0;
  bytes = 0;
  private constructor(private readonly socket: Socket) {
    socket.on('message', (msg: Buffer) => {
      if (!rtpHeaderOk(msg) || isRtcp(msg) || !this.ssrcs.has(msg.readUInt32BE(8))) return;
      this.packets += 1;
      this.bytes += msg.length;
    });
  }

  static async open(): Promise<Sink> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    socket.setRecvBufferSize(8 * 1024 * 1024);
    return new Sink(socket);
  }

  get port(): number {
    return (this.socket.address() as AddressInfo).port;
  }

  close(): void {
    this.socket.close();
  }
}
