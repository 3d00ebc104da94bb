import type { CheckId, CheckItem, CheckStatus } from '../../../../shared/api/checks';
import {
  countByStatus,
  lockdownFigures,
  MEASURE_NAMES,
  missingKeyMeasures,
  platformLabel,
  type LockdownCapabilities,
} from '../../../../shared/domain/lockdownCapabilities';
import type { HostKind } from '../../../../shared/ipc/contract';
import { cameraErrorText, type CameraErrorCode } from '../camera/cameraErrors';
import { meetsMinimum } from './appVersion';

/**
 * The system check's items, as pure functions of what was measured: each says pass, warn,
 * fail or unsupported, what was seen in one sentence, and how to fix it in one sentence. Displays,
 * virtual machine and processes come from `evaluateStart` (shared/domain/policyEvaluation.ts).
 */

/** The order the learner sees them in. */
export const CHECK_ORDER: readonly CheckId[] = [
  'camera',
  'microphone',
  'displays',
  'virtual_machine',
  'processes',
  'fullscreen',
  'lockdown',
  'bandwidth',
  'disk',
  'app_version',
  'ocr_engine',
];

export const CHECK_NAMES: Record<CheckId, string> = {
  camera: 'Camera',
  microphone: 'Microphone',
  displays: 'Displays',
  virtual_machine: 'Virtual machine',
  processes: 'Other applications',
  fullscreen: 'Full screen',
  lockdown: 'Lockdown on this computer',
  bandwidth: 'Upload speed',
  disk: 'Free disk space',
  app_version: 'App version',
  ocr_engine: 'ID reader',
};

type Figures = CheckItem['figures'];
const item = (id: CheckId, status: CheckStatus, observed: string, fix: string | null, figures: Figures = {}): CheckItem => ({
  id,
  status,
  observed,
  fix: status === 'pass' ? null : fix,
  figures,
});

// ---- Camera ----

/** What the camera showed: frames counted for a moment, their size and brightness. */
export interface CameraSample {
  readonly frames: number;
  readonly width: number;
  readonly height: number;
  /** Mean luma (0–255) of a downscaled frame; null when no frame could be read. */
  readonly meanLuminance: number | null;
  readonly waitedMs: number;
}

export type MediaOpenFailure = CameraErrorCode | 'ended';

/** Below this the picture is black: the lens is covered or the camera sends nothing. */
export const BLACK_LUMINANCE = 12;
/** Below this a proctor cannot see a face well. */
export const DARK_LUMINANCE = 40;
/** What the recorder asks for (cameraService): smaller pictures are usable but poor. */
export const MIN_WIDTH = 640;
export const MIN_HEIGHT = 480;

export function cameraItem(result: { readonly ok: true; readonly sample: CameraSample } | { readonly ok: false; readonly code: MediaOpenFailure }): CheckItem {
  if (!result.ok) {
    const text =
      result.code === 'ended'
        ? { problem: 'Your camera stopped working.', fix: 'Check that it is plugged in and that no other app has taken it, then choose Check again.' }
        : cameraErrorText(result.code);
    return item('camera', 'fail', text.problem, text.fix.replace('Try again', 'Check again'), { error: result.code });
  }
  const { frames, width, height, meanLuminance, waitedMs } = result.sample;
  const luminance = meanLuminance === null ? null : Math.round(meanLuminance);
  const figures = { frames, width, height, meanLuminance: luminance, waitedMs: Math.round(waitedMs) };
  if (frames === 0) {
    return item(
      'camera',
      'fail',
      `No picture arrived from your camera in ${(waitedMs / 1000).toFixed(0)} seconds.`,
      'Close other apps that use the camera, or choose another camera, then choose Check again.',
      figures,
    );
  }
  if (luminance !== null && luminance < BLACK_LUMINANCE) {
    return item('camera', 'fail', 'Your camera picture is black.', 'Uncover the lens (some laptops have a shutter or a camera key) and turn on a light, then choose Check again.', figures);
  }
  if (luminance !== null && luminance < DARK_LUMINANCE) {
    return item('camera', 'warn', 'Your camera picture is very dark.', 'Turn on a light in front of you (not behind you), then choose Check again.', figures);
  }
  if (width < MIN_WIDTH || height < MIN_HEIGHT) {
    return item('camera', 'warn', `Your camera gives a small picture (${width} × ${height}).`, `Choose a camera that gives at least ${MIN_WIDTH} × ${MIN_HEIGHT} if you have one.`, figures);
  }
  return item('camera', 'pass', `Your camera works: ${width} × ${height}, picture bright enough.`, null, figures);
}

