import type { SafeStorage, Session } from 'electron';
import { ATTESTATION_HEADER } from '../../shared/domain/attestation';
import type { Logger } from '../log';
import type { SecretBox } from '../services/installKey';
import { attestationDigest } from '../services/releaseKey';

/**
 * Adds the release-key header to every request the exam window's session makes to the review
 * server, as `hex(sha256(url ‖ releaseKey))` over the exact URL Chromium sends. Requests to any other
 * origin get nothing (the translator views use their own sessions and never see it). Electron keeps
 * one onBeforeSendHeaders listener per session; this is the only one on the default session.
 */
export function attachAttestationHeader(
  session: { readonly webRequest: Pick<Session['webRequest'], 'onBeforeSendHeaders'> },
  options: { serverOrigin: string; releaseKey: string },
): void {
  session.webRequest.onBeforeSendHeaders({ urls: ['*://*/*'] }, (details, callback) => {
    let origin: string | null = null;
    try {
      origin = new URL(details.url).origin;
    } catch {
      // Not a URL Chromium would send: leave the request as it is.
      origin = null;
    }
    if (origin !== options.serverOrigin) return callback({ requestHeaders: details.requestHeaders });
    callback({ requestHeaders: { ...details.requestHeaders, [ATTESTATION_HEADER]: attestationDigest(details.url, options.releaseKey) } });
  });
}

/**
 * safeStorage as the install key's box. On Linux, `basic_text` means no keyring answered and
 * Chromium encrypts with a fixed key: the key is then reported as unprotected, which the server
 * records for the proctor.
 */
export function safeStorageBox(safeStorage: SafeStorage, platform: NodeJS.Platform, log: Logger): SecretBox {
  const box = boxOf(safeStorage, platform);
  if (box.protection === 'none') log.warn('install key: no OS keyring; the key is stored without OS protection', { backend: backendOf(safeStorage, platform) });
  return box;
}

/**
 * safeStorage as the private store's box (face data, queued session events). Where Linux has no
 * keyring and safeStorage says encryption is not available, Chromium's `basic_text` fallback (a fixed
 * key) is switched on, so the data still lives in the main process's file and never in the page's
 * storage; the store reports it with a warning (`protection: 'none'`).
 */
export function privateStoreBox(safeStorage: SafeStorage, platform: NodeJS.Platform, log: Logger): SecretBox {
  if (platform === 'linux' && !safeStorage.isEncryptionAvailable()) {
    safeStorage.setUsePlainTextEncryption(true);
    log.warn('private store: safeStorage has no keyring; using the basic_text fallback', { backend: backendOf(safeStorage, platform) });
    return { ...boxOf(safeStorage, platform), protection: 'none' };
  }
  return boxOf(safeStorage, platform);
}

const backendOf = (safeStorage: SafeStorage, platform: NodeJS.Platform): string => (platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os');

function boxOf(safeStorage: SafeStorage, platform: NodeJS.Platform): SecretBox {
  const backend = backendOf(safeStorage, platform);
  return {
    protection: backend === 'basic_text' || backend === 'unknown' ? 'none' : 'os',
    seal: async (plain) => safeStorage.encryptStringAsync(plain.toString('base64')),
    open: async (sealed) => Buffer.from((await safeStorage.decryptStringAsync(sealed)).result, 'base64'),
  };
}
