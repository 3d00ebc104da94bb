import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const serverDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const tsx = resolve(serverDir, '../node_modules/.bin/tsx');

interface Running {
  child: ChildProcess;
  port: number;
  lines: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/** The real CLI (`npx tsx server/src/server.ts`) on a free port, resolved at its `listening` line. */
function startServer(dataDir: string): Promise<Running> {
  const child = spawn(tsx, ['src/server.ts'], {
    cwd: serverDir,
    env: { ...process.env, PORT: '0', INVIGIL_DATA_DIR: dataDir, INVIGIL_SEED: 'demo', LOG_LEVEL: 'info', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.resume();
  const lines: Array<Record<string, unknown>> = [];
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((resolveStart, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (entry['msg'] === 'listening') resolveStart({ child, port: Number(new URL(String(entry['url'])).port), lines, exited });
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening`)));
  });
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1', () => done(socket));
    socket.once('error', fail);
  });
}

/** Sends `request` and resolves once the first bytes of an answer arrive. */
function firstBytes(socket: Socket, request: string): Promise<string> {
  return new Promise((done) => {
    socket.once('data', (chunk: Buffer) => done(chunk.toString()));
    socket.write(request);
  });
}

async function stopWithin(server: Running, ms: number): Promise<{ code: number | null; elapsed: number }> {
  const started = Date.now();
  server.child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), ms).unref());
  const code = await Promise.race([server.exited, timeout]);
  if (code === 'timeout') throw new Error(`the server was still running ${ms} ms after SIGTERM`);
  return { code, elapsed: Date.now() - started };
}

/** SIGTERM stops the server in bounded time, whatever its clients are doing. */
describe('server shutdown', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.destroy();
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function started(): Promise<Running> {
    const dir = mkdtempSync(join(tmpdir(), 'invigil-stop-'));
    dirs.push(dir);
    const server = await startServer(join(dir, 'data'));
    children.push(server.child);
    return server;
  }

  it('exits within 10 s with a keep-alive connection, a never-finished request body and a slow upload open', { timeout: 30_000 }, async () => {
    const server = await started();

    // An idle keep-alive connection after a complete request.
    const idle = await openSocket(server.port);
    sockets.push(idle);
    expect(await firstBytes(idle, 'GET /api/time HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n')).toMatch(/^HTTP\/1\.1 200/);

    // A request whose body never finishes: 1000 bytes announced, 10 sent.
    const hanging = await openSocket(server.port);
    sockets.push(hanging);
    hanging.write('POST /api/auth/sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"email":"');

    // A segment upload that trickles: the tus endpoint's PATCH with most of its body still to come.
    const upload = await openSocket(server.port);
    sockets.push(upload);
    upload.write('PATCH /api/uploads/0123456789abcdef HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n' +
      'Content-Type: application/offset+octet-stream\r\nContent-Length: 5000000\r\n\r\n');
    upload.write(Buffer.alloc(1024, 1));

    // Let the server see all three before it is told to stop.
    await new Promise((done) => setTimeout(done, 300));
    const { code, elapsed } = await stopWithin(server, 10_000);
    expect(elapsed).toBeLessThan(10_000);
    expect(code).toBe(0);
    expect(server.lines.some((l) => l['msg'] === 'shutting down')).toBe(true);
    expect(server.lines.some((l) => l['msg'] === 'stopped')).toBe(true);
  });
});
