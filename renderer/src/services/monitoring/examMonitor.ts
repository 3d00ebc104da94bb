import { SessionEvent } from '../../../../shared/api/events';
import type { MonitoringPolicy } from '../../../../shared/domain/examPolicy';
import { type ConditionSample, finishInterval, type FlagRule, IDLE, type IntervalChange, type IntervalState, stepInterval } from '../../../../shared/domain/flagIntervals';
import type { FaceImage, FaceService } from '../face/faceService';
import { descriptorDistance } from '../face/faceService';
import type { EventOutbox } from '../lockdown/eventOutbox';
import type { Logger } from '../logger';
import type { RecorderState } from '../recorder/recorder';
import type { IdentityFaces } from './identityFaces';
import { flagReason, flagRules, type MonitoredKind, PROMPT_KINDS, type PromptKind, promptRule } from './monitorRules';
import { headTurn, TURNED_AWAY } from './headPose';
import { blockedReason, type BlockedReason, pictureStats } from './pictureCheck';
import { DEFAULT_VOICE, readVoice, VOICE_START, type VoiceState } from './voiceActivity';

/** The recording this monitor watches (the recorder): its camera stream and whether the camera is lost. */
export interface MonitorSource {
  readonly stream: MediaStream | null;
  readonly status: { readonly state: RecorderState };
  subscribe(listener: () => void): () => void;
}

/** Frames and sound of one stream, read without opening another camera. */
export interface MediaProbe {
  /** What the face detector reads; null until the first frame has arrived. */
  image(): FaceImage | null;
  /** A small grey copy of the current frame (for the blocked-camera check); null before the first frame. */
  grey(): Uint8Array | null;
  /** The microphone's spectrum (dB per bin); null without a microphone. */
  spectrum(): Float32Array | null;
  readonly sampleRate: number;
  /** Evidence: the current frame as a small JPEG, base64. */
  thumbnail(): Promise<string | null>;
  dispose(): void;
}

export interface MonitorMedia {
  open(stream: MediaStream): MediaProbe;
}

/** Monitoring from exam start to submit; the player starts it and shows its prompts. */
export interface ExamMonitor {
  start(sessionId: string, policy: MonitoringPolicy, source: MonitorSource): void;
  /** Ends open flags now and sends them; stops reading the camera and microphone. */
  stop(sessionId: string): Promise<void>;
  /** The fixable conditions present now, for the learner’s prompt: the same array until they change (useSyncExternalStore). */
  prompts(): readonly PromptKind[];
  subscribe(listener: () => void): () => void;
  /** Called by the identity step with the face photo's descriptor (for `different_person`). */
  rememberIdentityFace(sessionId: string, descriptor: Float32Array): void;
}

export interface ExamMonitorDeps {
  readonly faces: FaceService;
  readonly media: MonitorMedia;
  readonly outbox: (sessionId: string) => EventOutbox;
  readonly identity: IdentityFaces;
  /** Wall clock, epoch ms (event times). */
  readonly now: () => number;
  /** Monotonic ms (durations). */
  readonly monotonic: () => number;
  readonly setInterval: (fn: () => void, ms: number) => () => void;
  readonly newId: () => string;
  /** Reports a detection's duration (performance.measure in the app, read by `bench:capture`). */
  readonly measure?: (name: 'face-frame' | 'face-identity', startMs: number, endMs: number) => void;
  readonly log: Logger;
}

const VOICE_MS = 100;
const FACE_KINDS = ['absent', 'multiple_faces', 'looking_away'] as const;
/** First identity comparison this soon after start, then every `identityCheckSeconds`. */
const FIRST_IDENTITY_CHECK_MS = 3000;

interface OpenFlag {
  readonly event: SessionEvent;
}

