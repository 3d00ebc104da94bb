import { describe, expect, it } from 'vitest';
import { CheckItem } from '../../../../shared/api/checks';
import { lockdownCapabilities, webLockdownCapabilities, type PlatformDescriptor } from '../../../../shared/domain/lockdownCapabilities';
import { formatBytes } from '../../features/recording/format';
import {
  appVersionItem,
  bandwidthItem,
  brokenItem,
  cameraItem,
  diskItem,
  explainUnsupported,
  fullscreenItem,
  lockdownItem,
  microphoneItem,
  ocrItem,
  summarize,
  summarySentence,
  WEB_UNSUPPORTED_FIX,
} from './checkItems';

const sample = (patch: Partial<{ frames: number; width: number; height: number; meanLuminance: number | null }> = {}) => ({
  ok: true as const,
  sample: { frames: 5, width: 640, height: 480, meanLuminance: 110, waitedMs: 400, ...patch },
});

/** Every item must be storable: the server validates the report with the same schema. */
const valid = (item: CheckItem) => {
  expect(CheckItem.parse(item)).toEqual(item);
  if (item.status === 'pass') expect(item.fix).toBeNull();
  else expect(item.fix).toMatch(/\w/);
  return item;
};

describe('camera item', () => {
  it('passes a bright 640 × 480 picture and reports what it measured', () => {
    const item = valid(cameraItem(sample()));
    expect(item).toMatchObject({ status: 'pass', figures: { frames: 5, width: 640, height: 480, meanLuminance: 110 } });
    expect(item.observed).toContain('640 × 480');
  });

  it('fails when no frame arrives or the picture is black, warns when it is dark or small', () => {
    expect(valid(cameraItem(sample({ frames: 0, meanLuminance: null }))).status).toBe('fail');
    const black = valid(cameraItem(sample({ meanLuminance: 3 })));
    expect(black).toMatchObject({ status: 'fail', observed: 'Your camera picture is black.' });
    expect(black.fix).toContain('Uncover the lens');
    expect(valid(cameraItem(sample({ meanLuminance: 30 }))).status).toBe('warn');
    const small = valid(cameraItem(sample({ width: 320, height: 240 })));
    expect(small).toMatchObject({ status: 'warn' });
    expect(small.observed).toContain('320 × 240');
  });

  it('fails with the camera error sentence when the camera does not open, pointing at Check again', () => {
    const item = valid(cameraItem({ ok: false, code: 'device_busy' }));
    expect(item.status).toBe('fail');
    expect(item.observed).toBe('Your camera is being used by another app, so Invigil cannot start it.');
    expect(item.fix).toContain('Check again');
    expect(item.fix).not.toContain('Try again');
  });
});

describe('microphone item', () => {
  it('passes when sound was heard and warns "say something" when not', () => {
    expect(valid(microphoneItem({ ok: true, sound: { heard: true, peakDbfs: -20.4, listenedMs: 800 } }))).toMatchObject({ status: 'pass', figures: { peakDbfs: -20 } });
    const quiet = valid(microphoneItem({ ok: true, sound: { heard: false, peakDbfs: -70, listenedMs: 6000 } }));
    expect(quiet.status).toBe('warn');
    expect(quiet.observed).toContain('6 seconds');
    expect(quiet.fix).toContain('Say something');
  });

  it('fails without a microphone, and says so when the camera kept it from being checked', () => {
    expect(valid(microphoneItem({ ok: false, code: 'no_track' })).observed).toBe('No microphone was found.');
    expect(valid(microphoneItem({ ok: false, code: 'permission_denied' })).observed).toBe('Invigil is not allowed to use your camera and microphone.');
    expect(valid(microphoneItem({ ok: false, code: 'no_camera' })).observed).toContain('because the camera did not start');
  });
});

describe('bandwidth item', () => {
  it('computes kbit/s from bytes and milliseconds: 1 MiB in 800 ms is 10.5 Mbit/s', () => {
    const item = valid(bandwidthItem({ ok: true, bytes: 1_048_576, ms: 800 }));
    expect(item).toMatchObject({ status: 'pass', figures: { kbps: 10486, bytes: 1_048_576, ms: 800 } });
    expect(item.observed).toBe('Your upload speed is 10.5 Mbit/s.');
  });

  it('warns under 1 Mbit/s and fails when the server cannot be reached', () => {
    const slow = valid(bandwidthItem({ ok: true, bytes: 1_048_576, ms: 12_000 }));
    expect(slow.status).toBe('warn');
    expect(slow.observed).toContain('699 kbit/s');
    expect(valid(bandwidthItem({ ok: false, code: 'network' }))).toMatchObject({ status: 'fail', figures: { error: 'network' } });
    expect(valid(bandwidthItem({ ok: false, code: 'rate_limited' })).fix).toBe('Wait a minute, then choose Check again.');
  });
});

describe('disk item', () => {
  it('passes with room, fails without, and warns when the host cannot tell', () => {
    expect(valid(diskItem(300e6, { ok: true, freeBytes: 20e9, enough: true }, formatBytes)).observed).toBe(
      'Enough free disk space for the recording: it needs up to 300.0 MB and 20.0 GB is free.',
    );
    const full = valid(diskItem(300e6, { ok: true, freeBytes: 100e6, enough: false }, formatBytes));
    expect(full.status).toBe('fail');
    expect(full.observed).toContain('it needs 300.0 MB and 100.0 MB is free');
    expect(valid(diskItem(300e6, { ok: false, code: 'io_error' }, formatBytes)).status).toBe('warn');
  });
});

