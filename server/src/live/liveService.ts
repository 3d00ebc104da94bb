// Live proctoring in the review server: the worker pool, the signalling sockets, the sessions with a
// learner connected, the `tiles` pushes to watching staff, and what happens when a worker dies or a
// session ends. Start it with `LiveService.start`, which never fails: without a worker it runs
// "unavailable" and `hello` says so.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Kysely } from 'kysely';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  LIVE_HELLO_TIMEOUT_MS,
  LiveCloseCode,
  type LiveNotification,
  type LiveNotificationOf,
  MAX_LIVE_FRAME_BYTES,
  type SessionStatus,
  type UserView,
} from '../../../shared/api';
import { isInProgress } from '../../../shared/domain/sessionStatus';
import type { Database } from '../db/schema';
import type { ExamStore } from '../exams/examStore';
import type { LiveContext } from './handlers';
import type { LiveSession } from './liveSession';
import type { LiveSettings } from './liveSettings';
import { Peer } from './peer';
import { ProducerPipes } from './pipes';
import { handleFrame, type SignallingContext } from './signalling';
import { loadTiles, tilesFrame } from './tiles';
import { locateWorkerBin } from './workerLocation';
import { WorkerPool } from './workerPool';

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface LiveServiceOptions {
  readonly settings: LiveSettings;
  readonly db: Kysely<Database>;
  readonly exams: ExamStore;
  readonly clock: () => number;
  readonly authenticate: (accessToken: string) => Promise<UserView>;
  readonly log: Log;
  /** The worker binary; by default MEDIASOUP_WORKER_BIN or the install step's cache. */
  readonly workerBin?: string;
  /** How long a socket may stay without a valid `hello` (the contract's LIVE_HELLO_TIMEOUT_MS). */
  readonly helloTimeoutMs?: number;
  /** How often session statuses and flags are read again (2 s). */
  readonly pollMs?: number;
  /** How often sockets are pinged; one that has not answered the previous ping is dropped (20 s). */
  readonly heartbeatMs?: number;
  /** First backoff before a dead worker is replaced (1 s). */
  readonly restartBackoffMs?: number;
}

const TILES_DEBOUNCE_MS = 100;
/** How long sockets get to close on shutdown before they are cut. */
const CLOSE_GRACE_MS = 1_000;

