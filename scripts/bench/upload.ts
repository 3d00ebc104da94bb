// npm run --silent bench:upload — a 300 MB file through the product's uploader (tus-js-client in the
// desktop host's TusUploader) to the product's server on loopback, against a raw HTTP PUT of the same
// file to a minimal Node server, alternating, median of 5 each; then an upload killed (SIGKILL)
// midway and resumed, counting every byte the uploader puts on the wire through a loopback proxy.
// The file is what the server accepts as segment 0 of a take: a real WebM (one second made by ffmpeg)
// whose random padding sits in an EBML Void element. Each attempt goes through the pre-exam steps
// over the API first, as a browser client of the practice trial test (no attestation header).
// Env: BENCH_UPLOAD_MB (300), BENCH_RUNS (5); `--smoke`: 8 MB, one run each way (scripts/bench/smoke.ts).
// Last line JSON: {"uploadMBps","putMBps","ratio","resentBytes","chunkBytes"}.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { createServer as createTcpServer, connect } from 'node:net';
import { join } from 'node:path';
import { CONSENT_VERSION } from '../../shared/api/checks';
import { api, buildPath } from '../../shared/api/routes';
import { CHAIN_GENESIS, chainNext } from '../../shared/domain/hashChain';
import { sha256Hex } from '../../electron/services/recordingFiles';
import { DEFAULT_TUS_CHUNK_SIZE } from '../../electron/services/uploader';
import { repoRoot, startServer, tempDir } from '../processes';
import { sizeFromEnv, smoke, smokeMark } from './smoke';

