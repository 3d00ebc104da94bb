import type { LiveTile } from '../../../shared/api/live';
import type { LearnerControlEvent, LearnerLive, LiveStatus } from '../services/live/liveProducer';
import type { LiveServices } from '../services/live/liveServices';
import type { ProctorLive, TileMedia, WatchSnapshot, WatchStatus } from '../services/live/liveWatcher';

/** Test doubles for live proctoring: a learner's producer and a proctor's watch the test drives. */

export class FakeLearnerLive implements LearnerLive {
  status: LiveStatus = 'off';
  handRaised = false;
  started = 0;
  stopped = 0;
  streams: Array<MediaStream | null> = [];
  hands: boolean[] = [];
  private listeners = new Set<() => void>();
  subscribe(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  start() {
    this.started++;
    this.set('connecting');
  }
  stop() {
    this.stopped++;
    this.set('off');
  }
  setStream(stream: MediaStream | null) {
    this.streams.push(stream);
  }
  raiseHand(raised: boolean) {
    this.hands.push(raised);
    this.handRaised = raised;
    this.emit();
  }
  set(status: LiveStatus) {
    this.status = status;
    this.emit();
  }
  private controlListeners = new Set<(event: LearnerControlEvent) => void>();
  onControl(listener: (event: LearnerControlEvent) => void) {
    this.controlListeners.add(listener);
    return () => this.controlListeners.delete(listener);
  }
  /** The socket pushes a proctor's action. */
  control(event: LearnerControlEvent) {
    for (const l of [...this.controlListeners]) l(event);
  }
  private emit() {
    for (const l of [...this.listeners]) l();
  }
}

export class FakeProctorLive implements ProctorLive {
  private snap: WatchSnapshot = { status: 'connecting', tiles: [], media: new Map() };
  started = 0;
  stopped = 0;
  shown: string[][] = [];
  focused: Array<string | null> = [];
  attachedIds: string[] = [];
  private listeners = new Set<() => void>();
  snapshot() {
    return this.snap;
  }
  subscribe(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  start() {
    this.started++;
  }
  stop() {
    this.stopped++;
  }
  show(sessionIds: readonly string[]) {
    this.shown.push([...sessionIds]);
  }
  focus(sessionId: string | null) {
    this.focused.push(sessionId);
  }
  attached(consumerId: string) {
    this.attachedIds.push(consumerId);
  }
  /** Pushes a new state to the page, as the real watch does on `tiles` and consumer changes. */
  set(status: WatchStatus, tiles: readonly LiveTile[], media: ReadonlyMap<string, TileMedia> = new Map()) {
    this.snap = { status, tiles, media };
    for (const l of [...this.listeners]) l();
  }
  get lastShown(): string[] {
    return this.shown[this.shown.length - 1] ?? [];
  }
  get lastFocused(): string | null {
    return this.focused[this.focused.length - 1] ?? null;
  }
}

export function fakeLiveServices(learner = new FakeLearnerLive(), proctor = new FakeProctorLive()): LiveServices & { learner: FakeLearnerLive; proctor: FakeProctorLive } {
  return { learner, proctor, createProducer: () => learner, createWatcher: () => proctor };
}

export const liveTile = (n: number, patch: Partial<LiveTile> = {}): LiveTile => ({
  sessionId: `s${n}`,
  learnerName: `Learner ${String(n).padStart(2, '0')}`,
  examTitle: 'Sample Proctored Trial Test',
  sectionTitle: 'Part A',
  sectionEndsAt: null,
  handRaised: false,
  sources: ['camera', 'microphone'],
  recentFlags: [],
  pausedSince: null,
  lastMessage: null,
  ...patch,
});