// ---- Microphone ----

/** A level above this (dB full scale) counts as sound heard: well above a quiet room's hiss, below normal speech. */
export const HEARD_DBFS = -45;
/** How long the check listens for sound before it asks the learner to say something. */
export const LISTEN_MS = 6000;

export interface SoundSample {
  readonly heard: boolean;
  /** Loudest level in dBFS; null when nothing could be measured. */
  readonly peakDbfs: number | null;
  readonly listenedMs: number;
}

export function microphoneItem(result: { readonly ok: true; readonly sound: SoundSample } | { readonly ok: false; readonly code: MediaOpenFailure | 'no_track' }): CheckItem {
  if (!result.ok) {
    if (result.code === 'no_track' || result.code === 'no_microphone') {
      return item('microphone', 'fail', 'No microphone was found.', 'Connect a microphone or a headset with a microphone, then choose Check again.', { error: result.code });
    }
    if (result.code === 'permission_denied' || result.code === 'unsupported') {
      const text = cameraErrorText(result.code);
      return item('microphone', 'fail', text.problem, text.fix.replace('Try again', 'Check again'), { error: result.code });
    }
    return item(
      'microphone',
      'fail',
      'The microphone could not be checked because the camera did not start.',
      'Fix the camera first (see above), then choose Check again.',
      { error: result.code },
    );
  }
  const { heard, peakDbfs, listenedMs } = result.sound;
  const figures = { peakDbfs: peakDbfs === null || !Number.isFinite(peakDbfs) ? null : Math.round(peakDbfs), listenedMs: Math.round(listenedMs) };
  if (heard) return item('microphone', 'pass', 'Your microphone works: sound was heard.', null, figures);
  return item(
    'microphone',
    'warn',
    `No sound was heard from your microphone in ${Math.round(listenedMs / 1000)} seconds.`,
    'Say something (your name) and watch the level meter move, then choose Check again; if it stays still, unmute or choose another microphone.',
    figures,
  );
}

// ---- Upload bandwidth ----

/** The recording needs about 0.53 Mbit/s; below twice that the upload falls behind on a busy link. */
export const WARN_BELOW_KBPS = 1000;

export function formatKbps(kbps: number): string {
  return kbps >= 1000 ? `${(kbps / 1000).toFixed(1)} Mbit/s` : `${Math.round(kbps)} kbit/s`;
}

/**
 * `ms` is the client's whole round trip (connection, body, reply): a conservative measure, since a
 * slow link's latency is part of what the learner's uploads will meet. `serverMs` (how long the
 * server took to receive the body) is kept for the proctor.
 */
export function bandwidthItem(
  result: { readonly ok: true; readonly bytes: number; readonly ms: number; readonly serverMs?: number } | { readonly ok: false; readonly code: string },
): CheckItem {
  if (!result.ok && result.code === 'rate_limited') {
    // The server allows a few probes a minute; a learner pressing Check again quickly meets it.
    return item('bandwidth', 'fail', 'The upload speed was measured too often in the last minute.', 'Wait a minute, then choose Check again.', { error: result.code });
  }
  if (!result.ok) {
    return item(
      'bandwidth',
      'fail',
      'The exam server could not be reached to measure your upload speed.',
      'Check your internet connection (move closer to the Wi-Fi router or use a cable), then choose Check again.',
      { error: result.code },
    );
  }
  const ms = Math.max(1, result.ms);
  // bits per millisecond = kbit/s
  const kbps = (result.bytes * 8) / ms;
  const figures = { kbps: Math.round(kbps), bytes: result.bytes, ms: Math.round(ms), serverMs: result.serverMs ?? null };
  if (kbps < WARN_BELOW_KBPS) {
    return item(
      'bandwidth',
      'warn',
      `Your upload speed is ${formatKbps(kbps)}; the recording needs about 0.5 Mbit/s and may upload slowly.`,
      'Stop other uploads and video calls, or use a cable or a faster connection; the recording is kept on this computer until it has uploaded.',
      figures,
    );
  }
  return item('bandwidth', 'pass', `Your upload speed is ${formatKbps(kbps)}.`, null, figures);
}