const SIZE = Math.round(sizeFromEnv('BENCH_UPLOAD_MB', 300, 8) * 1024 * 1024);
const RUNS = Math.round(sizeFromEnv('BENCH_RUNS', 5, 1));
const CHUNK = 1024 * 1024; // a MediaRecorder-sized chunk for the hash chain
/** How often the worker reports progress: often enough that the kill lands midway in a smoke-sized file too. */
const REPORT_EVERY = Math.min(4 * 1024 * 1024, Math.floor(SIZE / 16));
const EBML_VOID_ID = 0xec;
const VOID_HEADER_BYTES = 9; // the ID and an 8-byte size
const appVersion = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const log = (line: string) => process.stderr.write(`[bench:upload] ${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mbps = (bytes: number, ms: number) => bytes / (1024 * 1024) / (ms / 1000);

function ffmpeg(args: string[], what: string): Buffer {
  const run = spawnSync('ffmpeg', ['-v', 'error', '-nostdin', ...args], { maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`ffmpeg could not make ${what}: ${run.stderr?.toString().trim() || run.error?.message}`);
  return run.stdout;
}

/**
 * The start of the file: one second of ffmpeg's VP8 test pattern written to a pipe (so its Segment
 * has unknown size and may go on), then the header of an EBML Void element covering the rest of the
 * file, the random bytes. The server refuses segment 0 of a take unless it begins with the EBML magic
 * (1A 45 DF A3). With the padding inside a Void element the whole file stays well-formed WebM:
 * ffmpeg remuxes it as the one-second clip in a fraction of a second, where random bytes straight
 * after the clip are read as broken clusters for seconds. (The bench's segments declare no
 * `takeEnd`, so the server does not remux them during the bench.)
 */
function webmPrefix(): Buffer {
  const webm = ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-t', '1', '-c:v', 'libvpx', '-b:v', '300k', '-f', 'webm', 'pipe:1'], 'the WebM header');
  const voidHeader = Buffer.alloc(VOID_HEADER_BYTES);
  voidHeader[0] = EBML_VOID_ID;
  voidHeader[1] = 0x01; // an 8-byte EBML size: 7 bytes of value follow
  voidHeader.writeUIntBE(SIZE - webm.length - VOID_HEADER_BYTES, 3, 6);
  const prefix = Buffer.concat([webm, voidHeader]);
  if (prefix.length > Math.min(CHUNK, SIZE)) throw new Error(`BENCH_UPLOAD_MB is too small: the WebM header alone is ${prefix.length} bytes`);
  return prefix;
}

async function makeFile(path: string): Promise<{ chunkSizes: number[]; chainEnd: string }> {
  const prefix = webmPrefix();
  const file = await open(path, 'w');
  const chunkSizes: number[] = [];
  let head = CHAIN_GENESIS;
  for (let written = 0; written < SIZE; written += CHUNK) {
    const chunk = randomBytes(Math.min(CHUNK, SIZE - written));
    if (written === 0) prefix.copy(chunk);
    await file.write(chunk);
    chunkSizes.push(chunk.length);
    head = chainNext(sha256Hex, head, chunk); // the host journal's own digest
  }
  await file.close();
  return { chunkSizes, chainEnd: head };
}

async function call(base: string, name: keyof typeof api, token: string | null, params?: Record<string, string>, body?: unknown) {
  const spec = api[name];
  const res = await fetch(base + buildPath(spec.path, params), {
    method: spec.method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: spec.method === 'GET' ? undefined : JSON.stringify(body ?? {}),
  });
  if (!res.ok) throw new Error(`${name}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

/** An ID photo that shows nothing: the server reads no name in it, so the learner goes on unverified. */
function blankIdPhoto(): { image: string; width: number; height: number } {
  const jpeg = ffmpeg(['-f', 'lavfi', '-i', 'color=c=white:s=640x400', '-frames:v', '1', '-f', 'mjpeg', 'pipe:1'], 'a JPEG');
  return { image: jpeg.toString('base64'), width: 640, height: 400 };
}

interface StartChecksView {
  readonly consent: boolean;
  readonly systemCheck: string;
  readonly identity: string;
  readonly translator: string | null;
  readonly translatorRequired: boolean;
}

/**
 * The steps the server requires before the start, as the learner's app takes them: consent, a passing
 * system check from the session's kind of client, the translator, and one ID photo the server reads
 * (no name in it) followed by "a proctor will verify my ID".
 */
async function completeStartChecks(base: string, learner: string, session: { id: string; client: string; checks: StartChecksView }, idPhoto: ReturnType<typeof blankIdPhoto>) {
  const params = { sessionId: session.id };
  const now = new Date().toISOString();
  const { checks } = session;
  if (!checks.consent) await call(base, 'recordConsent', learner, params, { version: CONSENT_VERSION, accepted: true });
  if (checks.systemCheck !== 'passed') {
    await call(base, 'saveSystemCheck', learner, params, {
      checkedAt: now,
      hostKind: session.client,
      appVersion,
      items: [
        { id: 'camera', status: 'pass', observed: 'fake camera 640×480', fix: null, figures: { width: 640 } },
        { id: 'microphone', status: 'pass', observed: 'fake microphone', fix: null, figures: {} },
      ],
      observations: null,
    });
  }
  if (checks.translatorRequired && checks.translator === null) await call(base, 'chooseTranslator', learner, params, { translator: 'google' });
  if (checks.identity === 'not_started' || checks.identity === 'in_progress') {
    if (checks.identity === 'not_started') {
      const fields = { fullName: null, surname: null, givenNames: null, documentNumber: null, dateOfBirth: null, expiryDate: null, mrzValid: false, nameSource: 'none', text: '' };
      await call(base, 'submitIdAttempt', learner, params, { attempt: 1, ...idPhoto, capture: 'button', fields, ocrMs: 0, idFace: null, faceDistance: null, takenAt: now });
    }
    await call(base, 'continueUnverified', learner, params, { reason: 'learner_choice' });
  }
}

/** A fresh trial-test attempt (its chain starts at genesis) and an upload token for it. */
async function newAttempt(base: string, learner: string, idPhoto: ReturnType<typeof blankIdPhoto>) {
  const session = (await call(base, 'createSession', learner, undefined, { examId: 'trial-test' })) as { id: string; client: string; checks: StartChecksView };
  await completeStartChecks(base, learner, session, idPhoto);
  await call(base, 'startSession', learner, { sessionId: session.id }, {});
  const upload = (await call(base, 'recordingUploadToken', learner, { sessionId: session.id })) as { endpoint: string; token: string };
  return { sessionId: session.id, ...upload };
}

async function finishAttempt(base: string, learner: string, sessionId: string) {
  await call(base, 'submitSession', learner, { sessionId });
}

function metadataFor(sessionId: string, file: { chunkSizes: number[]; chainEnd: string }): Record<string, string> {
  const now = new Date().toISOString();
  return {
    sessionId,
    take: '0',
    segment: '0',
    firstChunk: '0',
    chunkSizes: file.chunkSizes.join(','),
    chainStart: CHAIN_GENESIS,
    chainEnd: file.chainEnd,
    startedAt: now,
    endedAt: now,
  };
}

/** Runs the uploader in a child process; resolves with its JSON lines, or kills it once `killAt` bytes are reported. */
function runWorker(args: object, killAt?: number): Promise<{ lines: Record<string, unknown>[]; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/uploadWorker.ts', JSON.stringify({ reportEveryBytes: REPORT_EVERY, ...args })], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: Record<string, unknown>[] = [];
    let buffer = '';
    let killed = false;
    child.stdout.on('data', (c: Buffer) => {
      buffer += c.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
        buffer = buffer.slice(nl + 1);
        lines.push(line);
        if (killAt !== undefined && typeof line.progress === 'number' && line.progress >= killAt && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.once('error', reject);
    child.once('exit', () => resolve({ lines, killed }));
  });
}

/** A loopback TCP proxy that counts the bytes the client sends. */
async function countingProxy(target: URL): Promise<{ url: string; sent: () => number; close: () => void }> {
  let sent = 0;
  const server = createTcpServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    client.on('data', (d: Buffer) => (sent += d.length));
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, sent: () => sent, close: () => server.close() };
}

/** The baseline: one raw PUT of the file to a minimal Node server that writes it to disk. */
async function rawPut(path: string, dir: string): Promise<number> {
  const server = createServer((req, res) => {
    const out = createWriteStream(join(dir, 'put.bin'));
    req.pipe(out);
    out.on('finish', () => res.writeHead(204).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'PUT', path: '/file', headers: { 'content-length': SIZE } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    createReadStream(path).pipe(req);
  });
  const ms = performance.now() - started;
  server.close();
  rmSync(join(dir, 'put.bin'), { force: true });
  return ms;
}

async function main() {
  const work = tempDir('bench-upload');
  const path = join(work, 'recording.bin');
  log(`writing a ${SIZE / 1024 / 1024} MB file${smoke ? ' (smoke run)' : ''}…`);
  const file = await makeFile(path);
  const idPhoto = blankIdPhoto();
  const server = await startServer({
    dataDir: join(work, 'server'),
    env: {
      INVIGIL_MAX_SEGMENT_BYTES: String(SIZE),
      // The server's recording quota is per attempt: by default 2000 kbit/s over the exam's timed
      // length plus 60 minutes, about 1 GB for the 10-minute trial test, sized for a camera recording.
      // Each attempt here holds one synthetic segment of BENCH_UPLOAD_MB, up to the segment limit
      // (4 GB); 100000 kbit/s, the most the server accepts, allows about 52 GB, so the quota never
      // decides a run.
      INVIGIL_RECORDING_QUOTA_KBPS: '100000',
    },
  });
  try {
    const learner = ((await call(server.url, 'signIn', null, undefined, { email: 'learner@invigil.test', password: 'learner-demo-1' })) as { accessToken: string }).accessToken;
    const putMs: number[] = [];
    const uploadMs: number[] = [];
    // Each timed transfer starts with no dirty pages left by the previous one (`sync`), so disk
    // writeback from one run does not land in the next one's time.
    const settleDisk = () => spawnSync('sync');
    for (let run = 0; run < RUNS; run++) {
      settleDisk();
      putMs.push(await rawPut(path, work));
      const attempt = await newAttempt(server.url, learner, idPhoto);
      settleDisk();
      const result = await runWorker({ dataDir: join(work, `client-${run}`), path, endpoint: attempt.endpoint, token: attempt.token, metadata: metadataFor(attempt.sessionId, file) });
      const done = result.lines.find((l) => l.done === true);
      if (!done || typeof done.ms !== 'number') throw new Error(`upload failed: ${JSON.stringify(result.lines.at(-1))}`);
      uploadMs.push(done.ms); // timed inside the worker, so process start-up does not count
      await finishAttempt(server.url, learner, attempt.sessionId);
      log(`run ${run + 1}: PUT ${mbps(SIZE, putMs[run]!).toFixed(0)} MB/s, product ${mbps(SIZE, done.ms).toFixed(0)} MB/s`);
    }

    // Killed midway and resumed: every byte the uploader sends goes through a counting proxy.
    const attempt = await newAttempt(server.url, learner, idPhoto);
    const proxy = await countingProxy(new URL(server.url));
    const endpoint = attempt.endpoint.replace(server.url, proxy.url);
    const worker = { dataDir: join(work, 'client-resume'), path, endpoint, token: attempt.token, metadata: metadataFor(attempt.sessionId, file) };
    const first = await runWorker(worker, SIZE / 2);
    if (!first.killed) throw new Error('the upload finished before it could be killed');
    const second = await runWorker(worker);
    const done = second.lines.find((l) => l.done === true);
    if (!done || done.resumed !== true) throw new Error(`the second run did not resume: ${JSON.stringify(second.lines.at(-1))}`);
    const manifest = (await call(server.url, 'recordingManifest', learner, { sessionId: attempt.sessionId })) as { bytes: number; verified: boolean };
    if (manifest.bytes !== SIZE || !manifest.verified) throw new Error(`server holds ${manifest.bytes} bytes, verified=${manifest.verified}`);
    proxy.close();
    const resentBytes = Math.max(0, proxy.sent() - SIZE);

    const uploadMBps = mbps(SIZE, median(uploadMs));
    const putMBps = mbps(SIZE, median(putMs));
    console.log(
      JSON.stringify({
        uploadMBps: Math.round(uploadMBps * 10) / 10,
        putMBps: Math.round(putMBps * 10) / 10,
        ratio: Math.round((uploadMBps / putMBps) * 100) / 100,
        resentBytes,
        chunkBytes: DEFAULT_TUS_CHUNK_SIZE,
        ...smokeMark,
      }),
    );
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
