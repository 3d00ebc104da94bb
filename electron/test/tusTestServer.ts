import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server as TusServer } from '@tus/server';
import { SegmentMetadata, UPLOAD_PATH } from '../../shared/api/recording';
import { chainOver } from '../../shared/domain/hashChain';
import { sha256Hex } from '../services/recordingFiles';

/**
 * A real tus server (@tus/server + @tus/file-store on node:http) for the uploader's tests, with the
 * checks the review server makes (bearer token, chain continuity in the finish hook) and knobs to
 * misbehave: refuse tokens, die in the middle of a PATCH, come back on the same port.
 * Only tests import this file.
 */
export interface TusTestServer {
  readonly endpoint: string;
  /** Segments whose final PATCH succeeded, in completion order, with their bytes. */
  readonly completed: { metadata: SegmentMetadata; bytes: Buffer }[];
  /** Body bytes received over all PATCH requests (re-sent bytes show up here). */
  patchBytes(): number;
  /** Upload creations (POST) seen. */
  creations(): number;
  /** Every request that reached the server (OPTIONS included), whatever its answer. */
  requests(): number;
  token: string;
  /** Drops every connection and stops listening once this many PATCH body bytes arrived in total. */
  dieAfterPatchBytes(bytes: number, onDeath: () => void): void;
  /** Answers the next `times` creations (POST) with `status` and the review server's JSON error body for `code`. */
  refuseCreations(status: number, code: string, times: number): void;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTusServer(directory: string, token = 'good-token'): Promise<TusTestServer> {
  let patchBytes = 0;
  let creations = 0;
  let requests = 0;
  let dieAt: { bytes: number; onDeath: () => void } | null = null;
  let refusal: { status: number; code: string; times: number } | null = null;
  let chainHead: string | null = null;
  const completed: TusTestServer['completed'] = [];

  const tus = new TusServer({
    path: UPLOAD_PATH,
    datastore: new FileStore({ directory }),
    onUploadFinish: async (_request, upload) => {
      const metadata = SegmentMetadata.parse(upload.metadata);
      const bytes = await readFile(join(directory, upload.id));
      let offset = 0;
      const chunks = metadata.chunkSizes.map((size) => bytes.subarray(offset, (offset += size)));
      const expectedStart = chainHead ?? metadata.chainStart;
      if (offset !== bytes.length || metadata.chainStart !== expectedStart || chainOver(sha256Hex, metadata.chainStart, chunks) !== metadata.chainEnd) {
        throw { status_code: 460, body: 'segment_chain_mismatch' };
      }
      chainHead = metadata.chainEnd;
      completed.push({ metadata, bytes });
      return {};
    },
  });

  const state = { server: null as HttpServer | null, port: 0 };
  const server: TusTestServer = {
    endpoint: '',
    completed,
    patchBytes: () => patchBytes,
    creations: () => creations,
    requests: () => requests,
    token,
    dieAfterPatchBytes: (bytes, onDeath) => {
      dieAt = { bytes, onDeath };
    },
    refuseCreations: (status, code, times) => {
      refusal = { status, code, times };
    },
    restart: () => listen(state.port),
    close: () => stop(),
  };

  function handler(request: IncomingMessage, response: ServerResponse): void {
    requests += 1;
    if (request.method !== 'OPTIONS' && request.headers.authorization !== `Bearer ${server.token}`) {
      response.writeHead(401, { 'Content-Type': 'text/plain' }).end('upload_token_invalid');
      request.resume();
      return;
    }
    if (request.method === 'POST') creations += 1;
    if (request.method === 'POST' && refusal && refusal.times > 0) {
      refusal.times -= 1;
      const body = JSON.stringify({ error: { code: refusal.code, message: `Refused by the test server (${refusal.code}).` } });
      response.writeHead(refusal.status, { 'Content-Type': 'application/json; charset=utf-8', 'Tus-Resumable': '1.0.0' }).end(body);
      request.resume();
      return;
    }
    if (request.method === 'PATCH') {
      request.on('data', (data: Buffer) => {
        patchBytes += data.length;
        if (dieAt && patchBytes >= dieAt.bytes) {
          const { onDeath } = dieAt;
          dieAt = null;
          void stop().then(onDeath);
        }
      });
      // A 'data' listener switches the stream to flowing; pause it so tus sees every byte when it starts reading.
      request.pause();
    }
    void tus.handle(request, response);
  }

  function listen(port: number): Promise<void> {
    const http = createServer(handler);
    state.server = http;
    return new Promise((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, '127.0.0.1', () => {
        state.port = (http.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  function stop(): Promise<void> {
    const http = state.server;
    state.server = null;
    if (!http) return Promise.resolve();
    return new Promise((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    });
  }

  await listen(0);
  (server as { endpoint: string }).endpoint = `http://127.0.0.1:${state.port}${UPLOAD_PATH}`;
  return server;
}
