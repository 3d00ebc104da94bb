import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../../shared/api/events';
import { MonitoringPolicy } from '../../../../shared/domain/examPolicy';
import { ok } from '../../../../shared/result';
import type { FaceDetection, FaceService } from '../face/faceService';
import type { EventOutbox } from '../lockdown/eventOutbox';
import { silentLogger } from '../logger';
import type { RecorderState } from '../recorder/recorder';
import { MediaExamMonitor, type MediaProbe, type MonitorSource } from './examMonitor';
import { IdentityFaces } from './identityFaces';

const T0 = Date.parse('2026-11-28T10:00:00.000Z');

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k), map };
}

const face = (score = 0.9, descriptor: Float32Array | null = null): FaceDetection => ({ box: { x: 100, y: 100, width: 150, height: 180, score }, descriptor });

/** A noisy, lit picture, different on every call. */
function livelyGrey(seed: number): Uint8Array {
  return Uint8Array.from({ length: 32 * 24 }, (_, i) => (i * 37 + seed * 11) % 200 + 30);
}

function world(policyInput: Partial<MonitoringPolicy> = {}) {
  const policy = MonitoringPolicy.parse(policyInput);
  let now = T0;
  const intervals: { fn: () => void; ms: number; live: boolean }[] = [];
  let facesInView: FaceDetection[] = [face()];
  let greyFrame: (n: number) => Uint8Array = livelyGrey;
  let spectrum: Float32Array | null = null;
  let frameNo = 0;
  const added: SessionEvent[] = [];
  const disposed: string[] = [];
  const faces: FaceService = {
    warm: async () => ok({ backend: 'fake', ms: 0 }),
    detect: async (_image, options) => ok(options?.withDescriptor ? facesInView.map((f) => ({ ...f, descriptor: f.descriptor ?? new Float32Array(128) })) : facesInView),
  };
  const probe = (): MediaProbe => ({
    image: () => ({}) as HTMLCanvasElement,
    grey: () => greyFrame(frameNo++),
    spectrum: () => spectrum,
    sampleRate: 48_000,
    thumbnail: async () => '/9j/4AAQSkZJRg==',
    dispose: () => void disposed.push('probe'),
  });
  const listeners = new Set<() => void>();
  const source: MonitorSource & { set(state: RecorderState, stream?: MediaStream | null): void } = {
    stream: {} as MediaStream,
    status: { state: 'recording' },
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    set(state, stream = {} as MediaStream) {
      (this as { status: { state: RecorderState } }).status = { state };
      (this as { stream: MediaStream | null }).stream = stream;
      for (const l of listeners) l();
    },
  };
  const storage = memoryStorage();
  const outbox = { add: async (events: readonly SessionEvent[]) => void added.push(...events), flush: async () => {}, dispose: () => {} } as unknown as EventOutbox;
  let ids = 0;
  const monitor = new MediaExamMonitor({
    faces,
    media: { open: probe },
    outbox: () => outbox,
    identity: new IdentityFaces(storage, silentLogger),
    now: () => now,
    monotonic: () => now - T0,
    setInterval: (fn, ms) => {
      const entry = { fn, ms, live: true };
      intervals.push(entry);
      return () => {
        entry.live = false;
      };
    },
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    log: silentLogger,
  });
  /** Advances the clock, firing the intervals in time order and letting each tick's promises settle. */
  async function advance(ms: number) {
    const step = 100;
    for (let t = 0; t < ms; t += step) {
      now += step;
      for (const i of intervals) if (i.live && (now - T0) % i.ms === 0) i.fn();
      for (let k = 0; k < 5; k++) await Promise.resolve();
    }
  }
  return {
    policy,
    monitor,
    source,
    added,
    disposed,
    storage,
    advance,
    start: () => monitor.start('s1', policy, source),
    showFaces: (f: FaceDetection[]) => (facesInView = f),
    showGrey: (g: (n: number) => Uint8Array) => (greyFrame = g),
    hear: (s: Float32Array | null) => (spectrum = s),
    kinds: () => added.map((e) => `${e.kind}:${e.endedAt === null ? 'open' : 'closed'}`),
  };
}

