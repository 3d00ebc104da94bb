import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * SQLite in WAL mode copies the log back into the database ("checkpoint") inside whichever commit
 * crosses the threshold: that commit, and every query queued behind it on the one connection, waits
 * for the copy and its fsyncs (tens of ms here). Review claims showed it as their p99. So the
 * connection's own threshold is raised to a safety net, and a worker thread with its own connection
 * checkpoints PASSIVE (never blocking writers) every `everyMs`. If the worker dies, the safety net
 * still bounds the log.
 */
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error && error.message || error)); }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.close(); } finally {
    const done = new Int32Array(workerData.done);
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
    process.exit(0);
  }
});
`;

/** Pages in the log before the connection checkpoints by itself (SQLite's default is 1000). */
export const WAL_SAFETY_NET_PAGES = 20_000;

export interface WalCheckpointer {
  /**
   * Stops the worker and waits (synchronously, up to a second) until its connection is closed, so
   * the caller may delete the database files right after closing its own connection.
   */
  stopSync(): void;
}

export function startWalCheckpointer(file: string, options: { everyMs?: number; onError?: (message: string) => void } = {}): WalCheckpointer {
  const done = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { file, everyMs: options.everyMs ?? 250, driver: createRequire(import.meta.url).resolve('better-sqlite3'), done },
  });
  worker.unref();
  worker.on('message', (message: string) => options.onError?.(message));
  worker.on('error', (error) => options.onError?.(error.message));
  let stopped = false;
  return {
    stopSync: () => {
      if (stopped) return;
      stopped = true;
      worker.postMessage('stop');
      Atomics.wait(new Int32Array(done), 0, 0, 1000);
    },
  };
}
