import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type { ClientRequestConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { NetHttpStack, type NetModule, type NetResponse } from './netHttpStack';

/** Electron's ClientRequest as the stack sees it: records everything, acknowledges writes when told. */
class FakeRequest extends EventEmitter {
  chunkedEncoding = false;
  readonly writes: Buffer[] = [];
  ended = false;
  aborted = 0;
  /** Acknowledges every write at once (false: the test calls ack()). */
  autoAck = true;
  private readonly unacked: (() => void)[] = [];

  constructor(readonly options: ClientRequestConstructorOptions) {
    super();
  }

  write(chunk: Buffer, _encoding?: string, callback?: () => void): void {
    this.writes.push(Buffer.from(chunk));
    const done = () => callback?.();
    if (this.autoAck) queueMicrotask(done);
    else this.unacked.push(done);
  }

  end(): void {
    this.ended = true;
  }

  abort(): void {
    this.aborted += 1;
    process.nextTick(() => this.emit('abort'));
  }

  ack(): void {
    this.unacked.shift()?.();
  }

  get pendingAcks(): number {
    return this.unacked.length;
  }

  /** Answers like Chromium: the response head, then its body in the given pieces, then the end. */
  respond(statusCode: number, headers: Record<string, string | string[]>, ...body: string[]): void {
    const response = Object.assign(new EventEmitter(), { statusCode, headers });
    this.emit('response', response as unknown as NetResponse);
    for (const piece of body) response.emit('data', Buffer.from(piece, 'utf8'));
    response.emit('end');
  }
}

function fakeNet(configure: (request: FakeRequest) => void = () => undefined) {
  const requests: FakeRequest[] = [];
  const net: NetModule = {
    request: (options) => {
      const request = new FakeRequest(options);
      configure(request);
      requests.push(request);
      return request;
    },
  };
  return { net, requests };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Waits until `check` holds (the stack writes asynchronously). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await tick();
  expect(check()).toBe(true);
}

describe('NetHttpStack', () => {
  it('sends the method, URL and headers through net.request, and maps status, headers and body back', async () => {
    const { net, requests } = fakeNet();
    const stack = new NetHttpStack(net);
    expect(stack.getName()).toBe('ElectronNetHttpStack');
    const request = stack.createRequest('HEAD', 'https://review.example/files/abc');
    request.setHeader('Tus-Resumable', '1.0.0');
    request.setHeader('Authorization', 'Bearer t0k3n');
    expect(request.getMethod()).toBe('HEAD');
    expect(request.getURL()).toBe('https://review.example/files/abc');
    expect(request.getHeader('Tus-Resumable')).toBe('1.0.0');
    expect(request.getUnderlyingObject()).toBeNull();

    const sent = request.send(null);
    const [fake] = requests;
    if (!fake) throw new Error('no request was made');
    expect(fake.options).toEqual({
      method: 'HEAD',
      url: 'https://review.example/files/abc',
      headers: { 'Tus-Resumable': '1.0.0', Authorization: 'Bearer t0k3n' },
      redirect: 'manual',
      cache: 'no-store',
    });
    expect(fake.ended).toBe(true);
    expect(fake.writes).toEqual([]);
    expect(fake.chunkedEncoding).toBe(false);
    expect(request.getUnderlyingObject()).toBe(fake);

    fake.respond(200, { 'upload-offset': '1024', 'tus-resumable': '1.0.0', via: ['1.1 proxy-a', '1.1 proxy-b'] }, '{"ok":', 'true} – é');
    const response = await sent;
    expect(response.getStatus()).toBe(200);
    expect(response.getHeader('Upload-Offset')).toBe('1024');
    expect(response.getHeader('tus-resumable')).toBe('1.0.0');
    expect(response.getHeader('Via')).toBe('1.1 proxy-a, 1.1 proxy-b');
    expect(response.getHeader('Location')).toBeUndefined();
    expect(response.getBody()).toBe('{"ok":true} – é');
    expect(response.getUnderlyingObject()).toMatchObject({ statusCode: 200 });
  });

  it('streams a Buffer body in order with chunked encoding and reports the bytes Chromium took', async () => {
    const { net, requests } = fakeNet();
    const body = Buffer.alloc(150 * 1024, 7);
    body.write('start', 0);
    body.write('end', body.length - 3);
    const request = new NetHttpStack(net).createRequest('PATCH', 'https://review.example/files/abc');
    const progress: number[] = [];
    request.setProgressHandler((bytes) => progress.push(bytes));
    const sent = request.send(body);
    const fake = requests[0]!;
    expect(fake.chunkedEncoding).toBe(true);
    await until(() => fake.ended);
    expect(fake.writes.map((w) => w.length)).toEqual([64 * 1024, 64 * 1024, 22 * 1024]);
    expect(Buffer.concat(fake.writes).equals(body)).toBe(true);
    expect(progress).toEqual([64 * 1024, 128 * 1024, 150 * 1024]);
    fake.respond(204, { 'upload-offset': String(body.length) });
    expect((await sent).getStatus()).toBe(204);
  });

  it('streams a readable body (a file slice) chunk by chunk, one write in flight at a time', async () => {
    const { net, requests } = fakeNet((r) => (r.autoAck = false));
    const pieces = [Buffer.from('aaaa'), Buffer.from('bbbbbb'), Buffer.from('cc')];
    const request = new NetHttpStack(net).createRequest('PATCH', 'https://review.example/files/abc');
    const progress: number[] = [];
    request.setProgressHandler((bytes) => progress.push(bytes));
    const sent = request.send(Readable.from(pieces));
    const fake = requests[0]!;
    await until(() => fake.writes.length === 1);
    await tick();
    // Nothing more is written, and no progress claimed, until Chromium took the first chunk.
    expect(fake.writes).toHaveLength(1);
    expect(progress).toEqual([]);
    fake.ack();
    await until(() => fake.writes.length === 2);
    expect(progress).toEqual([4]);
    fake.ack();
    await until(() => fake.writes.length === 3);
    fake.ack();
    await until(() => fake.ended);
    expect(progress).toEqual([4, 10, 12]);
    expect(Buffer.concat(fake.writes).toString()).toBe('aaaabbbbbbcc');
    fake.respond(204, { 'upload-offset': '12' });
    expect((await sent).getHeader('Upload-Offset')).toBe('12');
  });

  it('abort() cancels the request in flight, rejects the send and closes the body stream', async () => {
    const { net, requests } = fakeNet((r) => (r.autoAck = false));
    const body = new Readable({ read() {} });
    body.push(Buffer.from('first'));
    const request = new NetHttpStack(net).createRequest('PATCH', 'https://review.example/files/abc');
    const sent = request.send(body);
    const fake = requests[0]!;
    await until(() => fake.writes.length === 1);
    await request.abort();
    await expect(sent).rejects.toThrow(/aborted/);
    expect(fake.aborted).toBe(1);
    await until(() => body.destroyed);
    body.push(Buffer.from('second')); // ignored: the stream is closed
    await tick();
    expect(fake.writes).toHaveLength(1);
    expect(fake.ended).toBe(false);
  });

  it('a request aborted before it was sent never reaches the network', async () => {
    const { net, requests } = fakeNet();
    const request = new NetHttpStack(net).createRequest('POST', 'https://review.example/files');
    await request.abort();
    await expect(request.send(null)).rejects.toThrow(/aborted/);
    expect(requests).toEqual([]);
  });

  it('rejects with the network error (no response: tus-js-client treats it as unreachable)', async () => {
    const { net, requests } = fakeNet();
    const sent = new NetHttpStack(net).createRequest('POST', 'https://review.example/files').send(null);
    requests[0]!.emit('error', new Error('net::ERR_PROXY_CONNECTION_FAILED'));
    await expect(sent).rejects.toThrow('net::ERR_PROXY_CONNECTION_FAILED');
  });

  it('an answer that comes before the whole body was taken ends the upload there', async () => {
    const { net, requests } = fakeNet((r) => (r.autoAck = false));
    const body = Readable.from([Buffer.from('one'), Buffer.from('two'), Buffer.from('three')]);
    const request = new NetHttpStack(net).createRequest('PATCH', 'https://review.example/files/abc');
    const sent = request.send(body);
    const fake = requests[0]!;
    await until(() => fake.writes.length === 1);
    fake.respond(401, { 'content-type': 'text/plain' }, 'upload_token_invalid');
    const response = await sent;
    expect([response.getStatus(), response.getBody()]).toEqual([401, 'upload_token_invalid']);
    await until(() => body.destroyed);
    expect(fake.writes).toHaveLength(1);
    expect(fake.ended).toBe(false);
  });

  it('hands a redirect to tus-js-client as the answer instead of following it', async () => {
    const { net, requests } = fakeNet();
    const sent = new NetHttpStack(net).createRequest('POST', 'http://review.example/files').send(null);
    requests[0]!.emit('redirect', 308, 'POST', 'https://review.example/files', { location: ['https://review.example/files'] });
    const response = await sent;
    expect(response.getStatus()).toBe(308);
    expect(response.getHeader('Location')).toBe('https://review.example/files');
    expect(response.getBody()).toBe('');
  });

  it('refuses a body it cannot send', async () => {
    const { net, requests } = fakeNet();
    await expect(new NetHttpStack(net).createRequest('PATCH', 'https://review.example/files/abc').send({ size: 3 })).rejects.toThrow(TypeError);
    expect(requests).toEqual([]);
  });
});
