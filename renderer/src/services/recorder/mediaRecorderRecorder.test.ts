import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chunk, FakeCamera, FakeMediaFactory, FakeRecordingHost } from '../../test/fakeMedia';
import { silentLogger } from '../logger';
import { MediaRecorderRecorder } from './mediaRecorderRecorder';

function setup(options: { supported?: string[] } = {}) {
  const camera = new FakeCamera();
  const media = new FakeMediaFactory(options.supported);
  const journal = new FakeRecordingHost();
  const recorder = new MediaRecorderRecorder({
    sessionId: 's1',
    devices: { cameraId: 'cam-2', microphoneId: null },
    host: journal.host,
    camera,
    media,
    setTimeout: (fn, ms) => {
      const id = setTimeout(fn, ms);
      return () => clearTimeout(id);
    },
    now: () => new Date('2030-06-01T09:00:00.000Z'),
    log: silentLogger,
    reopenEveryMs: 3_000,
  });
  const flush = () => vi.advanceTimersByTimeAsync(0);
  return { camera, media, journal, recorder, flush };
}

describe('MediaRecorderRecorder', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts a take before the first chunk and records VP9 at about 0.5 Mbit/s in 3-second chunks', async () => {
    const t = setup();
    expect(await t.recorder.start()).toEqual({ ok: true, value: null });
    const mr = t.media.latest;
    expect(mr.options).toEqual({ mimeType: 'video/webm;codecs=vp9,opus', videoBitsPerSecond: 500_000, audioBitsPerSecond: 32_000 });
    expect(mr.timesliceMs).toBe(3_000);
    expect(t.camera.choices[0]).toEqual({ cameraId: 'cam-2', microphoneId: null });
    mr.emit(chunk(1));
    mr.emit(chunk(2));
    await t.flush();
    expect(t.journal.log()).toEqual(['start 0', 'append 0 [1]', 'append 0 [2]']);
    expect(t.recorder.status).toMatchObject({ state: 'recording', take: 0 });
    expect(t.recorder.stream).not.toBeNull();
  });

  it('falls back to VP8 where VP9 is missing', async () => {
    const t = setup({ supported: ['video/webm;codecs=vp8,opus'] });
    await t.recorder.start();
    expect(t.media.latest.mimeType).toBe('video/webm;codecs=vp8,opus');
  });

  it('never has more than one chunk in flight to the host, however fast chunks come', async () => {
    const t = setup();
    await t.recorder.start();
    t.journal.held = true;
    const blobs = [chunk(1), chunk(2), chunk(3), chunk(4)];
    for (const b of blobs) t.media.latest.emit(b);
    await t.flush();
    expect(t.journal.inFlight).toBe(1);
    // Only the chunk being written has been read into memory.
    expect(blobs.map((b) => b.reads)).toEqual([1, 0, 0, 0]);
    t.journal.release();
    await t.flush();
    expect(t.journal.maxInFlight).toBe(1);
    expect(t.journal.log()).toEqual(['start 0', 'append 0 [1]', 'append 0 [2]', 'append 0 [3]', 'append 0 [4]']);
  });

  it('on stop writes the last chunk, then ends the take as submitted and releases the camera', async () => {
    const t = setup();
    await t.recorder.start();
    t.media.latest.emit(chunk(1));
    t.media.latest.finalChunk = chunk(9);
    await t.recorder.stop('submitted');
    expect(t.journal.log()).toEqual(['start 0', 'append 0 [1]', 'append 0 [9]', 'end 0 submitted']);
    expect(t.recorder.status.state).toBe('stopped');
    expect(t.camera.latest.tracks.every((track) => track.stopped)).toBe(true);
  });

  it('stops cleanly when the disk is full, says so, and records again only when asked', async () => {
    const t = setup();
    await t.recorder.start();
    const mr = t.media.latest;
    mr.emit(chunk(1));
    await t.flush();
    t.journal.appendFailure = 'disk_full';
    mr.emit(chunk(2));
    mr.emit(chunk(3));
    await t.flush();
    expect(t.journal.log()).toEqual(['start 0', 'append 0 [1]', 'end 0 disk_full']);
    expect(mr.state).toBe('inactive');
    expect(t.recorder.status.state).toBe('disk_full');
    expect(t.recorder.status.message).toMatch(/disk is full\. Your answers are still saved and your exam continues/);
    expect(t.camera.latest.tracks.every((track) => track.stopped)).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.media.created).toHaveLength(1);

    t.journal.appendFailure = null;
    t.recorder.retry();
    await t.flush();
    t.media.latest.emit(chunk(4));
    await t.flush();
    expect(t.journal.log().slice(3)).toEqual(['start 1', 'append 1 [4]']);
    expect(t.recorder.status.state).toBe('recording');
  });

  it('when the camera is lost ends the take, warns, and starts a new take when the camera returns', async () => {
    const t = setup();
    await t.recorder.start();
    t.media.latest.emit(chunk(1));
    await t.flush();
    t.camera.failing = 'no_camera';
    t.camera.latest.tracks[0]!.end();
    await t.flush();
    expect(t.journal.log()).toEqual(['start 0', 'append 0 [1]', 'end 0 camera_lost']);
    expect(t.recorder.status).toMatchObject({ state: 'camera_lost', take: null });
    expect(t.recorder.status.message).toMatch(/Your camera stopped/);
    expect(t.recorder.stream).toBeNull();

    // Still gone: it keeps trying every few seconds without starting a take.
    await vi.advanceTimersByTimeAsync(9_000);
    expect(t.camera.choices.length).toBeGreaterThanOrEqual(4);
    expect(t.journal.log()).toHaveLength(3);

    // Plugged back in: the device change brings it back at once.
    t.camera.failing = null;
    t.camera.deviceChanged();
    await t.flush();
    expect(t.recorder.status).toMatchObject({ state: 'recording', take: 1, takesStarted: 2, message: null });
    t.media.latest.emit(chunk(2));
    await t.flush();
    expect(t.journal.log().slice(3)).toEqual(['start 1', 'append 1 [2]']);
  });

  it('after a recorder error ends the take as recorder_error and starts a new one', async () => {
    const t = setup();
    await t.recorder.start();
    t.media.latest.emit(chunk(1));
    await t.flush();
    t.media.latest.crash('EncodingError');
    await t.flush();
    expect(t.journal.log()).toEqual(['start 0', 'append 0 [1]', 'end 0 recorder_error']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(t.media.created).toHaveLength(2);
    expect(t.recorder.status).toMatchObject({ state: 'recording', take: 1 });
  });

  it('a host that drops a chunk ends the take and recording goes on in a new one', async () => {
    const t = setup();
    await t.recorder.start();
    t.journal.appendFailure = 'host_unavailable';
    t.media.latest.emit(chunk(1));
    await t.flush();
    expect(t.journal.log()).toEqual(['start 0', 'end 0 recorder_error']);
    t.journal.appendFailure = null;
    await vi.advanceTimersByTimeAsync(1_000);
    t.media.latest.emit(chunk(2));
    await t.flush();
    expect(t.journal.log().slice(2)).toEqual(['start 1', 'append 1 [2]']);
  });

  it('reports a camera that cannot open at start, and keeps trying', async () => {
    const t = setup();
    t.camera.failing = 'permission_denied';
    const started = await t.recorder.start();
    expect(started).toMatchObject({ ok: false, error: { code: 'permission_denied' } });
    expect(t.recorder.status.state).toBe('camera_lost');
    expect(t.journal.log()).toEqual([]);
    t.camera.failing = null;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(t.journal.log()).toEqual(['start 0']);
  });
});
