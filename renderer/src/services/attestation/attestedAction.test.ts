import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../../../shared/result';
import type { AttestationDeps } from './attestedAction';
import { attestedActionBody, enrollInstall } from './attestedAction';

const info = (hostKind: 'desktop' | 'web') => ({
  hostKind,
  appVersion: '0.1.0',
  platform: 'linux',
  capabilities: { kiosk: hostKind === 'desktop', contentProtection: false, processList: hostKind === 'desktop', translatorView: hostKind === 'desktop' },
});

const NONCE = 'N'.repeat(43);
const INSTALL = 'f'.repeat(32);

function world(hostKind: 'desktop' | 'web', overrides: { challenge?: unknown; sign?: unknown } = {}) {
  const calls: string[] = [];
  const deps = {
    appInfo: info(hostKind),
    host: {
      'attest:identity': async () => {
        calls.push('host:identity');
        return ok({ installId: INSTALL, publicKey: 'AAAA', keyProtection: 'os' as const });
      },
      'attest:sign': async (request: { nonce: string; purpose: string; sectionId: string | null }) => {
        calls.push(`host:sign:${request.purpose}:${request.sectionId}:${request.nonce === NONCE}`);
        return (overrides.sign as never) ?? ok({ installId: INSTALL, signature: 'c2ln' });
      },
    },
    api: {
      call: async (name: string) => {
        calls.push(`api:${name}`);
        if (name === 'sessionChallenge') return (overrides.challenge as never) ?? ok({ nonce: NONCE, expiresAt: '2031-01-01T00:00:00.000Z' });
        return ok({ installId: INSTALL });
      },
    },
  } as unknown as AttestationDeps;
  return { deps, calls };
}

describe('attestedActionBody', () => {
  it('asks nothing of a browser host: an empty body, which only exams open to browsers accept', async () => {
    const { deps, calls } = world('web');
    expect(await attestedActionBody(deps, { purpose: 'start_session', sessionId: 's1', sectionId: null })).toEqual(ok({}));
    expect(await enrollInstall(deps)).toEqual(ok(null));
    expect(calls).toEqual([]);
  });

  it('in the desktop app: enrols, fetches a challenge, has the host sign it, and sends the signature', async () => {
    const { deps, calls } = world('desktop');
    const body = await attestedActionBody(deps, { purpose: 'open_section', sessionId: 's1', sectionId: 'sec-2' });
    expect(body).toEqual(ok({ attestation: { installId: INSTALL, nonce: NONCE, signature: 'c2ln' } }));
    expect(calls).toEqual(['host:identity', 'api:enrollInstall', 'api:sessionChallenge', 'host:sign:open_section:sec-2:true']);
  });

  it('passes the server’s refusal through and signs nothing', async () => {
    const refused = fail('attestation_invalid' as const, 'modified app');
    const { deps, calls } = world('desktop', { challenge: refused });
    expect(await attestedActionBody(deps, { purpose: 'start_session', sessionId: 's1', sectionId: null })).toEqual(refused);
    expect(calls.some((c) => c.startsWith('host:sign'))).toBe(false);
  });

  it('turns a host that cannot sign into a sentence the learner can act on', async () => {
    const { deps } = world('desktop', { sign: fail('internal', 'keychain locked') });
    const body = await attestedActionBody(deps, { purpose: 'start_session', sessionId: 's1', sectionId: null });
    expect(body.ok).toBe(false);
    if (!body.ok) expect(body.error).toMatchObject({ code: 'attestation_invalid', message: expect.stringContaining('Restart Invigil') });
  });
});