// ---- Free disk ----

export function diskItem(
  requiredBytes: number,
  result: { readonly ok: true; readonly freeBytes: number; readonly enough: boolean } | { readonly ok: false; readonly code: string },
  formatBytes: (bytes: number) => string,
): CheckItem {
  if (!result.ok) {
    return item('disk', 'warn', 'The free disk space could not be checked.', 'Make sure a few GB are free on this computer, then choose Check again.', { requiredBytes, error: result.code });
  }
  const figures = { requiredBytes, freeBytes: result.freeBytes };
  if (!result.enough) {
    return item(
      'disk',
      'fail',
      `Not enough free disk space for the recording: it needs ${formatBytes(requiredBytes)} and ${formatBytes(result.freeBytes)} is free.`,
      'Free some space (empty the Recycle Bin or Trash, delete large files you do not need), then choose Check again.',
      figures,
    );
  }
  return item('disk', 'pass', `Enough free disk space for the recording: it needs up to ${formatBytes(requiredBytes)} and ${formatBytes(result.freeBytes)} is free.`, null, figures);
}

// ---- App version ----

export function appVersionItem(
  hostKind: HostKind,
  appVersion: string,
  policy: { readonly ok: true; readonly minimumAppVersion: string } | { readonly ok: false; readonly code: string },
): CheckItem {
  const update =
    hostKind === 'desktop'
      ? 'Install the latest Invigil from your programme’s download page, then open it again.'
      : 'Ask your programme staff for the current address of Invigil, then open it again.';
  if (!policy.ok) {
    return item('app_version', 'warn', `This is Invigil ${appVersion}; the server could not say which version it needs.`, 'Check your internet connection, then choose Check again.', {
      appVersion,
      error: policy.code,
    });
  }
  const figures = { appVersion, minimumAppVersion: policy.minimumAppVersion };
  const meets = meetsMinimum(appVersion, policy.minimumAppVersion);
  if (meets === null) {
    return item('app_version', 'warn', `The app version ${appVersion} could not be compared with the server’s minimum ${policy.minimumAppVersion}.`, update, figures);
  }
  if (!meets) return item('app_version', 'fail', `This is Invigil ${appVersion}; the server needs ${policy.minimumAppVersion} or newer.`, update, figures);
  return item('app_version', 'pass', `This is Invigil ${appVersion} (the server needs ${policy.minimumAppVersion} or newer).`, null, figures);
}

// ---- Full screen ----

export function fullscreenItem(hostKind: HostKind, kiosk: boolean, fullscreenEnabled: boolean): CheckItem {
  if (hostKind === 'desktop') {
    return kiosk
      ? item('fullscreen', 'pass', 'Invigil can lock the exam window full screen.', null, { kiosk })
      : item('fullscreen', 'unsupported', 'This version of Invigil cannot lock the exam window yet.', 'Nothing to do now: the proctor is told the window was not locked.', { kiosk });
  }
  return fullscreenEnabled
    ? item('fullscreen', 'pass', 'This browser can show the exam full screen; leaving full screen is recorded.', null, { fullscreenEnabled })
    : item('fullscreen', 'warn', 'This browser cannot show the exam full screen.', 'Use a current Chrome, Edge or Firefox, or the Invigil desktop app.', { fullscreenEnabled });
}

// ---- Lockdown ----

