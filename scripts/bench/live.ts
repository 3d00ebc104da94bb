// npm run --silent bench:live — the live proctoring SFU's cost per forwarded learner stream, and a
// proctor's 16-tile grid in Chromium.
// Part 1: one mediasoup worker (the product's worker binary, server/src/live/workerLocation.ts) and a
// router with the product's codecs. ffmpeg encodes one low-layer clip once (testsrc2 at 160×120, the
// 640×480 camera scaled down by 4, 10 fps, ~100 kbit/s, libvpx realtime), captured as RTP in memory.
// N synthetic learners replay it in real time (own SSRC; sequence numbers and timestamps continue
// across loops), each into a PlainTransport + VP8 Producer; one Consumer per producer on a
// PlainTransport forwards it to a sink socket here that counts the packets. The worker's CPU
// (getResourceUsage: ru_utime + ru_stime) over a steady window gives CPU % of one core per forwarded
// stream, and streamsPerCore from the largest N that delivered ≥ 95 % of the packets sent (else the
// figure is invalid and `valid` is false). senderCpuPercent is this Node process (replay + sinks).
// Part 2: Debian Chromium consumes 16 of the producers through a WebRtcTransport with mediasoup-client
// into 16 muted 160×120 <video> tiles; all Chromium processes' CPU from /proc minus an idle page's.
// Goal: ≥ 200 learner streams at the low layer per core; the 16-tile grid ≤ 50 % of a core in Chromium.
// Env: BENCH_LIVE_STREAMS (50,100,200), BENCH_SECONDS (20) per window after BENCH_WARMUP (5) s,
// BENCH_LIVE_TILES (16). `--smoke`: 5 streams, 3 s windows, 2 tiles (scripts/bench/smoke.ts).
// Last line JSON: {"streams","workerCpuPercent","cpuPercentPerStream","streamsPerCore","deliveredRatio",
// "senderCpuPercent","goalStreamsPerCore","meetsGoal","gridCpuPercent","gridTilesPlaying",...}.
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { LIVE_MEDIA_CODECS } from '../../server/src/live/codecs';
import { locateWorkerBin } from '../../server/src/live/workerLocation';
import { captureVp8Clip, type Clip, Replayer, Sink, VP8_PAYLOAD_TYPE } from './live/rtp';
import { measureGrid } from './live/grid';
import { smoke, sizeFromEnv, smokeMark } from './smoke';

const STREAMS: number[] = (process.env.BENCH_LIVE_STREAMS ?? (smoke ? '5' : '50,100,200'))
  .split(',')
  .map((s) => Number(s.trim()));
if (STREAMS.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`BENCH_LIVE_STREAMS must list positive integers, not "${process.env.BENCH_LIVE_STREAMS}"`);
const SECONDS = sizeFromEnv('BENCH_SECONDS', 20, 3);
const WARMUP = sizeFromEnv('BENCH_WARMUP', 5, 1);
const TILES = Math.round(sizeFromEnv('BENCH_LIVE_TILES', 16, 2));
const GOAL_STREAMS_PER_CORE = 200;
const GOAL_GRID_CPU = 50;
const MIN_DELIVERED = 0.95;
const log = (line: string) => process.stderr.write(`[bench:live] ${line}\n`);
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LOOPBACK = { protocol: 'udp' as const, ip: '127.0.0.1' };

const producerRtpParameters = (ssrc: number): types.RtpParameters => ({
  codecs: [
    {
      mimeType: 'video/VP8',
      payloadType: VP8_PAYLOAD_TYPE,
      clockRate: 90_000,
      rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
    },
  ],
  encodings: [{ ssrc }],
});

/** N learners producing into `router`, replayed by one Replayer; closing them closes their transports. */
async function startLearners(router: types.Router, clip: Clip, n: number, firstSsrc: number) {
  const replayer = await Replayer.open(clip);
  const transports: types.Transport[] = [];
  const producers: types.Producer[] = [];
  for (let i = 0; i < n; i += 1) {
    const transport = await router.createPlainTransport({ listenInfo: LOOPBACK, comedia: true, rtcpMux: true });
    transports.push(transport);
    const ssrc = firstSsrc + i;
    producers.push(await transport.produce({ kind: 'video', rtpParameters: producerRtpParameters(ssrc) }));
    replayer.add(ssrc, transport.tuple.localPort);
  }
  return {
    replayer,
    producers,
    close() {
      replayer.close();
      for (const t of transports) t.close();
    },
  };
}

interface StepResult {
  readonly streams: number;
  readonly workerCpuPercent: number;
  readonly cpuPercentPerStream: number;
  readonly deliveredRatio: number;
  readonly senderCpuPercent: number;
  readonly kbpsPerStream: number;
}

