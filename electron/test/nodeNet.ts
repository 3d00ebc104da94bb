import { EventEmitter } from 'node:events';
import { request as httpRequest, type ClientRequest as NodeClientRequest } from 'node:http';
import type { ClientRequestConstructorOptions } from 'electron';
import type { NetModule, NetRequest, NetResponse } from '../adapters/netHttpStack';

/**
 * Electron's `net.request` imitated on Node's http, for tests that run NetHttpStack against a real
 * tus server: the same events (`response`, `error`, `abort` on the next tick after abort()), headers
 * only from the constructor options, a body written with `write(chunk, encoding, callback)` and
 * `end()`, and no redirect following. Records each request's options for the test to inspect.
 * Only tests import this file.
 */
export interface RecordingNet extends NetModule {
  readonly made: ClientRequestConstructorOptions[];
}

export function nodeNet(): RecordingNet {
  const made: ClientRequestConstructorOptions[] = [];
  return {
    made,
    request(options) {
      made.push(options);
      return new NodeBackedRequest(options);
    },
  };
}

class NodeBackedRequest extends EventEmitter implements NetRequest {
  chunkedEncoding = false;
  private inner: NodeClientRequest | null = null;
  private aborted = false;

  constructor(private readonly options: ClientRequestConstructorOptions) {
    super();
  }

  write(chunk: Buffer, _encoding?: string, callback?: () => void): void {
    this.start().write(chunk, () => callback?.());
  }

  end(): void {
    this.start().end();
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.inner?.destroy();
    process.nextTick(() => this.emit('abort'));
  }

  private start(): NodeClientRequest {
    if (this.inner) return this.inner;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.options.headers ?? {})) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const inner = httpRequest(this.options.url ?? '', { method: this.options.method ?? 'GET', headers });
    this.inner = inner;
    inner.on('response', (response) => this.emit('response', response as unknown as NetResponse));
    inner.on('error', (error) => {
      if (!this.aborted) this.emit('error', error);
    });
    return inner;
  }
}