/**
 * What this computer's lockdown does, as one item: it passes, or warns when a key measure (full
 * screen, keeping other windows behind, switching programs) is out of reach here; it never fails,
 * because nothing the learner does changes it. The per-measure statuses go in `figures` for the
 * proctor; the step lists the measures themselves.
 */
export function lockdownItem(model: LockdownCapabilities): CheckItem {
  const counts = countByStatus(model);
  const where = model.host === 'web' ? 'In this browser' : `On ${platformLabel(model.platform)}`;
  const observed = `${where}, Invigil prevents ${counts.enforced}, notices and reports ${counts.detected}, and cannot do ${counts.unavailable} of the ${
    counts.enforced + counts.detected + counts.unavailable
  } things listed.`;
  const missing = missingKeyMeasures(model);
  if (missing.length === 0) return item('lockdown', 'pass', observed, null, lockdownFigures(model));
  const fix =
    model.host === 'web'
      ? 'You can continue. For a stronger lockdown, use the Invigil desktop app.'
      : model.platform.os === 'linux'
        ? 'You can continue. For a stronger lockdown, sign in to an X11 (Xorg) session, such as “Ubuntu on Xorg” at the login screen.'
        : 'You can continue; your proctor sees this list.';
  const names = missing.map((m) => MEASURE_NAMES[m].toLowerCase()).join(', ');
  return item('lockdown', 'warn', `${observed} Not possible here: ${names}.`, fix, lockdownFigures(model));
}

// ---- ID reader ----

/**
 * A failing OCR engine warns but does not block: the identity step still takes the ID photo and a
 * proctor checks it by eye, which is slower for the programme but fair to the learner.
 */
export function ocrItem(result: { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly code: string }): CheckItem {
  if (!result.ok) {
    return item(
      'ocr_engine',
      'warn',
      'The ID reader could not start on this computer.',
      'You can continue: a proctor will read your ID by eye. Restarting Invigil may fix it.',
      { error: result.code },
    );
  }
  return item('ocr_engine', 'pass', `The ID reader is ready (it started in ${(result.ms / 1000).toFixed(1)} s).`, null, { ms: Math.round(result.ms) });
}

// ---- Host-only items in a browser ----

/** What the learner reads for a check only the desktop app can make. */
export const WEB_UNSUPPORTED_FIX = 'A web browser cannot check this. Use the Invigil desktop app for finals.';

/** Gives an item a browser could not check the desktop-app sentence, keeping what the evaluation saw. */
export function explainUnsupported(hostKind: HostKind, checked: CheckItem): CheckItem {
  if (checked.status !== 'unsupported' || hostKind !== 'web') return checked;
  return { ...checked, fix: WEB_UNSUPPORTED_FIX };
}

/** A check that threw (a bug): it counts as failed, never as passed; the lockdown description, which never fails, warns. */
export function brokenItem(id: CheckId): CheckItem {
  return item(id, id === 'lockdown' ? 'warn' : 'fail', 'Invigil could not run this check.', 'Choose Check again; if it keeps failing, restart Invigil.', { error: 'internal' });
}

// ---- Summary ----

export interface CheckSummary {
  readonly pass: number;
  readonly warn: number;
  readonly fail: number;
  readonly unsupported: number;
  /** Any failed item blocks the start (`reportBlocks`). */
  readonly blocks: boolean;
}

export function summarize(items: readonly CheckItem[]): CheckSummary {
  const count = (s: CheckStatus) => items.filter((i) => i.status === s).length;
  return { pass: count('pass'), warn: count('warn'), fail: count('fail'), unsupported: count('unsupported'), blocks: count('fail') > 0 };
}

/** One sentence for screen readers when a run ends. */
export function summarySentence(s: CheckSummary): string {
  const parts = [`${s.pass} passed`, `${s.warn} ${s.warn === 1 ? 'warning' : 'warnings'}`, `${s.fail} failed`];
  if (s.unsupported > 0) parts.push(`${s.unsupported} not supported here`);
  const next = s.fail > 0 ? 'Fix the failed items, then choose Check again.' : 'You can continue.';
  return `System check finished: ${parts.join(', ')}. ${next}`;
}
