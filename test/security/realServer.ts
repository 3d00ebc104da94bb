/**
 * The red-team suite's harness: the real review server as a child process (tsx server/src/server.ts)
 * on a free loopback port, called over HTTP with fetch exactly as a learner with curl would. Calls
 * can carry the desktop app's attestation (release-key header and signed challenges) or not.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { api, buildPath, CONSENT_VERSION, type RouteName } from '../../shared/api';
import { reviewApi } from '../../shared/api/review';
import { ATTESTATION_HEADER, challengeMessage } from '../../shared/domain/attestation';
import { type Running, startServer, tempDir } from '../../scripts/processes';
import { idAttempt, newTestInstall, systemCheckReport, type TestInstall } from '../../server/test/helper';

/** The one desktop build this server accepts. */
export const RELEASE_KEY = 'd4'.repeat(32);

export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- attack tests read arbitrary fields
  body: any;
  text: string;
}

export type Spec = { method: string; path: string };
export const routes: Record<string, Spec> = { ...api, ...reviewApi };

export interface CallOptions {
  token?: string;
  params?: Record<string, string>;
  body?: unknown;
  /** Send the release-key header computed with this key (the real one by default when `attest`). */
  attest?: boolean | { key: string };
  query?: string;
  headers?: Record<string, string>;
}

/** An install key like the desktop app's (the server tests' own). */
export type Install = TestInstall;
export const newInstall = newTestInstall;

export const digest = (url: string, key: string): string => createHash('sha256').update(url).update(key).digest('hex');

export class RealServer {
  private constructor(
    readonly running: Running,
    readonly dataDir: string,
  ) {}

  static async start(o: { dataDir?: string; seed?: string; env?: Record<string, string> } = {}): Promise<RealServer> {
    const dataDir = o.dataDir ?? tempDir('redteam');
    const running = await startServer({
      dataDir,
      seed: o.seed ?? 'demo,test',
      env: { INVIGIL_RELEASE_KEYS: RELEASE_KEY, INVIGIL_MAX_OPEN_UPLOADS: '4', ...o.env },
    });
    return new RealServer(running, dataDir);
  }

  get url(): string {
    return this.running.url;
  }

  async stop(options: { keepData?: boolean } = {}): Promise<void> {
    await this.running.stop();
    if (!options.keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }

  async raw(method: string, path: string, o: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...o.headers,
      },
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
    });
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: response.status, headers: response.headers, body, text };
  }

  call(name: RouteName | keyof typeof reviewApi, o: CallOptions = {}): Promise<Reply> {
    const spec = routes[name]!;
    const path = buildPath(spec.path, o.params) + (o.query ?? '');
    const headers: Record<string, string> = { ...o.headers };
    if (o.attest) headers[ATTESTATION_HEADER] = digest(`${this.url}${path}`, o.attest === true ? RELEASE_KEY : o.attest.key);
    return this.raw(spec.method, path, { token: o.token, body: o.body, headers });
  }

  async signIn(email: string, password: string): Promise<{ accessToken: string; refreshToken: string }> {
    const reply = await this.call('signIn', { body: { email, password } });
    if (reply.status !== 200) throw new Error(`sign-in of ${email} failed: ${reply.text}`);
    return reply.body as { accessToken: string; refreshToken: string };
  }

  /** What the desktop app does before startSession/openSection: enrol, get a nonce, sign it. */
  async signedChallenge(token: string, install: Install, sessionId: string, sectionId: string | null) {
    const enrolled = await this.call('enrollInstall', { token, attest: true, body: { publicKey: install.publicKey, keyProtection: 'os' } });
    if (enrolled.status !== 200) throw new Error(`enrolment failed: ${enrolled.text}`);
    const purpose = sectionId === null ? 'start_session' : 'open_section';
    const challenge = await this.call('sessionChallenge', { token, attest: true, params: { sessionId }, body: { purpose, sectionId } });
    if (challenge.status !== 200) throw new Error(`challenge failed: ${challenge.text}`);
    const nonce = challenge.body.nonce as string;
    return { installId: install.installId, nonce, signature: install.sign(challengeMessage({ purpose, sessionId, sectionId, nonce })) };
  }

  /**
   * Consent, system check, translator and identity for an attempt (identity left for a proctor with
   * an ID photo the server reads), as a learner would do them; `attest` as the desktop app.
   */
  async preStart(token: string, sessionId: string, o: { attest: boolean; idImage?: Buffer }): Promise<void> {
    const params = { sessionId };
    const ok = (what: string, r: Reply) => {
      if (r.status !== 200) throw new Error(`${what} failed: ${r.text}`);
      return r;
    };
    const view = ok('getSession', await this.call('getSession', { token, params, attest: o.attest })).body;
    const checks = view.checks as { consent: boolean; identity: string; translator: string | null; translatorRequired: boolean };
    if (!checks.consent) ok('consent', await this.call('recordConsent', { token, params, attest: o.attest, body: { version: CONSENT_VERSION, accepted: true } }));
    ok('system check', await this.call('saveSystemCheck', { token, params, attest: o.attest, body: systemCheckReport(view.client) }));
    if (checks.translatorRequired && checks.translator === null) {
      ok('translator', await this.call('chooseTranslator', { token, params, attest: o.attest, body: { translator: 'google' } }));
    }
    if (checks.identity === 'not_started') {
      const image = o.idImage;
      ok('id attempt', await this.call('submitIdAttempt', { token, params, attest: o.attest, body: idAttempt(1, 'Nobody', image ? { image } : {}) }));
      const after = (await this.call('getSession', { token, params })).body.checks.identity as string;
      if (after !== 'passed') ok('continue unverified', await this.call('continueUnverified', { token, params, attest: o.attest, body: { reason: 'learner_choice' } }));
    }
  }
}
