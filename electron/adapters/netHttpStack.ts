import type { ClientRequestConstructorOptions } from 'electron';
import { Readable } from 'node:stream';
import type { HttpRequest, HttpResponse, HttpStack } from 'tus-js-client';

/**
 * tus-js-client's HTTP stack on Electron's `net` module, so recordings upload the way the exam page's
 * own requests go: through Chromium's network stack, with the system proxy settings (PAC files
 * included) and the OS certificate store. tus-js-client's default Node stack
 * uses Node's `http`/`https`, which know neither.
 *
 * Request bodies (the file slices tus-js-client reads) are streamed with chunked transfer encoding,
 * one chunk at a time: Electron buffers a body that is not chunked in memory before it sends anything,
 * and Chromium refuses a `Content-Length` header set by the app. Progress counts the bytes Chromium
 * has taken for sending. Redirects are not followed (like Node's `http`): tus-js-client sees the 3xx.
 */

/** The slice of Electron's `IncomingMessage` this stack reads. */
export interface NetResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[]>;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'aborted', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** The slice of Electron's `ClientRequest` this stack uses. */
export interface NetRequest {
  chunkedEncoding: boolean;
  on(event: 'response', listener: (response: NetResponse) => void): unknown;
  on(event: 'redirect', listener: (statusCode: number, method: string, redirectUrl: string, headers: Record<string, string[]>) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'abort', listener: () => void): unknown;
  write(chunk: Buffer, encoding?: string, callback?: () => void): unknown;
  end(): unknown;
  abort(): void;
}

/** Electron's `net` (or a session's `net`-like request function); injectable so tests can fake it. */
export interface NetModule {
  request(options: ClientRequestConstructorOptions): NetRequest;
}

/** Bytes written to Chromium per step when the body is a Buffer (a stream's own chunks are written as they come). */
const BUFFER_STEP_BYTES = 64 * 1024;

export class NetHttpStack implements HttpStack {
  constructor(private readonly net: NetModule) {}

  createRequest(method: string, url: string): HttpRequest {
    return new NetHttpRequest(this.net, method, url);
  }

  getName(): string {
    return 'ElectronNetHttpStack';
  }
}

class NetHttpRequest implements HttpRequest {
  private readonly headers: Record<string, string> = {};
  private progress: (bytesSent: number) => void = () => undefined;
  private request: NetRequest | null = null;
  private aborted = false;
  /** Rejects the pending send (set while one runs). */
  private cancel: (() => void) | null = null;

  constructor(
    private readonly net: NetModule,
    private readonly method: string,
    private readonly url: string,
  ) {}

  getMethod(): string {
    return this.method;
  }

  getURL(): string {
    return this.url;
  }

  setHeader(header: string, value: string): void {
    this.headers[header] = value;
  }

  getHeader(header: string): string | undefined {
    return this.headers[header];
  }

  setProgressHandler(handler: (bytesSent: number) => void): void {
    this.progress = handler;
  }

  send(body: unknown = null): Promise<HttpResponse> {
    if (this.aborted) return Promise.reject(new Error('the request was aborted'));
    return new Promise<HttpResponse>((resolve, reject) => {
      const source = chunksOf(body);
      const request = this.net.request({
        method: this.method,
        url: this.url,
        headers: { ...this.headers },
        redirect: 'manual',
        // An upload's offset must come from the server every time, never from Chromium's cache.
        cache: 'no-store',
      });
      this.request = request;
      let settled = false;
      let wakePump: () => void = () => undefined;
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        this.cancel = null;
        wakePump();
        outcome();
      };
      this.cancel = () => settle(() => reject(new Error('the request was aborted')));

      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk) => chunks.push(Buffer.from(chunk)));
        response.on('end', () => settle(() => resolve(new NetHttpResponse(response.statusCode, response.headers, Buffer.concat(chunks).toString('utf8'), response))));
        response.on('aborted', () => settle(() => reject(new Error('the response was cut off'))));
        response.on('error', (error) => settle(() => reject(error)));
      });
      request.on('redirect', (statusCode, _method, _redirectUrl, headers) => {
        // Handed to tus-js-client as the answer; not following it cancels the request.
        settle(() => resolve(new NetHttpResponse(statusCode, headers, '', null)));
      });
      request.on('error', (error) => settle(() => reject(error)));
      request.on('abort', () => settle(() => reject(new Error('the request was aborted'))));

      if (source === null) {
        request.end();
        return;
      }
      request.chunkedEncoding = true;
      const stopped = new Promise<void>((wake) => (wakePump = wake));
      const pump = async (): Promise<void> => {
        let sent = 0;
        // Leaving the loop early (an answer came first, an abort) closes the stream and its file.
        for await (const chunk of source) {
          if (settled) return;
          await Promise.race([new Promise<void>((written) => request.write(chunk, undefined, written)), stopped]);
          if (settled) return;
          sent += chunk.length;
          this.progress(sent);
        }
        if (!settled) request.end();
      };
      pump().catch((error: unknown) => {
        // The body could not be read (a file removed mid-upload): the request cannot complete.
        settle(() => reject(error instanceof Error ? error : new Error(String(error))));
        request.abort();
      });
    });
  }

  abort(): Promise<void> {
    this.aborted = true;
    this.request?.abort();
    this.cancel?.();
    return Promise.resolve();
  }

  getUnderlyingObject(): NetRequest | null {
    return this.request;
  }
}

class NetHttpResponse implements HttpResponse {
  constructor(
    private readonly status: number,
    private readonly headers: Record<string, string | string[]>,
    private readonly body: string,
    private readonly underlying: NetResponse | null,
  ) {}

  getStatus(): number {
    return this.status;
  }

  getHeader(header: string): string | undefined {
    const wanted = header.toLowerCase();
    const name = Object.keys(this.headers).find((key) => key.toLowerCase() === wanted);
    if (name === undefined) return undefined;
    const value = this.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  getBody(): string {
    return this.body;
  }

  getUnderlyingObject(): NetResponse | null {
    return this.underlying;
  }
}

/** The body as chunks to write, or null when there is none. tus-js-client passes null, a Buffer or a Readable (a file slice). */
function chunksOf(body: unknown): AsyncIterable<Buffer> | null {
  if (body === null || body === undefined) return null;
  if (body instanceof Readable) return mapChunks(body);
  if (typeof body === 'string') return body === '' ? null : slices(Buffer.from(body, 'utf8'));
  if (body instanceof Uint8Array) return body.length === 0 ? null : slices(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  throw new TypeError(`a request body must be a Buffer or a readable stream, not ${typeof body}`);
}

async function* mapChunks(stream: Readable): AsyncIterable<Buffer> {
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (buffer.length > 0) yield buffer;
  }
}

async function* slices(buffer: Buffer): AsyncIterable<Buffer> {
  for (let offset = 0; offset < buffer.length; offset += BUFFER_STEP_BYTES) yield buffer.subarray(offset, offset + BUFFER_STEP_BYTES);
}
