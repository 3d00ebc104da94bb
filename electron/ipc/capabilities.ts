import type { Capabilities } from '../../shared/ipc/contract';

/** Content protection keeps a window out of screenshots and screen sharing on Windows and macOS; Linux has no such API. */
export const contentProtectionWorks = (platform: string): boolean => platform === 'win32' || platform === 'darwin';

/**
 * What each host can actually do, so the UI never promises a protection that is not there. The
 * desktop host has kiosk, process scans and the translator view everywhere; content protection
 * (kept out of screenshots and screen sharing) only where the OS offers it: Windows and macOS.
 */
export function desktopCapabilities(platform: string): Capabilities {
  return { kiosk: true, contentProtection: contentProtectionWorks(platform), processList: true, translatorView: true };
}

/** A plain browser can do none of these, ever. */
export const webCapabilities: Capabilities = {
  kiosk: false,
  contentProtection: false,
  processList: false,
  translatorView: false,
};