interface Running {
  readonly sessionId: string;
  readonly policy: MonitoringPolicy;
  readonly source: MonitorSource;
  readonly outbox: EventOutbox;
  readonly rules: Partial<Record<MonitoredKind, FlagRule>>;
  readonly startedAt: number;
  intervals: Map<MonitoredKind, IntervalState>;
  promptIntervals: Map<PromptKind, IntervalState>;
  open: Map<MonitoredKind, OpenFlag>;
  /** Last detail seen per kind, for the reason of a flag that opens. */
  detail: { blocked?: BlockedReason | null; distance?: number; turn?: number };
  probe: MediaProbe | null;
  stream: MediaStream | null;
  previousGrey: Uint8Array | null;
  voice: VoiceState;
  busy: boolean;
  nextIdentityCheck: number;
  stops: (() => void)[];
}

/**
 * Face detection a few times a second on the recording's own stream, the blocked-camera check on a
 * small copy of the same frames, voice activity from the recording's microphone, and the recorder's
 * camera-lost state. Each condition goes through the interval rules (debounce, merge) twice: once
 * with the policy's thresholds for the proctor's flags (sent through the outbox, open then closed
 * under the same id), once quickly for the learner's prompt. A tick is skipped while the previous
 * detection still runs, so a slow computer detects less often but the page stays responsive.
 */
export class MediaExamMonitor implements ExamMonitor {
  private running: Running | null = null;
  private current: readonly PromptKind[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: ExamMonitorDeps) {}

  rememberIdentityFace(sessionId: string, descriptor: Float32Array): void {
    this.deps.identity.remember(sessionId, descriptor);
  }

