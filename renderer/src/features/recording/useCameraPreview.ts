import { useCallback, useEffect, useState } from 'react';
import { useServices } from '../../app/services';
import type { CameraErrorCode } from '../../services/camera/cameraErrors';
import { onStreamEnded, stopStream, type DeviceChoice, type DeviceList } from '../../services/camera/cameraService';

export type PreviewState =
  | { readonly phase: 'opening' }
  | { readonly phase: 'live'; readonly stream: MediaStream }
  /** `ended`: the camera worked and then stopped (unplugged, permission revoked). */
  | { readonly phase: 'failed'; readonly code: CameraErrorCode | 'ended' };

const NO_DEVICES: DeviceList = { cameras: [], microphones: [] };

/**
 * The start page's camera check: opens the chosen camera and microphone for a preview, lists the
 * devices (names appear once permission is given), and reopens on a new choice or "Try again".
 * The stream is released when the page goes; the recorder opens its own.
 */
export function useCameraPreview() {
  const { camera, recording } = useServices();
  const [choice, setChoice] = useState<DeviceChoice>(() => recording.devices());
  const [state, setState] = useState<PreviewState>({ phase: 'opening' });
  const [devices, setDevices] = useState<DeviceList>(NO_DEVICES);
  const [round, setRound] = useState(0);

  useEffect(() => {
    let live = true;
    let stream: MediaStream | null = null;
    let unwatch = () => {};
    void (async () => {
      const opened = await camera.open(choice);
      if (!live) {
        if (opened.ok) stopStream(opened.value);
        return;
      }
      if (opened.ok) {
        stream = opened.value;
        unwatch = onStreamEnded(opened.value, () => live && setState({ phase: 'failed', code: 'ended' }));
        setState({ phase: 'live', stream: opened.value });
      } else {
        setState({ phase: 'failed', code: opened.error.code });
      }
      const list = await camera.listDevices();
      if (live) setDevices(list);
    })();
    return () => {
      live = false;
      unwatch();
      stopStream(stream);
    };
  }, [camera, choice, round]);

  useEffect(() => {
    let live = true;
    const stop = camera.onDeviceChange(() => void camera.listDevices().then((list) => live && setDevices(list)));
    return () => {
      live = false;
      stop();
    };
  }, [camera]);

  const choose = useCallback(
    (next: DeviceChoice) => {
      recording.setDevices(next);
      setState({ phase: 'opening' });
      setChoice(next);
    },
    [recording],
  );
  const retry = useCallback(() => {
    setState({ phase: 'opening' });
    setRound((n) => n + 1);
  }, []);

  return { state, devices, choice, choose, retry };
}

/** The device a live track is using, to show it selected when the learner kept the default. */
export function trackDeviceId(stream: MediaStream | null, kind: 'video' | 'audio'): string | null {
  const track = kind === 'video' ? stream?.getVideoTracks()[0] : stream?.getAudioTracks()[0];
  return track?.getSettings().deviceId ?? null;
}
