import type { AttestedActionRequest } from '../../../../shared/api/attestation';
import type { ChallengePurpose } from '../../../../shared/domain/attestation';
import type { AppInfo, InvigilHost } from '../../../../shared/ipc/contract';
import { fail, ok } from '../../../../shared/result';
import type { ApiClient, ApiResult } from '../api/apiClient';

export interface AttestationDeps {
  readonly appInfo: AppInfo;
  readonly host: Pick<InvigilHost, 'attest:identity' | 'attest:sign'>;
  readonly api: Pick<ApiClient, 'call'>;
}

const HOST_FAILED = 'This app could not sign the server’s request with its install key. Restart Invigil and try again.';

/**
 * Enrols this install's public key for the signed-in learner (the server keeps one row per key, so
 * repeating it is harmless). Desktop only: a browser has no install key and is never attested.
 */
export async function enrollInstall({ appInfo, host, api }: AttestationDeps): Promise<ApiResult<null>> {
  if (appInfo.hostKind !== 'desktop') return ok(null);
  const identity = await host['attest:identity']({});
  if (!identity.ok) return fail('attestation_invalid', HOST_FAILED);
  const enrolled = await api.call('enrollInstall', { body: { publicKey: identity.value.publicKey, keyProtection: identity.value.keyProtection } });
  return enrolled.ok ? ok(null) : enrolled;
}

/**
 * The body of startSession or openSection. In the desktop app: enrol the install, ask the server for
 * a one-time challenge and have the host sign it (the release-key header rides on every request
 * already). In a browser: an empty body, which the server accepts only where the exam's policy lets
 * a browser sit it.
 */
export async function attestedActionBody(
  deps: AttestationDeps,
  action: { readonly purpose: ChallengePurpose; readonly sessionId: string; readonly sectionId: string | null },
): Promise<ApiResult<AttestedActionRequest>> {
  if (deps.appInfo.hostKind !== 'desktop') return ok({});
  const enrolled = await enrollInstall(deps);
  if (!enrolled.ok) return enrolled;
  const challenge = await deps.api.call('sessionChallenge', {
    params: { sessionId: action.sessionId },
    body: { purpose: action.purpose, sectionId: action.sectionId },
  });
  if (!challenge.ok) return challenge;
  const signed = await deps.host['attest:sign']({ ...action, nonce: challenge.value.nonce });
  if (!signed.ok) return fail('attestation_invalid', HOST_FAILED);
  return ok({ attestation: { installId: signed.value.installId, nonce: challenge.value.nonce, signature: signed.value.signature } });
}