async function forwardStep(worker: types.Worker, router: types.Router, clip: Clip, n: number): Promise<StepResult> {
  const sink = await Sink.open();
  const consumerTransports: types.Transport[] = [];
  const learners = await startLearners(router, clip, n, 0x1000_0000);
  try {
    // Consumers first, so each one's first packet is the clip's key frame (a simple consumer drops
    // video until a key frame).
    for (const producer of learners.producers) {
      const transport = await router.createPlainTransport({ listenInfo: LOOPBACK, comedia: false, rtcpMux: true });
      consumerTransports.push(transport);
      await transport.connect({ ip: '127.0.0.1', port: sink.port });
      const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
      sink.ssrcs.add(consumer.rtpParameters.encodings![0]!.ssrc!);
    }
    learners.replayer.start();
    await sleep(WARMUP * 1000);
    const cpu = async () => {
      const u = await worker.getResourceUsage();
      return u.ru_utime + u.ru_stime;
    };
    const w0 = await cpu();
    const s0 = process.cpuUsage();
    const t0 = performance.now();
    const sent0 = learners.replayer.packetsSent;
    const got0 = sink.packets;
    const bytes0 = sink.bytes;
    await sleep(SECONDS * 1000);
    const w1 = await cpu();
    const s1 = process.cpuUsage(s0);
    const wallMs = performance.now() - t0;
    // Packets in flight at the window's edges: let the last ones arrive before counting.
    const sent = learners.replayer.packetsSent - sent0;
    await sleep(100);
    const got = sink.packets - got0;
    const workerCpuPercent = ((w1 - w0) / wallMs) * 100;
    const result: StepResult = {
      streams: n,
      workerCpuPercent: round(workerCpuPercent, 1),
      cpuPercentPerStream: round(workerCpuPercent / n, 4),
      deliveredRatio: round(Math.min(got, sent) / Math.max(1, sent), 4),
      senderCpuPercent: round(((s1.user + s1.system) / 1000 / wallMs) * 100, 1),
      kbpsPerStream: round(((sink.bytes - bytes0) * 8) / wallMs / n, 1),
    };
    log(
      `${n} streams: worker ${result.workerCpuPercent} % of a core (${result.cpuPercentPerStream} % per stream), ` +
        `delivered ${round(result.deliveredRatio * 100, 1)} % of ${sent} packets, ${result.kbpsPerStream} kbit/s per stream, ` +
        `sender ${result.senderCpuPercent} %`,
    );
    return result;
  } finally {
    learners.close();
    for (const t of consumerTransports) t.close();
    sink.close();
  }
}

async function main(): Promise<void> {
  const bin = locateWorkerBin();
  if (!bin.ok) throw new Error(bin.reason);
  log(`worker ${bin.path}; streams ${STREAMS.join(', ')}; ${WARMUP} s warm-up + ${SECONDS} s each${smoke ? ' (smoke run)' : ''}`);
  const clipSeconds = smoke ? 3 : 10;
  log(`encoding ${clipSeconds} s of 160×120 VP8 at 10 fps with ffmpeg…`);
  const clip = await captureVp8Clip({ seconds: clipSeconds, width: 160, height: 120, fps: 10, kbps: 100 });
  log(`clip: ${clip.packets.length} RTP packets, ${round(clip.durationMs / 1000, 1)} s, ${round(clip.kbps, 1)} kbit/s`);

  const worker = await mediasoup.createWorker({ workerBin: bin.path, logLevel: 'warn' });
  try {
    const router = await worker.createRouter({ mediaCodecs: LIVE_MEDIA_CODECS });
    const steps: StepResult[] = [];
    for (const n of STREAMS) {
      log(`${n} streams…`);
      steps.push(await forwardStep(worker, router, clip, n));
    }
    const valid = steps.filter((s) => s.deliveredRatio >= MIN_DELIVERED);
    const best = valid.length > 0 ? valid.reduce((a, b) => (b.streams > a.streams ? b : a)) : steps.reduce((a, b) => (b.streams > a.streams ? b : a));
    const streamsPerCore = best.cpuPercentPerStream > 0 ? Math.round(100 / best.cpuPercentPerStream) : 0;
    const meetsGoal = valid.length > 0 && streamsPerCore >= GOAL_STREAMS_PER_CORE;
    log(
      `${best.streams} streams${valid.length === 0 ? ' (INVALID: under 95 % delivered)' : ''}: ${streamsPerCore} streams per core; ` +
        `goal (≥ ${GOAL_STREAMS_PER_CORE}) ${meetsGoal ? 'met' : 'NOT met'}`,
    );

    log(`proctor grid: ${TILES} tiles in Chromium…`);
    const learners = await startLearners(router, clip, TILES, 0x2000_0000);
    let grid;
    try {
      learners.replayer.start();
      grid = await measureGrid({ router, producers: learners.producers, seconds: SECONDS, warmup: WARMUP, log });
    } finally {
      learners.close();
    }
    log(
      `grid: ${grid.tilesPlaying}/${TILES} tiles playing, ${grid.gridCpuPercent} % of a core above the idle page ` +
        `(${grid.idleCpuPercent} % idle, ${grid.busyCpuPercent} % with the grid); goal (≤ ${GOAL_GRID_CPU} %) ` +
        `${grid.gridCpuPercent <= GOAL_GRID_CPU && grid.tilesPlaying === TILES ? 'met' : 'NOT met'}`,
    );

    console.log(
      JSON.stringify({
        streams: best.streams,
        workerCpuPercent: best.workerCpuPercent,
        cpuPercentPerStream: best.cpuPercentPerStream,
        streamsPerCore,
        deliveredRatio: best.deliveredRatio,
        senderCpuPercent: best.senderCpuPercent,
        goalStreamsPerCore: GOAL_STREAMS_PER_CORE,
        meetsGoal,
        valid: valid.length > 0,
        steps: steps.map((s) => ({ streams: s.streams, workerCpuPercent: s.workerCpuPercent, deliveredRatio: s.deliveredRatio, senderCpuPercent: s.senderCpuPercent })),
        clipKbps: round(clip.kbps, 1),
        gridTiles: TILES,
        gridCpuPercent: grid.gridCpuPercent,
        gridTilesPlaying: grid.tilesPlaying,
        goalGridCpuPercent: GOAL_GRID_CPU,
        gridMeetsGoal: grid.gridCpuPercent <= GOAL_GRID_CPU && grid.tilesPlaying === TILES,
        ...smokeMark,
      }),
    );
  } finally {
    worker.close();
  }
}

await main();
