import { describe, expect, it } from 'vitest';
import { FakeStream } from '../../test/fakeMedia';
import { silentLogger } from '../logger';
import { BrowserCameraService, type MediaDevicesLike } from './browserCameraService';
import { onStreamEnded } from './cameraService';

const device = (kind: MediaDeviceKind, deviceId: string, label = ''): MediaDeviceInfo =>
  ({ kind, deviceId, label, groupId: 'g', toJSON: () => ({}) }) as MediaDeviceInfo;

function devicesThat(behaviour: { throws?: string; list?: MediaDeviceInfo[] }) {
  const asked: MediaStreamConstraints[] = [];
  const devices: MediaDevicesLike = {
    getUserMedia: async (c) => {
      asked.push(c);
      if (behaviour.throws) throw new DOMException('denied', behaviour.throws);
      return new FakeStream().asStream();
    },
    enumerateDevices: async () => behaviour.list ?? [device('videoinput', 'cam-1', 'Built-in camera'), device('audioinput', 'mic-1', 'Built-in microphone')],
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  };
  return { service: new BrowserCameraService({ devices, log: silentLogger }), asked };
}

describe('BrowserCameraService', () => {
  it('asks for 640×480 at no more than 15 fps, with the chosen camera and a microphone', async () => {
    const { service, asked } = devicesThat({});
    expect((await service.open({ cameraId: 'cam-2', microphoneId: null })).ok).toBe(true);
    expect(asked[0]).toEqual({
      video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 15, max: 15 }, deviceId: { exact: 'cam-2' } },
      audio: { echoCancellation: true, noiseSuppression: true },
    });
  });

  it.each([
    ['NotAllowedError', 'permission_denied', /not allowed to use your camera.*Allow the camera and microphone for Invigil/],
    ['NotReadableError', 'device_busy', /being used by another app.*Close Zoom, Teams/],
    ['NotFoundError', 'no_camera', /No camera was found.*Connect a webcam/],
    ['OverconstrainedError', 'constraints', /cannot record at 640 × 480.*Choose another camera/],
    ['SomethingElse', 'unknown', /could not be started.*plug it in again/],
  ])('explains %s with the fix', async (name, code, sentence) => {
    const { service } = devicesThat({ throws: name, list: [] });
    const opened = await service.open({ cameraId: null, microphoneId: null });
    expect(opened).toMatchObject({ ok: false, error: { code } });
    if (!opened.ok) expect(opened.error.message).toMatch(sentence);
  });

  it('says the microphone is what is missing when a camera is there', async () => {
    const { service } = devicesThat({ throws: 'NotFoundError', list: [device('videoinput', 'cam-1')] });
    const opened = await service.open({ cameraId: null, microphoneId: null });
    expect(opened).toMatchObject({ ok: false, error: { code: 'no_microphone' } });
    if (!opened.ok) expect(opened.error.message).toMatch(/No microphone was found/);
  });

  it('answers unsupported where the browser offers no media devices (insecure page)', async () => {
    const service = new BrowserCameraService({ devices: undefined, log: silentLogger });
    expect(await service.open({ cameraId: null, microphoneId: null })).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('names devices before permission is given, and leaves out the anonymous ones', async () => {
    const { service } = devicesThat({
      list: [device('videoinput', 'cam-1'), device('videoinput', 'cam-2', 'USB webcam'), device('audioinput', ''), device('audioinput', 'mic-1', 'Headset')],
    });
    expect(await service.listDevices()).toEqual({
      cameras: [
        { id: 'cam-1', label: 'Camera 1' },
        { id: 'cam-2', label: 'USB webcam' },
      ],
      microphones: [{ id: 'mic-1', label: 'Headset' }],
    });
  });

  it('notices once when a track of the stream ends', () => {
    const stream = new FakeStream();
    let ended = 0;
    onStreamEnded(stream.asStream(), () => ended++);
    stream.tracks[0]!.end();
    stream.tracks[1]!.end();
    expect(ended).toBe(1);
  });
});