describe('app version item', () => {
  it('passes at or above the minimum and fails below it with how to update', () => {
    expect(valid(appVersionItem('desktop', '1.2.0', { ok: true, minimumAppVersion: '1.2.0' })).status).toBe('pass');
    const old = valid(appVersionItem('desktop', '1.1.9', { ok: true, minimumAppVersion: '1.2.0' }));
    expect(old).toMatchObject({ status: 'fail', observed: 'This is Invigil 1.1.9; the server needs 1.2.0 or newer.' });
    expect(old.fix).toContain('Install the latest Invigil');
    expect(valid(appVersionItem('web', '1.1.9', { ok: true, minimumAppVersion: '1.2.0' })).fix).not.toContain('Install');
  });

  it('warns when the server cannot say or a version is unreadable', () => {
    expect(valid(appVersionItem('web', '0.1.0', { ok: false, code: 'network' })).status).toBe('warn');
    expect(valid(appVersionItem('web', 'dev', { ok: true, minimumAppVersion: '0.1.0' })).status).toBe('warn');
  });
});

describe('full screen, ID reader and browser-only items', () => {
  it('full screen: a browser with the Fullscreen API passes; a desktop without kiosk says unsupported', () => {
    expect(valid(fullscreenItem('web', false, true)).status).toBe('pass');
    expect(valid(fullscreenItem('web', false, false)).status).toBe('warn');
    expect(valid(fullscreenItem('desktop', true, true)).status).toBe('pass');
    expect(valid(fullscreenItem('desktop', false, true)).status).toBe('unsupported');
  });

  it('an ID reader that cannot start warns (a proctor reads the ID by eye) and never fails', () => {
    expect(valid(ocrItem({ ok: true, ms: 640 })).observed).toBe('The ID reader is ready (it started in 0.6 s).');
    const broken = valid(ocrItem({ ok: false, code: 'engine_unavailable' }));
    expect(broken.status).toBe('warn');
    expect(broken.fix).toContain('a proctor will read your ID by eye');
  });

  it('in a browser, an unsupported item says to use the desktop app; elsewhere items are unchanged', () => {
    const vm: CheckItem = { id: 'virtual_machine', status: 'unsupported', observed: 'cannot look', fix: null, figures: {} };
    expect(explainUnsupported('web', vm)).toEqual({ ...vm, fix: WEB_UNSUPPORTED_FIX });
    expect(explainUnsupported('desktop', vm)).toBe(vm);
    const passed: CheckItem = { ...vm, status: 'pass' };
    expect(explainUnsupported('web', passed)).toBe(passed);
  });
});

describe('lockdown item', () => {
  const desktop = (platform: PlatformDescriptor) => lockdownCapabilities({ host: 'desktop', platform });

  it('passes where the key measures hold, with the per-measure statuses as figures for the proctor', () => {
    const item = valid(lockdownItem(desktop({ os: 'windows', osVersion: '10.0.22631', session: null })));
    expect(item.status).toBe('pass');
    expect(item.observed).toBe('On Windows 11 (build 22631), Invigil prevents 6, notices and reports 5, and cannot do 1 of the 12 things listed.');
    expect(item.figures).toMatchObject({ os: 'windows', osVersion: '10.0.22631', session: null, app_switching: 'detected', screen_capture: 'enforced', print_screen: 'unavailable' });
  });

  it('warns, never fails, where a key measure is out of reach, and says what would help', () => {
    const wayland = valid(lockdownItem(desktop({ os: 'linux', osVersion: '6.8.0', session: 'wayland' })));
    expect(wayland).toMatchObject({ status: 'warn', fix: expect.stringMatching(/Xorg/) });
    expect(wayland.observed).toMatch(/Not possible here: other windows kept behind the exam\.$/);
    const web = valid(lockdownItem(webLockdownCapabilities()));
    expect(web).toMatchObject({ status: 'warn', fix: expect.stringMatching(/desktop app/) });
    expect(web.observed).toMatch(/^In this browser, Invigil prevents 0, notices and reports 2/);
    // macOS 15 cannot keep the window out of screenshots, but that is not a key measure.
    expect(valid(lockdownItem(desktop({ os: 'macos', osVersion: '24.1.0', session: null }))).status).toBe('pass');
  });

  it('a lockdown item that fails is refused by the report schema, and a broken one only warns', () => {
    expect(CheckItem.safeParse({ id: 'lockdown', status: 'fail', observed: 'x', fix: 'y', figures: {} }).success).toBe(false);
    expect(CheckItem.safeParse({ id: 'lockdown', status: 'unsupported', observed: 'x', fix: 'y', figures: {} }).success).toBe(false);
    expect(valid(brokenItem('lockdown')).status).toBe('warn');
    expect(brokenItem('disk').status).toBe('fail');
  });
});

describe('summary', () => {
  it('counts each status, blocks on any failure and says what to do next', () => {
    const items = [
      valid(cameraItem(sample())),
      valid(bandwidthItem({ ok: false, code: 'network' })),
      valid(ocrItem({ ok: false, code: 'engine_unavailable' })),
      valid(fullscreenItem('desktop', false, false)),
    ];
    const s = summarize(items);
    expect(s).toEqual({ pass: 1, warn: 1, fail: 1, unsupported: 1, blocks: true });
    expect(summarySentence(s)).toBe('System check finished: 1 passed, 1 warning, 1 failed, 1 not supported here. Fix the failed items, then choose Check again.');
    expect(summarySentence(summarize(items.slice(0, 1)))).toBe('System check finished: 1 passed, 0 warnings, 0 failed. You can continue.');
  });
});