export class LiveService implements SignallingContext {
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_LIVE_FRAME_BYTES, perMessageDeflate: false });
  private readonly peers = new Set<Peer>();
  private readonly sessions = new Map<string, LiveSession>();
  private readonly pipes = new ProducerPipes();
  private readonly context: LiveContext | null;
  private readonly timers: NodeJS.Timeout[] = [];
  private tilesTimer: NodeJS.Timeout | null = null;
  private lastTiles = '';
  private polling = false;
  private closed = false;
  readonly log: Log;

  private constructor(
    private readonly options: LiveServiceOptions,
    readonly pool: WorkerPool | null,
  ) {
    this.log = options.log;
    this.context = pool
      ? { settings: options.settings, pool, db: options.db, sessions: this.sessions, pipes: this.pipes, tilesChanged: () => this.tilesChanged() }
      : null;
    if (pool) {
      pool.on('died', (slot) => this.onWorkerDied(slot));
      pool.on('replaced', () => this.onWorkerReplaced());
      this.every(options.pollMs ?? 2_000, () => void this.poll());
    }
    this.every(options.heartbeatMs ?? 20_000, () => this.heartbeat());
  }

  /** Starts the pool when live is on and a worker can be had; otherwise logs one line saying why not. */
  static async start(options: LiveServiceOptions): Promise<LiveService> {
    const off = (reason: string): LiveService => {
      options.log.warn({ reason }, `live proctoring off: ${reason}`);
      return new LiveService(options, null);
    };
    if (!options.settings.enabled) {
      options.log.info({ reason: 'INVIGIL_LIVE=off' }, 'live proctoring off: INVIGIL_LIVE=off');
      return new LiveService(options, null);
    }
    let workerBin = options.workerBin;
    if (!workerBin) {
      const located = locateWorkerBin();
      if (!located.ok) return off(located.reason);
      workerBin = located.path;
    }
    try {
      const pool = await WorkerPool.start({
        workers: options.settings.workers,
        workerBin,
        log: options.log,
        ...(options.restartBackoffMs !== undefined ? { backoffMs: options.restartBackoffMs } : {}),
      });
      options.log.info({ workers: options.settings.workers, workerBin, listenIp: options.settings.listenIp }, 'live proctoring on');
      return new LiveService(options, pool);
    } catch (error) {
      return off(`the mediasoup worker did not start (${(error as Error).message})`);
    }
  }

  get available(): boolean {
    return this.pool?.anyRouter() != null;
  }

  // --- SignallingContext -------------------------------------------------------------------------

  live(): LiveContext | null {
    return this.closed ? null : this.context;
  }

  authenticate(accessToken: string): Promise<UserView> {
    return this.options.authenticate(accessToken);
  }

  watching(peer: Peer): void {
    void this.pushTiles(peer);
  }

  // --- sockets -----------------------------------------------------------------------------------

  /** For the HTTP server's `upgrade` event on the live socket path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.sockets.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    const peer = new Peer(ws);
    this.peers.add(peer);
    const helloTimer = setTimeout(() => {
      if (peer.user === null) peer.close(LiveCloseCode.unauthorised, 'no hello');
    }, this.options.helloTimeoutMs ?? LIVE_HELLO_TIMEOUT_MS);
    ws.on('message', (raw, isBinary) => peer.enqueue(() => handleFrame(this, peer, raw, isBinary)));
    ws.on('pong', () => {
      peer.alive = true;
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearTimeout(helloTimer);
      this.leave(peer);
    });
  }

  /** A socket closed: its media ends; a learner's session leaves the grid. */
  private leave(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    peer.closeMedia();
    peer.watching = false;
    const entry = peer.sessionId === null ? undefined : this.sessions.get(peer.sessionId);
    if (entry && entry.learner === peer) this.dropSession(entry);
    else if (peer.user && peer.user.role !== 'learner' && peer.slot !== null) this.pool?.release(peer.slot);
    peer.slot = null;
  }

  private dropSession(entry: LiveSession): void {
    if (this.sessions.get(entry.sessionId) !== entry) return;
    this.sessions.delete(entry.sessionId);
    for (const producer of entry.producers.values()) producer.close();
    entry.producers.clear();
    if (entry.slot !== null) this.pool?.release(entry.slot);
    entry.slot = null;
    this.tilesChanged();
  }

  private heartbeat(): void {
    for (const peer of this.peers) {
      if (!peer.alive) {
        peer.socket.terminate();
        continue;
      }
      peer.alive = false;
      if (peer.open) peer.socket.ping();
    }
  }

  // --- proctor actions (control/) ----------------------------------------------------------------

  /** Tells the session's connected learner, if any; the session view carries the same state otherwise. */
  notifyLearner<N extends LiveNotification>(sessionId: string, notification: N, data: LiveNotificationOf<N>): void {
    this.sessions.get(sessionId)?.learner.notify(notification, data);
  }

  /** A pause, message or acknowledgement: the tiles show it. */
  controlChanged(): void {
    this.tilesChanged();
  }

  // --- sessions ending ---------------------------------------------------------------------------

  /** Reads the session's status now (after a submit) and ends its live media if it is over. */
  async checkSession(sessionId: string): Promise<void> {
    if (this.sessions.has(sessionId)) await this.endFinished([sessionId]);
  }

  private async endFinished(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const rows = await this.options.db.selectFrom('sessions').select(['id', 'status']).where('id', 'in', ids).execute();
    const live = new Set(rows.filter((r) => isInProgress(r.status as SessionStatus)).map((r) => r.id));
    for (const id of ids) {
      if (live.has(id)) continue;
      const entry = this.sessions.get(id);
      if (!entry) continue;
      const learner = entry.learner;
      this.dropSession(entry);
      learner.sessionId = null;
      learner.closeMedia();
      learner.close(LiveCloseCode.sessionOver, 'session over');
    }
  }

  /** Every `pollMs`: sessions that ended (by any route) leave, and flags or sections new since show. */
  private async poll(): Promise<void> {
    if (this.polling || this.closed) return;
    this.polling = true;
    try {
      await this.endFinished([...this.sessions.keys()]);
      if ([...this.peers].some((p) => p.watching)) await this.pushTiles();
    } catch (error) {
      this.log.error({ err: error }, 'live: poll failed');
    } finally {
      this.polling = false;
    }
  }

  // --- tiles -------------------------------------------------------------------------------------

  private tilesChanged(): void {
    if (this.tilesTimer || this.closed) return;
    this.tilesTimer = setTimeout(() => {
      this.tilesTimer = null;
      this.pushTiles().catch((error: unknown) => this.log.error({ err: error }, 'live: tiles failed'));
    }, TILES_DEBOUNCE_MS);
    this.tilesTimer.unref();
  }

  /** Sends the tiles to `only` (a new watcher), or to every watcher when they changed. */
  private async pushTiles(only?: Peer): Promise<void> {
    const watchers = only ? [only] : [...this.peers].filter((p) => p.watching);
    if (watchers.length === 0) return;
    const state = [...this.sessions.values()].map((s) => ({ sessionId: s.sessionId, handRaised: s.handRaised, sources: [...s.producers.keys()] }));
    const tiles = await loadTiles(this.options.db, this.options.exams, state, this.options.clock());
    const { text, trimmed } = tilesFrame(tiles, MAX_LIVE_FRAME_BYTES);
    if (trimmed) this.log.warn({ sessions: tiles.length }, 'live: tiles trimmed to fit one frame');
    if (!only) {
      if (text === this.lastTiles) return;
      this.lastTiles = text;
    }
    for (const peer of watchers) if (peer.watching) peer.sendText(text);
  }

  // --- worker restarts ---------------------------------------------------------------------------

  /** Everything on the dead worker is gone: its sessions and staff move to another router. */
  private onWorkerDied(slot: number): void {
    const affected = new Set<Peer>();
    for (const entry of this.sessions.values()) {
      if (entry.slot !== slot) continue;
      entry.producers.clear();
      entry.slot = null;
      entry.learner.slot = null;
      if (entry.learner.usedSlot) affected.add(entry.learner);
    }
    for (const peer of this.peers) {
      if (peer.slot !== slot) continue;
      peer.slot = null;
      if (peer.usedSlot) affected.add(peer);
    }
    for (const peer of affected) {
      peer.closeMedia();
      peer.usedSlot = false;
      peer.needsRestart = true;
    }
    this.reassign();
    this.tilesChanged();
  }

  private onWorkerReplaced(): void {
    this.reassign();
  }

  /** Gives every session and staff socket without a router one, and tells the sockets that had media. */
  private reassign(): void {
    if (!this.pool) return;
    for (const entry of this.sessions.values()) {
      if (entry.slot !== null) continue;
      entry.slot = this.pool.assign();
      entry.learner.slot = entry.slot;
    }
    for (const peer of this.peers) {
      const isStaff = peer.user !== null && peer.user.role !== 'learner';
      if (isStaff && peer.slot === null && peer.needsRestart) peer.slot = this.pool.assign();
      if (peer.needsRestart && peer.slot !== null) {
        peer.needsRestart = false;
        peer.notify('restarted', {});
      }
    }
  }

  // --- shutdown ----------------------------------------------------------------------------------

  /** Process ids of the running workers, by slot (null while one is replaced). */
  workerPids(): Array<number | null> {
    return this.pool?.pids() ?? [];
  }

  /** The process id of the worker a session's media is on (tests kill it). */
  sessionWorkerPid(sessionId: string): number | null {
    const slot = this.sessions.get(sessionId)?.slot;
    return slot === undefined || slot === null ? null : (this.workerPids()[slot] ?? null);
  }

  /** Closes every socket (1001, then cut after a grace period) and the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    if (this.tilesTimer) clearTimeout(this.tilesTimer);
    const peers = [...this.peers];
    for (const peer of peers) peer.close(LiveCloseCode.goingAway, 'server shutting down');
    const allClosed = Promise.all(peers.map((p) => new Promise<void>((done) => (p.socket.readyState === p.socket.CLOSED ? done() : p.socket.once('close', () => done())))));
    const grace = new Promise<void>((done) => setTimeout(done, CLOSE_GRACE_MS).unref());
    await Promise.race([allClosed, grace]);
    for (const peer of peers) peer.socket.terminate();
    for (const peer of peers) this.leave(peer);
    this.sockets.close();
    await this.pool?.close();
  }

  private every(ms: number, run: () => void): void {
    const timer = setInterval(run, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
