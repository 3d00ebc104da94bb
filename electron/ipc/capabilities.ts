import { lockdownCapabilities, webLockdownCapabilities, type PlatformDescriptor } from '../../shared/domain/lockdownCapabilities';
import type { Capabilities } from '../../shared/ipc/contract';

/**
 * What each host can actually do, so the UI never promises a protection that is not there. The
 * desktop host has kiosk, process scans and the translator view everywhere; what its lockdown
 * prevents, only detects or cannot reach depends on the OS and the display session
 * (`lockdown`, shared/domain/lockdownCapabilities.ts). `contentProtection` is true only where it
 * keeps the window out of captures (not Linux, not macOS 15 and later).
 */
export function desktopCapabilities(platform: PlatformDescriptor): Capabilities {
  const lockdown = lockdownCapabilities({ host: 'desktop', platform });
  return { kiosk: true, contentProtection: lockdown.measures.screen_capture.status === 'enforced', processList: true, translatorView: true, lockdown };
}

/** A plain browser can do none of these, ever; it only notices leaving full screen and leaving the page. */
export const webCapabilities: Capabilities = {
  kiosk: false,
  contentProtection: false,
  processList: false,
  translatorView: false,
  lockdown: webLockdownCapabilities(),
};