  prompts(): readonly PromptKind[] {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(sessionId: string, policy: MonitoringPolicy, source: MonitorSource): void {
    if (this.running?.sessionId === sessionId && this.running.source === source) return;
    if (this.running) void this.stop(this.running.sessionId);
    const { deps } = this;
    const run: Running = {
      sessionId,
      policy,
      source,
      outbox: deps.outbox(sessionId),
      rules: flagRules(policy),
      startedAt: deps.monotonic(),
      intervals: new Map(),
      promptIntervals: new Map(),
      open: new Map(),
      detail: {},
      probe: null,
      stream: null,
      previousGrey: null,
      voice: VOICE_START,
      busy: false,
      nextIdentityCheck: deps.monotonic() + FIRST_IDENTITY_CHECK_MS,
      stops: [],
    };
    this.running = run;
    const follow = () => this.follow(run);
    run.stops.push(source.subscribe(follow));
    run.stops.push(deps.setInterval(() => void this.frameTick(run), Math.round(1000 / policy.detectionsPerSecond)));
    if (run.rules.speech) run.stops.push(deps.setInterval(() => this.voiceTick(run), VOICE_MS));
    follow();
    void run.outbox.flush(); // flags a crash left unsent
    void deps.faces.warm();
    deps.log.info('monitoring started', { sessionId, detectionsPerSecond: policy.detectionsPerSecond });
  }

  async stop(sessionId: string): Promise<void> {
    const run = this.running;
    if (!run || run.sessionId !== sessionId) return;
    this.running = null;
    for (const stop of run.stops) stop();
    run.probe?.dispose();
    run.probe = null;
    const at = this.deps.now();
    const closing: SessionEvent[] = [];
    for (const [kind, state] of run.intervals) {
      const { change } = finishInterval(state, at);
      const event = change && this.closeEvent(run, kind, change);
      if (event) closing.push(event);
    }
    run.intervals.clear();
    this.setPrompts([]);
    // The exam is over (the recording stopped for good): the identity descriptor is no longer needed.
    if (run.source.status.state === 'stopped') this.deps.identity.forget(sessionId);
    await run.outbox.add(closing);
    run.outbox.dispose();
    this.deps.log.info('monitoring stopped', { sessionId, closed: closing.length });
  }

  /** Follows the recorder: a new take brings a new stream; a lost camera is a flag of its own. */
  private follow(run: Running): void {
    if (this.running !== run) return;
    const stream = run.source.status.state === 'recording' ? run.source.stream : null;
    if (stream !== run.stream) {
      run.probe?.dispose();
      run.probe = stream ? this.deps.media.open(stream) : null;
      run.stream = stream;
      run.previousGrey = null;
    }
    const state = run.source.status.state;
    this.sample(run, 'camera_lost', { at: this.deps.now(), active: state === 'camera_lost' ? true : state === 'recording' ? false : null });
  }

  private async frameTick(run: Running): Promise<void> {
    if (this.running !== run || run.busy) return;
    const probe = run.probe;
    const image = probe?.image() ?? null;
    if (!probe || !image) return;
    run.busy = true;
    try {
      const at = this.deps.now();
      const blocked = this.checkPicture(run, probe, at);
      if (blocked) {
        // A covered camera shows no face; that is one problem, reported once.
        for (const kind of FACE_KINDS) this.sample(run, kind, { at, active: null });
        return;
      }
      const t0 = this.deps.monotonic();
      const found = await this.deps.faces.detect(image, { withLandmarks: run.rules.looking_away !== undefined });
      this.deps.measure?.('face-frame', t0, this.deps.monotonic());
      if (this.running !== run) return;
      if (!found.ok) {
        for (const kind of FACE_KINDS) this.sample(run, kind, { at, active: null });
        return;
      }
      const faces = found.value;
      this.sample(run, 'absent', { at, active: faces.length === 0, confidence: 0.9 });
      this.sample(run, 'multiple_faces', { at, active: faces.length > 1, confidence: faces[1]?.box.score ?? 1 });
      const turn = faces.length === 1 ? headTurn(faces[0]!.landmarks) : null;
      if (turn !== null) run.detail.turn = turn;
      // 0.5 at the limit, 1 at twice it.
      const turnConfidence = turn === null ? 0 : Math.min(1, Math.abs(turn) / TURNED_AWAY / 2);
      this.sample(run, 'looking_away', { at, active: turn === null ? null : Math.abs(turn) > TURNED_AWAY, confidence: turnConfidence });
      if (faces.length === 1 && this.deps.monotonic() >= run.nextIdentityCheck) await this.checkIdentity(run, image, at);
    } finally {
      run.busy = false;
    }
  }

  private checkPicture(run: Running, probe: MediaProbe, at: number): boolean {
    const grey = probe.grey();
    if (!grey) return false;
    const reason = blockedReason(pictureStats(grey, run.previousGrey));
    run.previousGrey = grey;
    if (reason) run.detail.blocked = reason;
    this.sample(run, 'camera_blocked', { at, active: reason !== null, confidence: reason === 'dark' ? 0.9 : reason === 'covered' ? 0.8 : 0.7 });
    return reason !== null;
  }

  private async checkIdentity(run: Running, image: FaceImage, at: number): Promise<void> {
    run.nextIdentityCheck = this.deps.monotonic() + run.policy.identityCheckSeconds * 1000;
    const reference = this.deps.identity.recall(run.sessionId);
    if (!reference) {
      this.deps.log.info('no identity photo descriptor for this session: different_person is not checked', { sessionId: run.sessionId });
      return;
    }
    const t0 = this.deps.monotonic();
    const found = await this.deps.faces.detect(image, { withDescriptor: true });
    this.deps.measure?.('face-identity', t0, this.deps.monotonic());
    if (this.running !== run || !found.ok || found.value.length !== 1 || !found.value[0]!.descriptor) return;
    const distance = descriptorDistance(found.value[0]!.descriptor, reference);
    const limit = run.policy.differentPersonDistance;
    run.detail.distance = distance;
    this.deps.log.info('identity comparison', { sessionId: run.sessionId, distance: Math.round(distance * 100) / 100 });
    // 0.5 at the limit, 1 at 0.25 over it (different people measured 0.67–0.87 against 0.6).
    const confidence = Math.min(1, Math.max(0, 0.5 + (distance - limit) * 2));
    this.sample(run, 'different_person', { at, active: distance > limit, confidence });
  }

  private voiceTick(run: Running): void {
    if (this.running !== run || !run.probe) return;
    const spectrum = run.probe.spectrum();
    if (!spectrum) return;
    const at = this.deps.now();
    const reading = readVoice({ ...DEFAULT_VOICE, readsPerSecond: 1000 / VOICE_MS, sampleRate: run.probe.sampleRate, bins: spectrum.length }, run.voice, spectrum, at);
    run.voice = reading.state;
    this.sample(run, 'speech', { at, active: reading.active, confidence: reading.confidence });
  }

  private sample(run: Running, kind: MonitoredKind, sample: ConditionSample): void {
    const rule = run.rules[kind];
    if (rule) {
      const next = stepInterval(rule, run.intervals.get(kind) ?? IDLE, sample);
      run.intervals.set(kind, next.state);
      if (next.change) void this.report(run, kind, next.change);
    }
    if ((PROMPT_KINDS as readonly string[]).includes(kind) && rule) {
      const promptKind = kind as PromptKind;
      const next = stepInterval(promptRule(promptKind, run.policy), run.promptIntervals.get(promptKind) ?? IDLE, sample);
      run.promptIntervals.set(promptKind, next.state);
      if (next.change?.type === 'open' || next.change?.type === 'close') {
        const shown = PROMPT_KINDS.filter((k) => run.promptIntervals.get(k)?.phase === 'open');
        this.setPrompts(shown);
      }
    }
  }

  private async report(run: Running, kind: MonitoredKind, change: IntervalChange): Promise<void> {
    if (change.type === 'open') {
      const id = this.deps.newId();
      // Reserve the id first: a close may come while the thumbnail is being made.
      const draft = SessionEvent.parse({
        id,
        kind,
        severity: change.severity,
        startedAt: new Date(change.startedAt).toISOString(),
        endedAt: null,
        reason: flagReason(kind, run.policy, run.detail),
        confidence: change.confidence,
        detail: detailFor(kind, run.detail),
      });
      run.open.set(kind, { event: draft });
      const thumbnail = kind === 'camera_lost' ? null : await this.thumbnail(run);
      const flag = run.open.get(kind);
      // Closed meanwhile: the close (without the picture) has been sent already.
      if (flag?.event.id !== id) return;
      const event = { ...flag.event, thumbnail };
      run.open.set(kind, { event });
      this.deps.log.info('flag raised', { sessionId: run.sessionId, kind, confidence: change.confidence });
      await run.outbox.add([event]);
      return;
    }
    if (change.type === 'escalate') {
      const flag = run.open.get(kind);
      if (flag) run.open.set(kind, { event: { ...flag.event, severity: change.severity } });
      return;
    }
    const event = this.closeEvent(run, kind, change);
    if (event) await run.outbox.add([event]);
  }

  private closeEvent(run: Running, kind: MonitoredKind, change: IntervalChange): SessionEvent | null {
    if (change.type !== 'close') return null;
    const flag = run.open.get(kind);
    run.open.delete(kind);
    if (!flag) return null;
    return { ...flag.event, endedAt: new Date(change.endedAt).toISOString(), severity: change.severity, confidence: change.confidence };
  }

  private async thumbnail(run: Running): Promise<string | null> {
    try {
      return (await run.probe?.thumbnail()) ?? null;
    } catch (error) {
      this.deps.log.warn('evidence thumbnail failed', { error: String(error) });
      return null;
    }
  }

  private setPrompts(next: readonly PromptKind[]): void {
    if (next.length === this.current.length && next.every((k, i) => this.current[i] === k)) return;
    this.current = next;
    for (const l of this.listeners) l();
  }
}

function detailFor(kind: MonitoredKind, detail: Running['detail']): SessionEvent['detail'] {
  if (kind === 'camera_blocked') return { picture: detail.blocked ?? null };
  if (kind === 'looking_away') return { turn: detail.turn === undefined ? null : Math.round(detail.turn * 100) / 100 };
  if (kind === 'different_person') return { distance: detail.distance === undefined ? null : Math.round(detail.distance * 1000) / 1000 };
  return {};
}
