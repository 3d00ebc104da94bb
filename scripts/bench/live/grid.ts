// The proctor's grid for bench:live: Debian Chromium, a page with mediasoup-client (bundled here with
// esbuild, served from loopback) consuming producers through one WebRtcTransport into muted 160×120
// <video> tiles. CPU of all Chromium processes from /proc, with the grid minus the same page idle.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import type { types } from 'mediasoup';
import { chromiumArgs, chromiumPath } from '../../chromium';
import { measureCorePct } from '../procCpu';

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench:live grid</title>
<style>body{margin:0;display:grid;grid-template-columns:repeat(4,160px);gap:4px}video{width:160px;height:120px;background:#000}</style>
</head><body><script src="/client.js"></script></body></html>`;

async function bundleClient(): Promise<string> {
  const out = await build({
    stdin: { contents: "import { Device } from 'mediasoup-client'; window.BenchDevice = Device;", resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

export interface GridResult {
  readonly idleCpuPercent: number;
  readonly busyCpuPercent: number;
  readonly gridCpuPercent: number;
  readonly tilesPlaying: number;
}

export async function measureGrid(opts: {
  router: types.Router;
  producers: readonly types.Producer[];
  seconds: number;
  warmup: number;
  log: (line: string) => void;
}): Promise<GridResult> {
  const client = await bundleClient();
  const http = createServer((req, res) => {
    const js = req.url === '/client.js';
    res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html' });
    res.end(js ? client : PAGE);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
  const transport = await opts.router.createWebRtcTransport({ listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }], enableUdp: true });
  const browserServer = await chromium.launchServer({
    executablePath: chromiumPath,
    args: [...chromiumArgs, '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required'],
  });
  const browser = await chromium.connect(browserServer.wsEndpoint());
  try {
    const pid = browserServer.process().pid;
    if (pid === undefined) throw new Error('could not find the Chromium process');
    const roots = () => [pid];
    const page = await browser.newPage({ viewport: { width: 680, height: 520 } });
    await page.exposeFunction('benchConnect', async (dtlsParameters: types.DtlsParameters) => {
      await transport.connect({ dtlsParameters });
    });
    await page.exposeFunction('benchConsume', async (producerId: string, rtpCapabilities: types.RtpCapabilities) => {
      const consumer = await transport.consume({ producerId, rtpCapabilities, paused: true });
      return { id: consumer.id, producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters };
    });
    await page.exposeFunction('benchResume', async (consumerId: string) => {
      const consumer = [...consumers].find((c) => c.id === consumerId);
      await consumer?.resume();
    });
    const consumers = new Set<types.Consumer>();
    transport.observer.on('newconsumer', (c: types.Consumer) => consumers.add(c));
    await page.goto(url);
    await page.waitForFunction(() => 'BenchDevice' in window);

    // Chromium's own start-up work settles first: the baseline is a page sitting idle.
    await page.waitForTimeout(opts.warmup * 1000);
    opts.log(`idle page, ${opts.seconds} s…`);
    const idleCpuPercent = await measureCorePct(roots, opts.seconds);

    await page.evaluate(
      async ({ routerRtpCapabilities, params, producerIds }) => {
        type Fn = (...args: unknown[]) => Promise<unknown>;
        const w = window as unknown as Record<string, unknown>;
        const Device = w.BenchDevice as new () => {
          load(o: unknown): Promise<void>;
          rtpCapabilities: unknown;
          createRecvTransport(o: unknown): {
            on(event: string, cb: (arg: { dtlsParameters: unknown }, ok: () => void, fail: (e: Error) => void) => void): void;
            consume(o: unknown): Promise<{ track: MediaStreamTrack }>;
          };
        };
        const device = new Device();
        await device.load({ routerRtpCapabilities });
        const recv = device.createRecvTransport(params);
        recv.on('connect', ({ dtlsParameters }, ok, fail) => void (w.benchConnect as Fn)(dtlsParameters).then(ok, fail));
        for (const producerId of producerIds) {
          const p = (await (w.benchConsume as Fn)(producerId, device.rtpCapabilities)) as { id: string };
          const consumer = await recv.consume(p);
          const video = document.createElement('video');
          video.muted = true;
          video.autoplay = true;
          video.playsInline = true;
          video.width = 160;
          video.height = 120;
          video.setAttribute('aria-label', `Learner ${producerId}`);
          video.srcObject = new MediaStream([consumer.track]);
          document.body.append(video);
          await (w.benchResume as Fn)(p.id);
        }
      },
      {
        routerRtpCapabilities: opts.router.rtpCapabilities,
        params: { id: transport.id, iceParameters: transport.iceParameters, iceCandidates: transport.iceCandidates, dtlsParameters: transport.dtlsParameters },
        producerIds: opts.producers.map((p) => p.id),
      },
    );
    // Key frames come every 3 s in the clip: give every tile time to start, then settle.
    await page
      .waitForFunction(() => [...document.querySelectorAll('video')].every((v) => v.videoWidth > 0), undefined, { timeout: 15_000 })
      .catch(() => undefined);
    await page.waitForTimeout(opts.warmup * 1000);
    const times = () => page.evaluate(() => [...document.querySelectorAll('video')].map((v) => (v.videoWidth > 0 ? v.currentTime : -1)));
    const before = await times();
    opts.log(`${opts.producers.length} tiles, ${opts.seconds} s…`);
    const busyCpuPercent = await measureCorePct(roots, opts.seconds);
    const after = await times();
    const tilesPlaying = after.filter((t, i) => t >= 0 && t > before[i]!).length;
    return { idleCpuPercent, busyCpuPercent, gridCpuPercent: Math.round((busyCpuPercent - idleCpuPercent) * 10) / 10, tilesPlaying };
  } finally {
    await browser.close();
    await browserServer.close();
    transport.close();
    http.close();
  }
}
