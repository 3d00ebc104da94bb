import type { Capabilities } from '../../shared/ipc/contract';

/**
 * What each host can actually do today. The desktop host will switch these on as the lockdown
 * adapters land (kiosk, content protection, process probes, translator view); until then it says no,
 * so the UI never promises a protection that is not there.
 */
export const desktopCapabilities: Capabilities = {
  kiosk: false,
  contentProtection: false,
  processList: false,
  translatorView: false,
};

/** A plain browser can do none of these, ever. */
export const webCapabilities: Capabilities = {
  kiosk: false,
  contentProtection: false,
  processList: false,
  translatorView: false,
};