describe('MediaExamMonitor', () => {
  it('flags absence after the policy’s seconds, prompts within two, and closes both when the face is back', async () => {
    const w = world({ absentSeconds: 5 });
    w.start();
    await w.advance(2000);
    w.showFaces([]);
    await w.advance(2500);
    expect(w.monitor.prompts()).toEqual(['absent']);
    expect(w.added).toEqual([]);
    await w.advance(3500);
    expect(w.kinds()).toEqual(['absent:open']);
    const opened = w.added[0]!;
    expect(opened).toMatchObject({ severity: 'medium', confidence: 0.9, thumbnail: '/9j/4AAQSkZJRg==' });
    expect(Date.parse(opened.startedAt) - T0).toBeGreaterThanOrEqual(2000);
    expect(Date.parse(opened.startedAt) - T0).toBeLessThanOrEqual(2500);
    w.showFaces([face()]);
    await w.advance(4000);
    expect(w.kinds()).toEqual(['absent:open', 'absent:closed']);
    expect(w.added[1]!.id).toBe(opened.id);
    expect(w.monitor.prompts()).toEqual([]);
  });

  it('a face missing for less than the policy allows raises a prompt but no flag', async () => {
    const w = world({ absentSeconds: 10 });
    w.start();
    w.showFaces([]);
    await w.advance(6000);
    expect(w.monitor.prompts()).toEqual(['absent']);
    w.showFaces([face()]);
    await w.advance(3000);
    expect(w.monitor.prompts()).toEqual([]);
    expect(w.added).toEqual([]);
  });

  it('flags two faces with the second face’s score as confidence', async () => {
    const w = world({ multipleFacesSeconds: 3 });
    w.start();
    w.showFaces([face(0.95), face(0.7)]);
    await w.advance(4000);
    expect(w.kinds()).toEqual(['multiple_faces:open']);
    expect(w.added[0]).toMatchObject({ severity: 'high', confidence: 0.7 });
    expect(w.monitor.prompts()).toEqual(['multiple_faces']);
  });

  it('a dark picture is camera_blocked, and not also absent', async () => {
    const w = world({ cameraBlockedSeconds: 3, absentSeconds: 3 });
    w.start();
    w.showGrey(() => new Uint8Array(32 * 24).fill(5));
    w.showFaces([]);
    await w.advance(5000);
    expect(w.kinds()).toEqual(['camera_blocked:open']);
    expect(w.added[0]!.detail).toEqual({ picture: 'dark' });
    expect(w.added[0]!.reason).toMatch(/black or very dark/);
    expect(w.monitor.prompts()).toEqual(['camera_blocked']);
  });

  it('a frozen picture is camera_blocked', async () => {
    const w = world({ cameraBlockedSeconds: 3 });
    w.start();
    const still = livelyGrey(1);
    w.showGrey(() => still);
    await w.advance(5000);
    expect(w.kinds()).toEqual(['camera_blocked:open']);
    expect(w.added[0]!.detail).toEqual({ picture: 'frozen' });
  });

  it('compares the face with the remembered identity photo and flags a different person', async () => {
    const w = world({ identityCheckSeconds: 10 });
    const reference = new Float32Array(128).fill(0.1);
    w.monitor.rememberIdentityFace('s1', reference);
    w.showFaces([face(0.9, new Float32Array(128).fill(0.2))]); // distance ≈ 1.13
    w.start();
    await w.advance(4000);
    expect(w.kinds()).toEqual(['different_person:open']);
    expect(w.added[0]).toMatchObject({ severity: 'high', confidence: 1 });
    expect(Number(w.added[0]!.detail.distance)).toBeCloseTo(1.131, 2);
    expect(w.monitor.prompts()).toEqual([]); // not something a prompt can fix
    // The same person at the next check closes it.
    w.showFaces([face(0.9, new Float32Array(128).fill(0.1))]);
    await w.advance(11_000);
    expect(w.kinds()).toEqual(['different_person:open', 'different_person:closed']);
  });

  it('without a remembered identity photo there is no comparison', async () => {
    const w = world({ identityCheckSeconds: 10 });
    w.showFaces([face(0.9, new Float32Array(128).fill(0.9))]);
    w.start();
    await w.advance(25_000);
    expect(w.added).toEqual([]);
  });

  it('a head turned away for longer than the policy is looking_away; facing the screen is not', async () => {
    const w = world({ lookingAwaySeconds: 4 });
    const points = (noseDx: number) => {
      const p = Array.from({ length: 68 }, () => ({ x: 200, y: 150 }));
      for (let i = 36; i <= 41; i++) p[i] = { x: 180, y: 100 };
      for (let i = 42; i <= 47; i++) p[i] = { x: 220, y: 100 };
      p[30] = { x: 200 + noseDx, y: 130 };
      return p;
    };
    w.showFaces([{ ...face(), landmarks: points(2) }]);
    w.start();
    await w.advance(6000);
    expect(w.added).toEqual([]);
    w.showFaces([{ ...face(), landmarks: points(25) }]);
    await w.advance(5000);
    expect(w.kinds()).toEqual(['looking_away:open']);
    expect(w.added[0]).toMatchObject({ severity: 'low', detail: { turn: 0.63 } });
    expect(w.monitor.prompts()).toEqual([]);
  });

  it('speech: a voice over the room’s noise for longer than the policy is flagged; a beep is not', async () => {
    const w = world({ speechSeconds: 3 });
    const quiet = new Float32Array(512).fill(-100);
    w.hear(quiet);
    w.start();
    await w.advance(2000);
    const beep = quiet.map((v, i) => (i === 21 ? -10 : v));
    w.hear(beep);
    await w.advance(5000);
    expect(w.added).toEqual([]);
    const voice = quiet.map((v, i) => (i >= 8 && i <= 60 ? -35 + (i % 5) : v));
    w.hear(voice);
    await w.advance(4000);
    expect(w.kinds()).toEqual(['speech:open']);
    expect(w.monitor.prompts()).toEqual(['speech']);
  });

  it('a lost camera is flagged at once and ends when the recorder has a new take', async () => {
    const w = world();
    w.start();
    await w.advance(1000);
    w.source.set('camera_lost', null);
    await w.advance(100);
    expect(w.kinds()).toEqual(['camera_lost:open']);
    expect(w.added[0]!.thumbnail).toBeNull();
    expect(w.disposed).toEqual(['probe']);
    w.source.set('recording');
    await w.advance(100);
    expect(w.kinds()).toEqual(['camera_lost:open', 'camera_lost:closed']);
  });

  it('stop closes what is open, stops the timers and forgets the identity photo once the recording has stopped', async () => {
    const w = world({ absentSeconds: 3 });
    w.monitor.rememberIdentityFace('s1', new Float32Array(128));
    w.start();
    w.showFaces([]);
    await w.advance(5000);
    expect(w.kinds()).toEqual(['absent:open']);
    w.source.set('stopped', null);
    await w.monitor.stop('s1');
    expect(w.kinds()).toEqual(['absent:open', 'absent:closed']);
    expect(w.monitor.prompts()).toEqual([]);
    expect(w.storage.map.size).toBe(0);
    await w.advance(10_000);
    expect(w.added).toHaveLength(2);
  });

  it('skips a tick while the previous detection still runs', async () => {
    const w = world({ detectionsPerSecond: 5 });
    let running = 0;
    let calls = 0;
    let release: () => void = () => {};
    const slow: FaceService = {
      warm: async () => ok({ backend: 'fake', ms: 0 }),
      detect: () => {
        calls++;
        running++;
        return new Promise((resolve) => {
          release = () => {
            running--;
            resolve(ok([face()]));
          };
        });
      },
    };
    (w.monitor as unknown as { deps: { faces: FaceService } }).deps.faces = slow;
    w.start();
    await w.advance(2000);
    expect(calls).toBe(1);
    expect(running).toBe(1);
    release();
    await w.advance(200);
    expect(calls).toBe(2);
  });
});
