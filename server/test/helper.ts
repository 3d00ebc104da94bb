/**
 * Test helper (fastify/demo style): builds the real app on a fresh database of either dialect and
 * calls it through `app.inject()`, by route name from the shared `api` table.
 */
import { createHash, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { api, buildPath, CONSENT_VERSION, type RouteName, type SignInResponse } from '../../shared/api';
import { type AppOptions, buildApp } from '../src/app';
import { attestationDigest } from '../src/attestation/releaseKeys';
import { ATTESTATION_HEADER, challengeMessage } from '../../shared/domain/attestation';
import { openDatabase } from '../src/db/connect';
import type { Database } from '../src/db/schema';
import { DEMO_ACCOUNTS } from '../src/seed/accounts';
import { printedIdInspector, printedIdJpeg } from './printedIdInspector';
import './providedContext';

function demoAccount(email: string) {
  const account = DEMO_ACCOUNTS.find((a) => a.email === email);
  if (!account) throw new Error(`no demo account ${email}`);
  return account;
}

export type DialectName = 'sqlite' | 'postgres';
export const dialects: readonly DialectName[] = ['sqlite', 'postgres'];

/** Exams written for the tests (practice, final, windowed), so assertions do not depend on seed content. */
export const FIXTURE_EXAMS_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), 'fixtures/exams');

/** A Monday morning well inside the fixture exam windows. */
export const T0 = Date.parse('2031-03-03T09:00:00.000Z');

export class TestClock {
  constructor(public now = T0) {}
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/**
 * Runs `body` once per dialect. Where PostgreSQL is unavailable its cases skip with the reason printed;
 * on CI and on the development machines it is installed and runs.
 */
export function describeEachDialect(name: string, body: (dialect: DialectName) => void): void {
  const skipReason = inject('postgresSkipReason');
  for (const dialect of dialects) {
    const skip = dialect === 'postgres' && inject('postgresUrl') === null;
    if (skip) console.warn(`[server tests] ${name} on postgres skipped: ${skipReason ?? 'no PostgreSQL'}`);
    describe.skipIf(skip)(`${name} [${dialect}]`, () => body(dialect));
  }
}

interface TestDatabase {
  db: Kysely<Database>;
  /** A fresh folder for uploads and recordings. */
  dataDir: string;
  dispose(): Promise<void>;
}

let databaseCounter = 0;

async function freshDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'invigil-sqlite-'));
    const { db } = openDatabase({ dataDir });
    return {
      db,
      dataDir,
      dispose: async () => {
        await db.destroy();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const database = await createPostgresDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'invigil-pgdata-'));
  const { db } = openDatabase({ databaseUrl: database.url, dataDir });
  return {
    db,
    dataDir,
    dispose: async () => {
      await db.destroy();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A new, empty database in the run's throwaway cluster, so suites never see each other's rows. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject('postgresUrl');
  if (!adminUrl) throw new Error('PostgreSQL is not available for this run');
  databaseCounter += 1;
  const name = `invigil_t${process.pid}_${databaseCounter}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: adminUrl, max: 1 }) }) });
  await sql`create database ${sql.id(name)}`.execute(admin);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await sql`drop database if exists ${sql.id(name)}`.execute(admin);
      await admin.destroy();
    },
  };
}

export interface CallOptions {
  token?: string;
  params?: Record<string, string>;
  body?: unknown;
  /**
   * `desktop` (default): the call carries the release-key header of TEST_RELEASE_KEY, and startSession /
   * openSection carry a challenge signed by the learner's test install, as the desktop app sends them.
   * `web`: neither, as a plain browser sends it.
   */
  client?: 'desktop' | 'web';
}

export interface CallResult {
  status: number;
  headers: Record<string, unknown>;
  /** The raw JSON text, for assertions that nothing secret appears anywhere in it. */
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary response fields
  body: any;
}

export interface TestServer {
  app: FastifyInstance;
  /** The app's data folder (uploads/, recordings/). */
  dataDir: string;
  clock: TestClock;
  db: Kysely<Database>;
  call(name: RouteName, options?: CallOptions): Promise<CallResult>;
  /** Signs in a demo account by role label and returns the token pair. */
  signIn(who: 'learner' | 'learner2' | 'proctor' | 'admin'): Promise<SignInResponse>;
  close(): Promise<void>;
}

export const ACCOUNTS = {
  learner: demoAccount('learner@invigil.test'),
  learner2: demoAccount('learner2@invigil.test'),
  proctor: demoAccount('proctor@invigil.test'),
  admin: demoAccount('admin@invigil.test'),
};

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123';
/** The one desktop build the test server accepts, and the origin its requests are hashed with. */
export const TEST_RELEASE_KEY = 'a1'.repeat(32);
export const TEST_PUBLIC_URL = 'http://invigil.test';

/** The user id inside an access token (read, not verified: the server verifies). */
function tokenSubject(token: string): string {
  const payload = token.split('.')[1] ?? '';
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string }).sub;
}

/** A test install: an Ed25519 key pair like the desktop app's, one per learner. */
export interface TestInstall {
  readonly installId: string;
  readonly publicKey: string;
  sign(message: string): string;
}

export function newTestInstall(): TestInstall {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return {
    installId: createHash('sha256').update(der).digest('hex').slice(0, 32),
    publicKey: der.toString('base64'),
    sign: (message) => cryptoSign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  };
}

export async function createTestServer(
  dialect: DialectName,
  overrides: Partial<Omit<AppOptions, 'db' | 'clock' | 'dataDir'>> & { clock?: TestClock } = {},
): Promise<TestServer> {
  const clock = overrides.clock ?? new TestClock();
  const database = await freshDatabase(dialect);
  let app: FastifyInstance;
  try {
    app = await buildApp({
      jwtSecret: TEST_JWT_SECRET,
      seed: ['demo'],
      examsDir: FIXTURE_EXAMS_DIR,
      logger: false,
      // Reads the name `idAttempt` prints into its photo; the identity suite passes the real reader.
      identityInspector: printedIdInspector,
      releaseKeys: [TEST_RELEASE_KEY],
      publicUrl: TEST_PUBLIC_URL,
      ...overrides,
      db: database.db,
      dataDir: database.dataDir,
      clock: clock.read,
    });
  } catch (error) {
    await database.dispose();
    throw error;
  }
  const installs = new Map<string, TestInstall>();
  const call = async (name: RouteName, options: CallOptions = {}): Promise<CallResult> => {
    const spec = api[name];
    const url = buildPath(spec.path, options.params);
    const desktop = (options.client ?? 'desktop') === 'desktop';
    let body = options.body;
    if (desktop && options.token && (name === 'startSession' || name === 'openSection') && (body as { attestation?: unknown } | undefined)?.attestation === undefined) {
      const attestation = await signedChallenge(options.token, options.params?.['sessionId'] ?? '', options.params?.['sectionId'] ?? null);
      if (attestation) body = { ...(body as object | undefined), attestation };
    }
    const response = await app.inject({
      method: spec.method,
      url,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(desktop ? { [ATTESTATION_HEADER]: attestationDigest(`${TEST_PUBLIC_URL}${url}`, TEST_RELEASE_KEY) } : {}),
      },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    const text = response.body;
    return { status: response.statusCode, headers: response.headers, text, body: text ? JSON.parse(text) : undefined };
  };
  /** What the desktop app does before startSession/openSection; undefined where the server refuses the challenge (the call then fails on its own). */
  const signedChallenge = async (token: string, sessionId: string, sectionId: string | null) => {
    const userId = tokenSubject(token);
    let install = installs.get(userId);
    if (!install) {
      install = newTestInstall();
      const enrolled = await call('enrollInstall', { token, body: { publicKey: install.publicKey, keyProtection: 'os' } });
      if (enrolled.status !== 200) return undefined;
      installs.set(userId, install);
    }
    const purpose = sectionId === null ? 'start_session' : 'open_section';
    const challenge = await call('sessionChallenge', { token, params: { sessionId }, body: { purpose, sectionId } });
    if (challenge.status !== 200) return undefined;
    const nonce = challenge.body.nonce as string;
    return { installId: install.installId, nonce, signature: install.sign(challengeMessage({ purpose, sessionId, sectionId, nonce })) };
  };
  return {
    app,
    dataDir: database.dataDir,
    clock,
    db: database.db,
    call,
    async signIn(who) {
      const account = ACCOUNTS[who];
      const result = await call('signIn', { body: { email: account.email, password: account.password } });
      if (result.status !== 200) throw new Error(`sign-in of ${who} failed: ${result.text}`);
      return result.body as SignInResponse;
    },
    async close() {
      await app.close();
      await database.dispose();
    },
  };
}

/** Field names of answer keys: none may appear in anything a learner receives. */
export const ANSWER_KEY_FIELDS = ['correctOptionId', 'correctOptionIds', '"answer"', 'acceptedAnswers', 'rubric', 'tolerance'];

/**
 * Bytes that pass the server's JPEG check (FF D8 FF magic, within the size limit) and show nothing:
 * the server's ID reader reads no name in them.
 */
export function fakeJpeg(fill = 0x11, size = 400): Buffer {
  const bytes = Buffer.alloc(size, fill);
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  bytes.set([0xff, 0xd9], size - 2);
  return bytes;
}

/** A system check report whose items all pass (or with one failing item when asked). */
export function systemCheckReport(hostKind: 'desktop' | 'web', options: { fail?: boolean; at?: number; appVersion?: string } = {}) {
  return {
    checkedAt: ISO(options.at ?? T0),
    hostKind,
    appVersion: options.appVersion ?? '0.1.0',
    items: [
      { id: 'camera', status: 'pass', observed: 'FaceTime HD Camera', fix: null, figures: { width: 640 } },
      options.fail
        ? { id: 'displays', status: 'fail', observed: '2 displays: Built-in, DELL U2720Q', fix: 'Disconnect the second display.', figures: { count: 2 } }
        : { id: 'displays', status: 'pass', observed: '1 display: Built-in', fix: null, figures: { count: 1 } },
    ],
    observations: null,
  };
}

/**
 * An ID attempt whose photo shows `name` and `documentNumber` (`printedIdJpeg`, read by the test
 * server's `printedIdInspector`) and whose fields (the app's hint) read the same.
 */
export function idAttempt(attempt: number, name: string | null, options: { documentNumber?: string | null; faceDistance?: number | null; image?: Buffer } = {}) {
  return {
    attempt,
    image: (options.image ?? printedIdJpeg({ fullName: name, documentNumber: options.documentNumber ?? null }, 0x20 + attempt)).toString('base64'),
    width: 1280,
    height: 720,
    capture: 'auto',
    fields: {
      fullName: name,
      surname: null,
      givenNames: null,
      documentNumber: options.documentNumber ?? null,
      dateOfBirth: '1990-01-31',
      expiryDate: '2030-01-31',
      mrzValid: false,
      nameSource: name === null ? 'none' : 'visual',
      text: name ?? '',
    },
    ocrMs: 640,
    idFace: null,
    faceDistance: options.faceDistance === undefined ? 0.2 : options.faceDistance,
    takenAt: ISO(T0),
  };
}

/**
 * Does what the exam's policy asks before the start (SessionView.checks): consent, a passing system
 * check from the session's client, the translator when one must be chosen, and an ID photo that reads
 * the registered name when the identity check is on.
 */
export async function completeStartChecks(t: TestServer, token: string, sessionId: string): Promise<void> {
  const expectOk = (what: string, r: CallResult): void => {
    if (r.status !== 200) throw new Error(`${what} failed: ${r.text}`);
  };
  const params = { sessionId };
  const session = await t.call('getSession', { token, params });
  expectOk('getSession', session);
  const checks = session.body.checks as { consent: boolean; systemCheck: string; identity: string; translator: string | null; translatorRequired: boolean };
  if (!checks.consent) expectOk('consent', await t.call('recordConsent', { token, params, body: { version: CONSENT_VERSION, accepted: true } }));
  if (checks.systemCheck !== 'passed') {
    expectOk('system check', await t.call('saveSystemCheck', { token, params, body: systemCheckReport(session.body.client) }));
  }
  if (checks.translatorRequired && checks.translator === null) {
    expectOk('translator', await t.call('chooseTranslator', { token, params, body: { translator: 'google' } }));
  }
  if (checks.identity === 'not_started') {
    const me = await t.call('me', { token });
    expectOk('identity', await t.call('submitIdAttempt', { token, params, body: idAttempt(1, me.body.fullName as string) }));
  }
}

/** Creates (or resumes) and starts an attempt, doing the pre-start steps first; returns its id. */
export async function startAttempt(t: TestServer, token: string, examId: string, client: 'desktop' | 'web' = 'desktop'): Promise<string> {
  const created = await t.call('createSession', { token, body: { examId }, client });
  if (created.status !== 200) throw new Error(`create failed: ${created.text}`);
  await completeStartChecks(t, token, created.body.id as string);
  const started = await t.call('startSession', { token, params: { sessionId: created.body.id }, body: {}, client });
  if (started.status !== 200) throw new Error(`start failed: ${started.text}`);
  return created.body.id as string;
}

export const ISO = (ms: number): string => new Date(ms).toISOString();

/**
 * A fresh exams folder with the fixture exams plus, per entry, a copy of `practice-mini` under that id
 * with that `policy` block (and `kind`), for tests of what a policy changes. Delete it with `dispose`.
 */
export function examsWithPolicies(exams: Record<string, { kind?: 'final' | 'practice'; policy: Record<string, unknown> }>): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'invigil-exams-'));
  for (const file of readdirSync(FIXTURE_EXAMS_DIR)) copyFileSync(join(FIXTURE_EXAMS_DIR, file), join(dir, file));
  const base = JSON.parse(readFileSync(join(FIXTURE_EXAMS_DIR, 'practice-mini.json'), 'utf8')) as Record<string, unknown>;
  for (const [id, { kind, policy }] of Object.entries(exams)) {
    writeFileSync(join(dir, `${id}.json`), JSON.stringify({ ...base, id, kind: kind ?? base.kind, policy }));
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
